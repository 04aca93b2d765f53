/**
 * GET /api/alerts.eve.json on the real server process: lab captures (recorded with real tools)
 * replayed as samples through the dashboard's own path, then the session's stored alerts fetched
 * as EVE lines and checked against Suricata's schema (test/store/eveSchema.ts) and the CSV report
 * of the same session. Token, query and method errors use the one HTTP error shape.
 */
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, ClientToServerEvents, ServerToClientEvents } from '../../lib/realtime/contract.ts';
import { EVE_PATH } from '../../lib/realtime/eveRoute.ts';
import type { EveAlertRecord } from '../../lib/store/eveAlert.ts';
import { type RunningServer, startServer, waitFor } from '../server/serverProcess.ts';
import { labCapture } from '../store/eveReplay.ts';
import { eveAlertErrors } from '../store/eveSchema.ts';

const TOKEN = 'eve-route-test-token-5d1e';
const SCENARIOS = ['dos-synflood-randsrc-lan', 'brute-ssh-lan-22'];
let server: RunningServer;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const batches: Batch[] = [];
const sessions = new Map<string, string>();

const get = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...(init.headers as Record<string, string>) } });

beforeAll(async () => {
  const samples = mkdtempSync(join(tmpdir(), 'netguard-eve-samples-'));
  for (const scenario of SCENARIOS) symlinkSync(labCapture(scenario), join(samples, `${scenario}.pcap.gz`));
  server = await startServer({ samplesDir: samples, env: { NETGUARD_TOKEN: TOKEN } });
  socket = io(server.url, { transports: ['websocket'], reconnection: false, auth: { token: TOKEN } });
  socket.on('batch', (batch) => batches.push(batch));
  await new Promise<void>((resolve, reject) => {
    socket.once('state', () => resolve());
    socket.once('connect_error', reject);
  });
  for (const scenario of SCENARIOS) {
    const reply = await socket.emitWithAck('monitor:start', { source: { kind: 'sample', name: `${scenario}.pcap.gz`, speed: 'max' } });
    if (!reply.ok) throw new Error(`${scenario}: ${reply.msg}`);
    const sessionId = reply.data.sessionId!;
    await waitFor(`the end of ${scenario}`, () => batches.some((b) => b.status.sessionId === sessionId && !b.status.running), 90_000);
    sessions.set(scenario, sessionId);
  }
}, 240_000);

afterAll(async () => {
  socket?.close();
  expect(await server?.stop()).toBe(0);
});

async function eveLines(sessionId: string): Promise<EveAlertRecord[]> {
  const response = await get(`${EVE_PATH}?session=${sessionId}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
  expect(response.headers.get('content-disposition')).toBe(`attachment; filename=netguard-alerts-${sessionId}.eve.json`);
  const text = await response.text();
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as EveAlertRecord);
}

describe('GET /api/alerts.eve.json', () => {
  it('streams every stored alert of the session as a valid EVE alert line', async () => {
    for (const scenario of SCENARIOS) {
      const sessionId = sessions.get(scenario)!;
      const records = await eveLines(sessionId);
      for (const record of records) expect(eveAlertErrors(record), JSON.stringify(record)).toEqual([]);
      expect(records.every((r) => r.alert.metadata.netguard_session_id?.[0] === sessionId)).toBe(true);
      // The same alerts as the CSV report of the session, in the same order.
      const csv = await (await get(`/api/report.csv?session=${sessionId}`)).text();
      const rows = csv.trim().split('\r\n').slice(1);
      expect(records.length, scenario).toBe(rows.length);
      expect(records.length, scenario).toBeGreaterThan(0);
      rows.forEach((row, i) => expect(row.startsWith(`${records[i]!.timestamp.slice(0, 23)}Z,`), `${row}\n${JSON.stringify(records[i])}`).toBe(true));
    }
    const flood = await eveLines(sessions.get('dos-synflood-randsrc-lan')!);
    expect(flood.some((r) => r.dest_ip === '10.77.0.10' && r.dest_port === 80 && /^many \(/.test(r.alert.metadata.netguard_sources?.[0] ?? ''))).toBe(true);
    const brute = await eveLines(sessions.get('brute-ssh-lan-22')!);
    expect(brute.every((r) => r.src_ip === '10.77.0.66' && r.dest_ip === '10.77.0.10')).toBe(true);
    expect(brute.some((r) => r.dest_port === 22 && r.flow.pkts_toserver > 0)).toBe(true);
  });

  it('filters by session and, without one, exports every session', async () => {
    const all = await (await get(EVE_PATH)).text();
    const counts = await Promise.all(SCENARIOS.map(async (scenario) => (await eveLines(sessions.get(scenario)!)).length));
    expect(all.split('\n').filter(Boolean).length).toBe(counts.reduce((a, b) => a + b, 0));
    expect(await (await get(`${EVE_PATH}?session=no-such-session`)).text()).toBe('');
  });

  it('answers a missing token, a bad query and a wrong method with { error: { message, code, status } }', async () => {
    const anonymous = await fetch(`${server.url}${EVE_PATH}?session=${sessions.get('brute-ssh-lan-22')}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { message: expect.stringMatching(/token/), code: 'unauthorized', status: 401 } });
    const bad = await get(`${EVE_PATH}?session=${encodeURIComponent('../etc/passwd')}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { message: expect.stringMatching(/^session: /), code: 'bad_request', status: 400 } });
    const range = await get(`${EVE_PATH}?from=20&to=10`);
    expect(range.status).toBe(400);
    const post = await get(EVE_PATH, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await post.json()).error.code).toBe('method_not_allowed');
  });
});
