/**
 * The client -> server events of the model registry ('models:*' in contract.ts). Like the
 * monitor handlers, each answers `{ ok: true, data }` or `{ ok: false, msg }` and never throws;
 * requests are schema-checked because they arrive from the network.
 */
import { z } from 'zod';
import type { FileResolver } from '../config/fileResolver.ts';
import { datasetErrorMessage } from '../imports/formatInfo.ts';
import type { ModelRegistryApi } from '../registry/modelRegistry.ts';
import { answer, type RealtimeSocket } from './socketHandlers.ts';

const idRequestSchema = z.object({ id: z.string().min(1).max(200) });
const compareRequestSchema = z.object({
  a: z.string().min(1).max(200),
  b: z.string().min(1).max(200),
  /** Labelled dataset file(s) on the server, as for `netguard evaluate`; inside the allowed folders. */
  dataset: z.union([z.string().min(1).max(4096), z.array(z.string().min(1).max(4096)).min(1).max(64)]),
});

function parsed<T>(schema: z.ZodType<T>, request: unknown, what: string): T {
  const result = schema.safeParse(request);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid ${what} request: ${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'bad value'}`);
  }
  return result.data;
}

/** `files` checks the datasets of 'models:compare' before anything reads them (lib/config). */
export function registerModelHandlers(socket: RealtimeSocket, registry: ModelRegistryApi, files: FileResolver): void {
  socket.on('models:list', (...args: unknown[]) => {
    void answer(args[args.length - 1], () => registry.list());
  });

  socket.on('models:activate', (...args: unknown[]) => {
    void answer(args[args.length - 1], async () => registry.activate(parsed(idRequestSchema, args.length > 1 ? args[0] : undefined, 'activate').id));
  });

  socket.on('models:rollback', (...args: unknown[]) => {
    void answer(args[args.length - 1], () => registry.rollback());
  });

  socket.on('models:delete', (...args: unknown[]) => {
    void answer(args[args.length - 1], async () => {
      const { id } = parsed(idRequestSchema, args.length > 1 ? args[0] : undefined, 'delete');
      await registry.delete(id);
      return { id };
    });
  });

  socket.on('models:compare', (...args: unknown[]) => {
    void answer(args[args.length - 1], async () => {
      const request = parsed(compareRequestSchema, args.length > 1 ? args[0] : undefined, 'compare');
      const paths = (typeof request.dataset === 'string' ? [request.dataset] : request.dataset).map((path) => files.resolveFile(path, 'dataset file'));
      try {
        return await registry.compare(request.a, request.b, paths);
      } catch (error) {
        throw new Error(datasetErrorMessage(error, paths), { cause: error });
      }
    });
  });
}
