/**
 * The '/datasets' Socket.IO namespace (events in importContract.ts): every handler answers an
 * Ack through the one `answer` (socketHandlers.ts) and never throws; payloads are checked with zod.
 */
import type { Namespace, Socket } from 'socket.io';
import { z } from 'zod';
import type { DatasetCatalogue } from '../imports/datasetCatalogue.ts';
import { DatasetImporter } from '../imports/datasetImporter.ts';
import { DATASETS_NAMESPACE, type DatasetsClientEvents, type DatasetsServerEvents } from '../imports/importContract.ts';
import { answer } from './socketHandlers.ts';

type DatasetsNamespace = Namespace<DatasetsClientEvents, DatasetsServerEvents>;
type DatasetsSocket = Socket<DatasetsClientEvents, DatasetsServerEvents>;

export interface DatasetHandlersOptions {
  catalogue: DatasetCatalogue;
  importer: DatasetImporter;
  log?: (line: string) => void;
}

// Payloads arrive from the network: zod checks them before the importer sees them.
const importSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upload'), uploadId: z.string().min(1).max(200) }),
  z.object({ kind: z.literal('sample'), name: z.string().min(1).max(500) }),
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
]);
const importRequestSchema = z.object({ requestId: z.string().max(64).optional(), source: importSourceSchema });
const removeRequestSchema = z.object({ id: z.string().min(1).max(200) });

const BAD_SOURCE = "source must be { kind: 'upload', uploadId } | { kind: 'sample', name } | { kind: 'path', path }";

/** Registered by the hub (hub.ts) on its server, behind the same token guard as the main namespace. */
export function attachDatasetHandlers(
  io: { of(name: string): unknown },
  options: DatasetHandlersOptions,
  guard: (socket: DatasetsSocket, next: (error?: Error) => void) => void,
): DatasetsNamespace {
  const namespace = io.of(DATASETS_NAMESPACE) as DatasetsNamespace;
  namespace.use(guard);
  namespace.on('connection', (socket: DatasetsSocket) => {
    socket.on('datasets:list', (ack) => void answer(ack, async () => options.catalogue.list()));
    socket.on('datasets:samples', (ack) => void answer(ack, () => options.importer.samples()));
    socket.on('datasets:detect', (source, ack) =>
      void answer(ack, async () => {
        const parsed = importSourceSchema.safeParse(source);
        if (!parsed.success) throw new Error(BAD_SOURCE);
        return options.importer.detect(parsed.data);
      }),
    );
    socket.on('datasets:import', (request, ack) =>
      void answer(ack, async () => {
        const parsed = importRequestSchema.safeParse(request);
        if (!parsed.success) throw new Error(BAD_SOURCE);
        const requestId = parsed.data.requestId ?? '';
        const entry = await options.importer.import(parsed.data.source, (progress) => socket.emit('datasets:progress', { requestId, ...progress }));
        options.log?.(`dataset ${entry.id} imported: ${entry.rows} rows, ${entry.sourceFormat}`);
        return entry;
      }),
    );
    socket.on('datasets:remove', (request, ack) =>
      void answer(ack, async () => {
        const parsed = removeRequestSchema.safeParse(request);
        const id = parsed.success ? parsed.data.id : '';
        if (!(await options.catalogue.remove(id))) throw new Error(`no dataset "${id}" in the catalogue`);
        return { id };
      }),
    );
  });
  return namespace;
}
