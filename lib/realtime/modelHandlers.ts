/**
 * The client -> server events of the model registry ('models:*' in contract.ts). Like the
 * monitor handlers, each answers `{ ok: true, data }` or `{ ok: false, msg }` and never throws;
 * requests are schema-checked because they arrive from the network.
 */
import { z } from 'zod';
import type { ModelRegistryApi } from '../registry/modelRegistry.ts';
import { answer, type RealtimeSocket } from './socketHandlers.ts';

const idRequestSchema = z.object({ id: z.string().min(1).max(200) });
const compareRequestSchema = z.object({
  a: z.string().min(1).max(200),
  b: z.string().min(1).max(200),
  /** Labelled dataset file(s) on the server, as for `netguard evaluate`. */
  dataset: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
});

function parsed<T>(schema: z.ZodType<T>, request: unknown, what: string): T {
  const result = schema.safeParse(request);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid ${what} request: ${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'bad value'}`);
  }
  return result.data;
}

export function registerModelHandlers(socket: RealtimeSocket, registry: ModelRegistryApi): void {
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
      return registry.compare(request.a, request.b, typeof request.dataset === 'string' ? [request.dataset] : request.dataset);
    });
  });
}
