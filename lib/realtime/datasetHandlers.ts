/**
 * The '/datasets' Socket.IO namespace (events in importContract.ts): every handler answers an
 * Ack and never throws; the token is checked as on the main namespace.
 */
import type { Namespace, Socket } from 'socket.io';
import { cookieToken, tokenMatches } from './httpAuth.ts';
import type { DatasetCatalogue } from '../imports/datasetCatalogue.ts';
import { DatasetImporter } from '../imports/datasetImporter.ts';
import { DATASETS_NAMESPACE, type Ack, type DatasetsClientEvents, type DatasetsServerEvents, type ImportSource } from '../imports/importContract.ts';

type DatasetsNamespace = Namespace<DatasetsClientEvents, DatasetsServerEvents>;
type DatasetsSocket = Socket<DatasetsClientEvents, DatasetsServerEvents>;

export interface DatasetHandlersOptions {
  catalogue: DatasetCatalogue;
  importer: DatasetImporter;
  token?: string;
  log?: (line: string) => void;
}

const failure = (error: unknown): { ok: false; msg: string } => ({ ok: false, msg: error instanceof Error ? error.message : String(error) });

async function answer<T>(ack: unknown, work: () => Promise<T>): Promise<void> {
  if (typeof ack !== 'function') return;
  const reply = ack as (reply: Ack<T>) => void;
  try {
    reply({ ok: true, data: await work() });
  } catch (error) {
    reply(failure(error));
  }
}

function isImportSource(value: unknown): value is ImportSource {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.kind === 'upload' && typeof v.uploadId === 'string') ||
    (v.kind === 'sample' && typeof v.name === 'string') ||
    (v.kind === 'path' && typeof v.path === 'string')
  );
}

const BAD_SOURCE = new Error("source must be { kind: 'upload', uploadId } | { kind: 'sample', name } | { kind: 'path', path }");

/** `io` is the hub's Socket.IO server (RealtimeHub.io). */
export function attachDatasetHandlers(io: { of(name: string): unknown }, options: DatasetHandlersOptions): DatasetsNamespace {
  const namespace = io.of(DATASETS_NAMESPACE) as DatasetsNamespace;
  const token = options.token;
  if (token !== undefined && token !== '') {
    namespace.use((socket, next) => {
      const auth: unknown = socket.handshake.auth;
      const presented = typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
      if (tokenMatches(presented, token) || tokenMatches(cookieToken(socket.handshake.headers.cookie), token)) next();
      else next(new Error('unauthorized: a valid token is required'));
    });
  }
  namespace.on('connection', (socket: DatasetsSocket) => {
    socket.on('datasets:list', (ack) => void answer(ack, async () => options.catalogue.list()));
    socket.on('datasets:samples', (ack) => void answer(ack, () => options.importer.samples()));
    socket.on('datasets:detect', (source, ack) =>
      void answer(ack, async () => {
        if (!isImportSource(source)) throw BAD_SOURCE;
        return options.importer.detect(source);
      }),
    );
    socket.on('datasets:import', (request, ack) =>
      void answer(ack, async () => {
        const requestId = typeof request?.requestId === 'string' ? request.requestId.slice(0, 64) : '';
        if (!isImportSource(request?.source)) throw BAD_SOURCE;
        const entry = await options.importer.import(request.source, (progress) => socket.emit('datasets:progress', { requestId, ...progress }));
        options.log?.(`dataset ${entry.id} imported: ${entry.rows} rows, ${entry.sourceFormat}`);
        return entry;
      }),
    );
    socket.on('datasets:remove', (request, ack) =>
      void answer(ack, async () => {
        const id = typeof request?.id === 'string' ? request.id : '';
        if (!(await options.catalogue.remove(id))) throw new Error(`no dataset "${id}" in the catalogue`);
        return { id };
      }),
    );
  });
  return namespace;
}
