/**
 * GET /api/alerts.eve.json?session=<id>&from=<ms>&to=<ms>: stored alerts as Suricata EVE JSON,
 * one `alert` record per line (NDJSON, what Filebeat/Logstash/Vector's Suricata inputs read),
 * streamed from the store as it is read. Same query, token and error contract as the CSV report
 * route (reportRoute.ts); the handler answers false for any other path.
 *
 * server.ts binds the store: `streamAlerts: (query, out) => streamEveAlerts(store, query, out)`.
 */
import { createExportRoute, type StreamExport } from './exportRoute.ts';
import type { RouteHandler } from './getRoute.ts';
import type { ReportQuery } from './reportQuery.ts';

export const EVE_PATH = '/api/alerts.eve.json';

export interface EveRouteOptions {
  /** Writes the EVE lines. */
  streamAlerts: StreamExport;
  /** When set, the request must present it (see httpAuth.ts). */
  token?: string;
}

export function eveFileName(query: ReportQuery): string {
  return `netguard-alerts-${query.sessionId ?? 'all'}.eve.json`;
}

export function createEveRoute(options: EveRouteOptions): RouteHandler {
  return createExportRoute({
    path: EVE_PATH,
    token: options.token,
    contentType: 'application/x-ndjson; charset=utf-8',
    fileName: eveFileName,
    what: 'EVE export',
    stream: options.streamAlerts,
  });
}
