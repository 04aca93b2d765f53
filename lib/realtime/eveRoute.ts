/**
 * GET /api/alerts.eve.json?session=<id>&from=<ms>&to=<ms>: stored alerts as Suricata EVE JSON,
 * one `alert` record per line (NDJSON, what Filebeat/Logstash/Vector's Suricata inputs read),
 * streamed from the store as it is read. Same query, token and error contract as the CSV report
 * route (reportRoute.ts); the handler answers false for any other path.
 *
 * server.ts binds the store: `streamAlerts: (query, out) => streamEveAlerts(store, query, out)`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { isAuthorized } from './httpAuth.ts';
import { HttpErrorCode, sendJsonError } from './httpError.ts';
import { parseReportQuery, type ReportQuery } from './reportRoute.ts';

export const EVE_PATH = '/api/alerts.eve.json';

/** Writes the EVE lines to `out`; may end `out` itself or leave that to us. */
export type StreamEveAlerts = (query: ReportQuery, out: Writable) => Promise<unknown> | unknown;

export interface EveRouteOptions {
  streamAlerts: StreamEveAlerts;
  /** When set, the request must present it (see httpAuth.ts). */
  token?: string;
}

export function eveFileName(query: ReportQuery): string {
  return `netguard-alerts-${query.sessionId ?? 'all'}.eve.json`;
}

/** A request handler that answers true when it handled the request (our path), else false. */
export function createEveRoute(options: EveRouteOptions): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== EVE_PATH) return false;
    void serveEve(request, response, url, options);
    return true;
  };
}

async function serveEve(request: IncomingMessage, response: ServerResponse, url: URL, options: EveRouteOptions): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    sendJsonError(response, 405, HttpErrorCode.METHOD_NOT_ALLOWED, `${request.method} is not allowed; use GET`);
    return;
  }
  if (!isAuthorized(request, options.token)) {
    sendJsonError(response, 401, HttpErrorCode.UNAUTHORIZED, 'a valid token is required (Authorization: Bearer <token> or ?token=)');
    return;
  }
  const parsed = parseReportQuery(url.searchParams);
  if (!parsed.ok) {
    sendJsonError(response, 400, HttpErrorCode.BAD_REQUEST, parsed.msg);
    return;
  }
  response.statusCode = 200;
  response.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename=${eveFileName(parsed.query)}`);
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  try {
    await options.streamAlerts(parsed.query, response);
    if (!response.writableEnded) response.end();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Before the first byte a proper error still fits; after it, cutting the connection is the
    // only way to tell the client the export is incomplete.
    if (!response.headersSent) {
      response.removeHeader('Content-Disposition');
      sendJsonError(response, 500, HttpErrorCode.INTERNAL, `EVE export failed: ${message}`);
    } else {
      response.destroy(error instanceof Error ? error : new Error(message));
    }
  }
}
