/**
 * Threat report as CSV, streamed row by row from SQLite (better-sqlite3 .iterate()), so a report
 * of millions of threats needs no more memory than one output chunk.
 */
import type { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { csvLine, csvNumberCell, csvTextCell } from './csvCell.ts';
import { StoreError, StoreErrorCode } from './errors.ts';
import type { Store } from './store.ts';

export const REPORT_COLUMNS = [
  'Time',
  'Source IP',
  'Destination IP',
  'Destination Port',
  'Protocol',
  'Threat Type',
  'Category',
  'Severity',
  'Confidence',
  'Detector',
  'Model Version',
  'Incident ID',
  'Flow ID',
  'Summary',
] as const;

export interface ThreatReportQuery {
  sessionId?: string;
  /** Packet-time ms, inclusive. */
  from?: number;
  /** Packet-time ms, inclusive. */
  to?: number;
}

export interface ThreatReportOptions {
  /** End the writable when done (default true). */
  end?: boolean;
  /** Characters gathered before each write (default 64 Ki). */
  chunkChars?: number;
}

type ReportRaw = [
  time: number,
  sourceIp: string,
  destinationIp: string,
  destinationPort: number,
  protocol: string,
  threatType: string,
  category: string,
  severity: string,
  confidence: number,
  detector: string,
  modelVersion: string,
  incidentId: string,
  flowId: string,
  summary: string,
];

/**
 * Writes the header and every matching threat, oldest first, to `writable`, waiting for 'drain'
 * whenever the writable asks to. A file store is read through its own read-only connection: the
 * WAL gives it a consistent snapshot while the monitor keeps inserting on the main connection
 * (an open iterator would otherwise hold that connection busy for the whole download).
 * Rejects if the writable errors or closes early (client went away).
 */
export async function streamThreatReport(
  store: Store,
  query: ThreatReportQuery,
  writable: Writable,
  options: ThreatReportOptions = {},
): Promise<{ rows: number }> {
  const { sql, params } = reportSql(query);
  const chunkChars = options.chunkChars ?? 65_536;
  const reader = store.isFile ? new Database(store.path, { readonly: true, fileMustExist: true }) : store.db;
  let rows = 0;
  try {
    if (reader !== store.db) reader.pragma('busy_timeout = 5000');
    const statement = reader.prepare(sql).raw(true);
    let chunk = csvLine(REPORT_COLUMNS);
    for (const raw of statement.iterate(...params) as IterableIterator<ReportRaw>) {
      chunk += csvLine([
        new Date(raw[0]).toISOString(),
        csvTextCell(raw[1]),
        csvTextCell(raw[2]),
        csvNumberCell(raw[3]),
        csvTextCell(raw[4]),
        csvTextCell(raw[5]),
        csvTextCell(raw[6]),
        csvTextCell(raw[7]),
        csvNumberCell(raw[8]),
        csvTextCell(raw[9]),
        csvTextCell(raw[10]),
        csvTextCell(raw[11]),
        csvTextCell(raw[12]),
        csvTextCell(raw[13]),
      ]);
      rows++;
      if (chunk.length >= chunkChars) {
        // Awaiting inside for..of keeps the iterator open; a break/throw closes it (return()).
        await write(writable, chunk);
        chunk = '';
      }
    }
    if (chunk.length > 0) await write(writable, chunk);
    if (options.end ?? true) await end(writable);
  } finally {
    if (reader !== store.db) reader.close();
  }
  return { rows };
}

function reportSql(query: ThreatReportQuery): { sql: string; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.sessionId !== undefined) {
    where.push('session_id = ?');
    params.push(query.sessionId);
  }
  for (const [bound, op] of [
    ['from', '>='],
    ['to', '<='],
  ] as const) {
    const value = query[bound];
    if (value === undefined) continue;
    if (!Number.isFinite(value)) {
      throw new StoreError(StoreErrorCode.BAD_ARGUMENT, `report "${bound}" must be a time in ms since the epoch, got ${value}`);
    }
    where.push(`time ${op} ?`);
    params.push(value);
  }
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw new StoreError(StoreErrorCode.BAD_ARGUMENT, `report "from" (${query.from}) is after "to" (${query.to})`);
  }
  const sql =
    'SELECT time, source_ip, destination_ip, destination_port, protocol, threat_type, category, severity, ' +
    'confidence, detector, model_version, incident_id, flow_id, summary FROM threats' +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ' ORDER BY time, rowid';
  return { sql, params };
}

function write(writable: Writable, text: string): Promise<void> {
  if (writable.destroyed || writable.writableEnded) {
    return Promise.reject(new Error('the report destination closed before the report was complete'));
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
      reject(new Error('the report destination closed before the report was complete'));
    };
    writable.on('drain', onDrain);
    writable.on('error', onError);
    writable.on('close', onClose);
  });
}

function end(writable: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    writable.end((error?: Error | null) => (error ? reject(error) : resolve()));
  });
}
