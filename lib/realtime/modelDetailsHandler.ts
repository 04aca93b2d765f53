/**
 * 'models:details' { id } -> Ack<ModelDetails>: what the /models page shows of one version beyond
 * the registry's summary, read from the version's metrics.json (lib/registry/modelDetails.ts).
 */
import { z } from 'zod';
import { readModelDetails } from '../registry/modelDetails.ts';
import { answer, type RealtimeSocket } from './socketHandlers.ts';

const idSchema = z.object({ id: z.string().min(1).max(200) });

export function registerModelDetails(socket: RealtimeSocket, registry: { directoryOf(id: string): string }): void {
  // Arguments arrive from the network: read them as unknown and check them here.
  socket.on('models:details', (...args: unknown[]) => {
    void answer(args[args.length - 1], async () => {
      const request = idSchema.safeParse(args.length > 1 ? args[0] : undefined);
      if (!request.success) throw new Error('invalid details request: id: a model version id is required');
      return readModelDetails(registry.directoryOf(request.data.id), request.data.id);
    });
  });
}
