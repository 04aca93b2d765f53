/**
 * 'models:details' { id } -> Ack<ModelDetails>: what the /models page shows of one version beyond
 * the registry's summary, read from the version's metrics.json (lib/registry/modelDetails.ts).
 */
import type { Server } from 'socket.io';
import { z } from 'zod';
import { readModelDetails } from '../registry/modelDetails.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './contract.ts';
import { answer } from './socketHandlers.ts';

const idSchema = z.object({ id: z.string().min(1).max(200) });

export function attachModelDetails(io: Server<ClientToServerEvents, ServerToClientEvents>, registry: { directoryOf(id: string): string }): void {
  io.on('connection', (socket) => {
    // Arguments arrive from the network: read them as unknown and check them here.
    socket.on('models:details', (...args: unknown[]) => {
      void answer(args[args.length - 1], async () => {
        const request = idSchema.safeParse(args.length > 1 ? args[0] : undefined);
        if (!request.success) throw new Error('invalid details request: id: a model version id is required');
        return readModelDetails(registry.directoryOf(request.data.id), request.data.id);
      });
    });
  });
}
