import { createServer, type IncomingMessage, type Server as HttpServer, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { authorizeHttp, cookieToken, isAuthorized, requestToken } from '../../lib/realtime/httpAuth.ts';
import { createReportRoute, parseReportQuery, REPORT_PATH, type ReportQuery } from '../../lib/realtime/reportRoute.ts';
import { insertThreats } from '../../lib/store/insertThreats.ts';
import { openStore } from '../../lib/store/openStore.ts';
import { REPORT_COLUMNS, streamThreatReport } from '../../lib/store/reportCsv.ts';
import { startSession } from '../../lib/store/startSession.ts';
import type { Store } from '../../lib/store/store.ts';
import { incidentsFromCapture } from './fixtureMonitor.ts';

const TOKEN = 'report-test-token-91c2';
let store: Store;
let sessionId: string;
let events: ThreatEvent[];
let http: HttpServer;
let base: string;
const queries: ReportQuery[] = [];

beforeAll(async () => {
  // The real store, filled with one threat per flow of the port-scan capture (see fixtureMonitor.ts).
  const { incidents } = await incidentsFromCapture();
  store = openStore(':memory:', { synchronous: 'NORMAL' });
  sessionId = startSession(store, { source: 'sample portscan.pcap.gz' }).id;
  events = incidents.map((incident, i) => ({
    id: `event-${i + 1}`,
    time: incident.firstSeen,
    sourceIp: incident.sourceIp,
    destinationIp: incident.destinationIp,
    destinationPort: incident.destinationPort,
    protocol: incident.protocol,
    threatType: incident.threatType,
    category: incident.category,
    severity: incident.severity,
    confidence: incident.peakConfidence,
    detector: incident.detector,
    modelVersion: incident.modelVersion,
    flowId: incident.key,
    incidentId: incident.id,
    summary: incident.summary,
  }));
  expect(insertThreats(store, sessionId, events)).toBe(events.length);
  // A second session, so filtering by session is visible.
  const other = startSession(store, { source: 'other' }).id;
  insertThreats(store, other, [{ ...events[0]!, id: 'other-1', incidentId: 'other-incident' }]);

  const route = createReportRoute({
    token: TOKEN,
    streamReport: (query, out) => {
      queries.push(query);
      return streamThreatReport(store, query, out);
    },
  });
  http = createServer((request, response) => {
    if (!route(request, response)) {
      response.statusCode = 404;
      response.end('next.js would answer this');
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => http.close(() => resolve()));
  store.close();
});

const bearer = { Authorization: `Bearer ${TOKEN}` };
const headerLine = REPORT_COLUMNS.join(',');

describe('GET /api/report.csv', () => {
  it('streams the session CSV as an attachment, header line first, one line per stored threat', async () => {
    const response = await fetch(`${base}${REPORT_PATH}?session=${sessionId}`, { headers: bearer });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename=netguard-report-${sessionId}.csv`);
    const lines = (await response.text()).split('\r\n');
    expect(lines[0]).toBe(headerLine);
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1).map((line) => line.split(','));
    expect(rows).toHaveLength(events.length);
    const ports = rows.map((cells) => Number(cells[REPORT_COLUMNS.indexOf('Destination Port')]));
    expect(ports.sort((a, b) => a - b)).toEqual(events.map((e) => e.destinationPort).sort((a, b) => a - b));
    expect(rows.every((cells) => cells[REPORT_COLUMNS.indexOf('Source IP')] === '10.100.25.14')).toBe(true);
  });

  it('passes the time range through and accepts the token in the query string', async () => {
    const times = events.map((e) => e.time).sort((a, b) => a - b);
    const from = times[5]!;
    const to = times[14]!;
    const response = await fetch(`${base}${REPORT_PATH}?session=${sessionId}&from=${from}&to=${to}&token=${TOKEN}`);
    expect(response.status).toBe(200);
    expect(queries.at(-1)).toEqual({ sessionId, from, to });
    const lines = (await response.text()).split('\r\n').filter((line) => line !== '');
    expect(lines[0]).toBe(headerLine);
    expect(lines.length - 1).toBe(times.filter((t) => t >= from && t <= to).length);
  });

  it('without a session lists every session, named "all"', async () => {
    const response = await fetch(`${base}${REPORT_PATH}`, { headers: bearer });
    expect(response.headers.get('content-disposition')).toBe('attachment; filename=netguard-report-all.csv');
    expect((await response.text()).split('\r\n').filter((line) => line !== '')).toHaveLength(events.length + 2);
  });

  it.each([
    ['from=abc', /^from: /],
    ['from=-5', /^from: /],
    ['to=1.5', /^to: /],
    ['from=2000&to=1000', /^from: from must not be after to/],
    ['session=..%2F..%2Fetc', /^session: /],
    ['session=a&session=b', /^session: given 2 times/],
  ])('answers 400 with the JSON error contract for %s', async (query, message) => {
    const before = queries.length;
    const response = await fetch(`${base}${REPORT_PATH}?${query}`, { headers: bearer });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await response.json()) as { error: { message: string; code: string; status: number } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.status).toBe(400);
    expect(body.error.message).toMatch(message);
    expect(queries.length).toBe(before);
  });

  it('answers 401 without the token and 405 for other methods; other paths are not ours', async () => {
    const missing = await fetch(`${base}${REPORT_PATH}?session=${sessionId}`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const wrong = await fetch(`${base}${REPORT_PATH}`, { headers: { Authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const post = await fetch(`${base}${REPORT_PATH}`, { method: 'POST', headers: bearer });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const other = await fetch(`${base}/api/report.csvx`, { headers: bearer });
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('next.js would answer this');
  });
});

describe('parseReportQuery', () => {
  it('treats empty parameters as absent', () => {
    expect(parseReportQuery(new URLSearchParams('session=&from=&to='))).toEqual({ ok: true, query: {} });
    expect(parseReportQuery(new URLSearchParams('from=0&to=0'))).toEqual({ ok: true, query: { from: 0, to: 0 } });
  });
});

describe('httpAuth', () => {
  const request = (url: string, authorization?: string, cookie?: string) =>
    ({ url, headers: { ...(authorization === undefined ? {} : { authorization }), ...(cookie === undefined ? {} : { cookie }) } }) as IncomingMessage;

  it('reads the bearer header before the query string', () => {
    expect(requestToken(request('/x?token=q', 'Bearer h'))).toBe('h');
    expect(requestToken(request('/x?token=q', 'Basic h'))).toBe('q');
    expect(requestToken(request('/x'))).toBeUndefined();
  });

  it('allows everything without a configured token, and only the exact token with one', () => {
    expect(isAuthorized(request('/x'), undefined)).toBe(true);
    expect(isAuthorized(request('/x?token=abc'), 'abc')).toBe(true);
    expect(isAuthorized(request('/x', 'bearer abc'), 'abc')).toBe(true);
    expect(isAuthorized(request('/x?token=ab'), 'abc')).toBe(false);
    expect(isAuthorized(request('/x?token=abcd'), 'abc')).toBe(false);
    expect(isAuthorized(request('/x'), 'abc')).toBe(false);
  });

  it('reads the token cookie last, and sets it when a page is opened with ?token=', () => {
    expect(cookieToken('a=1; netguard_token=abc%20d; b=2')).toBe('abc d');
    expect(cookieToken('netguard_tokenx=abc')).toBeUndefined();
    expect(requestToken(request('/x', undefined, 'netguard_token=c'))).toBe('c');
    expect(requestToken(request('/x?token=q', undefined, 'netguard_token=c'))).toBe('q');

    const opened = request('/?token=abc');
    const response = new ServerResponse(opened);
    expect(authorizeHttp(opened, response, 'abc')).toBe(true);
    expect([response.getHeader('set-cookie')].flat()).toEqual(['netguard_token=abc; Path=/; HttpOnly; SameSite=Strict']);

    const asset = request('/_next/static/chunk.js', undefined, 'netguard_token=abc');
    const assetResponse = new ServerResponse(asset);
    expect(authorizeHttp(asset, assetResponse, 'abc')).toBe(true);
    expect(assetResponse.getHeader('set-cookie')).toBeUndefined();

    const denied = request('/?token=abd');
    const deniedResponse = new ServerResponse(denied);
    expect(authorizeHttp(denied, deniedResponse, 'abc')).toBe(false);
    expect(deniedResponse.getHeader('set-cookie')).toBeUndefined();
    expect(authorizeHttp(request('/'), new ServerResponse(request('/')), undefined)).toBe(true);
  });
});
