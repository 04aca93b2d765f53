/**
 * Threat report as CSV, streamed row by row from SQLite (better-sqlite3 .iterate()), so a report
 * of millions of threats needs no more memory than one output chunk.
 */
import type { Writable } from 'node:stream';
import { csvLine, csvNumberCell, csvTextCell } from './csvCell.ts';
import type { Store } from './store.ts';
import { type ExportStreamOptions, streamExportRows, threatExportFilter, type ThreatExportQuery } from './threatExport.ts';

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

export type ThreatReportQuery = ThreatExportQuery;

export type ThreatReportOptions = ExportStreamOptions;

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
  const { where, params } = threatExportFilter(query, 'report');
  const sql =
    'SELECT time, source_ip, destination_ip, destination_port, protocol, threat_type, category, severity, ' +
    `confidence, detector, model_version, incident_id, flow_id, summary FROM threats${where} ORDER BY time, rowid`;
  const rows = await streamExportRows<ReportRaw>(
    store,
    { sql, params },
    writable,
    {
      header: csvLine(REPORT_COLUMNS),
      line: (raw) =>
        csvLine([
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
        ]),
      what: 'report',
    },
    options,
  );
  return { rows };
}
