/**
 * GET /api/report.csv?session=<id>&from=<ms>&to=<ms>: the threat report as CSV, streamed
 * from the store as it is read (no whole report in memory). The custom server calls the
 * handler first and passes the request on to Next.js when it answers false (not our path).
 *
 * The store is reached through `streamReport`, so this file knows no SQLite; server.ts binds
 * it: `streamReport: (query, out) => streamThreatReport(store, query, out)`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { z } from 'zod';
import { isAuthorized } from './httpAuth.ts';
import { HttpErrorCode, sendJsonError } from './httpError.ts';

export const REPORT_PATH = '/api/report.csv';

export interface ReportQuery {
  sessionId?: string;
  /** Inclusive bounds, ms since the epoch. */
  from?: number;
  to?: number;
}

/** Writes the CSV (header line first) to `out`; may end `out` itself or leave that to us. */
export type StreamReport = (query: ReportQuery, out: Writable) => Promise<unknown> | unknown;

export interface ReportRouteOptions {
  streamReport: StreamReport;
  /** When set, the request must present it (see httpAuth.ts). */
  token?: string;
}

const millis = z
  .string()
  .regex(/^\d{1,16}$/, 'must be milliseconds since the epoch (digits only)')
  .transform(Number);

const querySchema = z
  .object({
    session: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits or . _ : -')
      .optional(),
    from: millis.optional(),
    to: millis.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });

/** The query, or the message for a 400. Empty parameters (`?session=`) count as absent. */
export function parseReportQuery(params: URLSearchParams): { ok: true; query: ReportQuery } | { ok: false; msg: string } {
  const raw: Record<string, string> = {};
  for (const key of ['session', 'from', 'to'] as const) {
    const values = params.getAll(key);
    if (values.length > 1) return { ok: false, msg: `${key}: given ${values.length} times` };
    if (values[0] !== undefined && values[0] !== '') raw[key] = values[0];
  }
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, msg: `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}` };
  }
  const query: ReportQuery = {};
  if (parsed.data.session !== undefined) query.sessionId = parsed.data.session;
  if (parsed.data.from !== undefined) query.from = parsed.data.from;
  if (parsed.data.to !== undefined) query.to = parsed.data.to;
  return { ok: true, query };
}

export function reportFileName(query: ReportQuery): string {
  return `netguard-report-${query.sessionId ?? 'all'}.csv`;
}

/** A request handler that answers true when it handled the request (our path), else false. */
export function createReportRoute(options: ReportRouteOptions): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== REPORT_PATH) return false;
    void serveReport(request, response, url, options);
    return true;
  };
}

async function serveReport(request: IncomingMessage, response: ServerResponse, url: URL, options: ReportRouteOptions): Promise<void> {
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
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename=${reportFileName(parsed.query)}`);
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  try {
    await options.streamReport(parsed.query, response);
    if (!response.writableEnded) response.end();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Before the first byte we can still answer with a proper error; after it, cutting the
    // connection is the only way to tell the client the file is incomplete.
    if (!response.headersSent) {
      response.removeHeader('Content-Disposition');
      sendJsonError(response, 500, HttpErrorCode.INTERNAL, `report failed: ${message}`);
    } else {
      response.destroy(error instanceof Error ? error : new Error(message));
    }
  }
}
