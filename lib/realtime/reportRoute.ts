/**
 * GET /api/report.csv?session=<id>&from=<ms>&to=<ms>: the threat report as CSV, streamed
 * from the store as it is read (no whole report in memory). The custom server calls the
 * handler first and passes the request on to Next.js when it answers false (not our path).
 *
 * The store is reached through `streamReport`, so this file knows no SQLite; server.ts binds
 * it: `streamReport: (query, out) => streamThreatReport(store, query, out)`.
 */
import { createExportRoute, type StreamExport } from './exportRoute.ts';
import type { RouteHandler } from './getRoute.ts';
import type { ReportQuery } from './reportQuery.ts';

export { parseReportQuery, type ReportQuery } from './reportQuery.ts';

export const REPORT_PATH = '/api/report.csv';

export interface ReportRouteOptions {
  /** Writes the CSV (header line first). */
  streamReport: StreamExport;
  /** When set, the request must present it (see httpAuth.ts). */
  token?: string;
}

export function reportFileName(query: ReportQuery): string {
  return `netguard-report-${query.sessionId ?? 'all'}.csv`;
}

export function createReportRoute(options: ReportRouteOptions): RouteHandler {
  return createExportRoute({
    path: REPORT_PATH,
    token: options.token,
    contentType: 'text/csv; charset=utf-8',
    fileName: reportFileName,
    what: 'report',
    stream: options.streamReport,
  });
}
