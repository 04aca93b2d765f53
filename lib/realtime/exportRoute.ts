/**
 * A stored-alerts export streamed as a download (the CSV report, the EVE alerts): the query
 * (`?session=&from=&to=`, reportQuery.ts) is validated (400 with the reason), then the store
 * writes straight into the response as it reads, so no export is ever whole in memory.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { getRoute, type RouteHandler } from './getRoute.ts';
import { HttpErrorCode, sendJsonError } from './httpError.ts';
import { parseReportQuery, type ReportQuery } from './reportQuery.ts';

/** Writes the export to `out`; may end `out` itself or leave that to the route. */
export type StreamExport = (query: ReportQuery, out: Writable) => Promise<unknown> | unknown;

export interface ExportRouteOptions {
  path: string;
  /** When set, the request must present it (see httpAuth.ts). */
  token?: string;
  contentType: string;
  fileName(query: ReportQuery): string;
  /** Names the export in a 500's message ("report", "EVE export"). */
  what: string;
  stream: StreamExport;
}

export function createExportRoute(options: ExportRouteOptions): RouteHandler {
  return getRoute(options.path, options.token, (request, response, url) => serveExport(request, response, url, options));
}

async function serveExport(request: IncomingMessage, response: ServerResponse, url: URL, options: ExportRouteOptions): Promise<void> {
  const parsed = parseReportQuery(url.searchParams);
  if (!parsed.ok) {
    sendJsonError(response, 400, HttpErrorCode.BAD_REQUEST, parsed.msg);
    return;
  }
  response.statusCode = 200;
  response.setHeader('Content-Type', options.contentType);
  response.setHeader('Content-Disposition', `attachment; filename=${options.fileName(parsed.query)}`);
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  try {
    await options.stream(parsed.query, response);
    if (!response.writableEnded) response.end();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Before the first byte a proper error still fits; after it, cutting the connection is the
    // only way to tell the client the export is incomplete.
    if (!response.headersSent) {
      response.removeHeader('Content-Disposition');
      sendJsonError(response, 500, HttpErrorCode.INTERNAL, `${options.what} failed: ${message}`);
    } else {
      response.destroy(error instanceof Error ? error : new Error(message));
    }
  }
}
