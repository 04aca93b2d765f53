/**
 * What the two streamed exports of the threats table (the CSV report, the EVE JSON alerts) share:
 * the session / packet-time filter, a reader that does not hold the writer's connection, and
 * writes that wait for 'drain'.
 */
import type { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { StoreError, StoreErrorCode } from './errors.ts';
import type { Store } from './store.ts';

export interface ThreatExportQuery {
  sessionId?: string;
  /** Packet-time ms, inclusive. */
  from?: number;
  /** Packet-time ms, inclusive. */
  to?: number;
}

/** The WHERE clause ('' when no filter) and its parameters; throws BAD_ARGUMENT on a bad range. */
export function threatExportFilter(query: ThreatExportQuery, what: string): { where: string; params: (string | number)[] } {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  if (query.sessionId !== undefined) {
    conditions.push('session_id = ?');
    params.push(query.sessionId);
  }
  for (const [bound, op] of [
    ['from', '>='],
    ['to', '<='],
  ] as const) {
    const value = query[bound];
    if (value === undefined) continue;
    if (!Number.isFinite(value)) {
      throw new StoreError(StoreErrorCode.BAD_ARGUMENT, `${what} "${bound}" must be a time in ms since the epoch, got ${value}`);
    }
    conditions.push(`time ${op} ?`);
    params.push(value);
  }
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw new StoreError(StoreErrorCode.BAD_ARGUMENT, `${what} "from" (${query.from}) is after "to" (${query.to})`);
  }
  return { where: conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '', params };
}

/**
 * Runs `read` with a connection for a long read. A file store is read through its own read-only
 * connection: the WAL gives it a consistent snapshot while the monitor keeps inserting on the
 * main connection (an open iterator there would make every other statement fail with
 * "connection is busy" for the whole download).
 */
async function withSnapshotReader<T>(store: Store, read: (reader: Database.Database) => Promise<T>): Promise<T> {
  const reader = store.isFile ? new Database(store.path, { readonly: true, fileMustExist: true }) : store.db;
  try {
    if (reader !== store.db) reader.pragma('busy_timeout = 5000');
    return await read(reader);
  } finally {
    if (reader !== store.db) reader.close();
  }
}

/** Writes `text`, resolving at once or after 'drain'; rejects if the destination errors or closes first. */
function writeChunk(writable: Writable, text: string, what: string): Promise<void> {
  if (writable.destroyed || writable.writableEnded) {
    return Promise.reject(new Error(`the ${what} destination closed before the ${what} was complete`));
  }
  if (writable.write(text)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      writable.off('drain', onDrain);
      writable.off('error', onError);
      writable.off('close', onClose);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error(`the ${what} destination closed before the ${what} was complete`));
    };
    writable.on('drain', onDrain);
    writable.on('error', onError);
    writable.on('close', onClose);
  });
}

export interface ExportStreamOptions {
  /** End the writable when done (default true). */
  end?: boolean;
  /** Characters gathered before each write (default 64 Ki). */
  chunkChars?: number;
}

/**
 * Writes `header` and one `line(row)` per row of `sql` (read raw, oldest first, through a snapshot
 * reader) to `writable` in writes of about `chunkChars` characters that wait for 'drain'. Rejects
 * if the writable errors or closes early (the client went away). Returns the number of rows.
 */
export async function streamExportRows<Raw>(
  store: Store,
  query: { sql: string; params: (string | number)[] },
  writable: Writable,
  format: { header: string; line(raw: Raw): string; what: string },
  options: ExportStreamOptions = {},
): Promise<number> {
  const chunkChars = options.chunkChars ?? 65_536;
  let rows = 0;
  await withSnapshotReader(store, async (reader) => {
    let chunk = format.header;
    for (const raw of reader.prepare(query.sql).raw(true).iterate(...query.params) as IterableIterator<Raw>) {
      chunk += format.line(raw);
      rows++;
      if (chunk.length >= chunkChars) {
        // Awaiting inside for..of keeps the iterator open; a break/throw closes it (return()).
        await writeChunk(writable, chunk, format.what);
        chunk = '';
      }
    }
    if (chunk.length > 0) await writeChunk(writable, chunk, format.what);
    if (options.end ?? true) await endWritable(writable);
  });
  return rows;
}

function endWritable(writable: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    writable.end((error?: Error | null) => (error ? reject(error) : resolve()));
  });
}
