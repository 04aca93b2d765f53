import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../lib/detect/incident.ts';
import {
  BATCH_FEED_LIMIT,
  BATCH_INTERVAL_MS,
  FEED_LIMIT,
  type Ack,
  type Batch,
  type ClientToServerEvents,
  type MonitorStatus,
  type ServerToClientEvents,
  type SourcesInfo,
} from '../../lib/realtime/contract.ts';
import { toFeedRow } from '../../lib/realtime/feedRow.ts';
import { attachRealtime, isSameOriginOrAllowed, type RealtimeHub, UNAUTHORIZED_MESSAGE } from '../../lib/realtime/hub.ts';
import { FIXTURE_SAMPLE, FixtureMonitor, incidentsFromCapture, type FixtureFlowIncidents } from './fixtureMonitor.ts';

type Client = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

let data: FixtureFlowIncidents;
const open: { hub: RealtimeHub; http: HttpServer; clients: Client[] }[] = [];

beforeAll(async () => {
  data = await incidentsFromCapture();
});

afterEach(async () => {
  for (const { hub, http, clients } of open.splice(0)) {
    for (const client of clients) client.disconnect();
    await hub.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
});

async function serve(monitor: FixtureMonitor, options: { token?: string; batchIntervalMs?: number } = {}) {
  const http = createServer((_request, response) => {
    response.statusCode = 404;
    response.end();
  });
  const hub = attachRealtime(http, monitor, { ...options, onError: (error) => { throw error; } });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const entry = { hub, http, clients: [] as Client[] };
  open.push(entry);
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const client = (auth?: { token?: string }, extraHeaders?: Record<string, string>): Client => {
    const socket: Client = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth, extraHeaders });
    entry.clients.push(socket);
    return socket;
  };
  return { hub, client, url };
}

function once<T>(socket: Client, event: 'state' | 'batch', timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, ((payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    }) as never);
  });
}

function connectError(socket: Client): Promise<Error> {
  return new Promise((resolve, reject) => {
    socket.once('connect_error', resolve);
    socket.once('connect', () => reject(new Error('connected although it should have been refused')));
  });
}

const newestFirst = (a: Incident, b: Incident): number => b.lastSeen - a.lastSeen || b.id.localeCompare(a.id);

describe('attachRealtime', () => {
  it('sends the whole picture on connect, including incidents of a session already running', async () => {
    const monitor = new FixtureMonitor(data);
    await monitor.start({ source: { kind: 'sample', name: FIXTURE_SAMPLE, speed: 'max' } });
    const { client } = await serve(monitor);
    const state = await once<Batch>(client(), 'state');

    expect(state.seq).toBe(0);
    expect(state.status.running).toBe(true);
    expect(state.status.sessionId).toBe('fixture-session-1');
    expect(state.metrics.totalThreats).toBe(data.incidents.length);
    expect(state.feed).toHaveLength(Math.min(FEED_LIMIT, data.incidents.length));
    // Feed rows are the capture's flows, newest first, every field carried over.
    const expected = [...data.incidents].sort(newestFirst).map(toFeedRow);
    expect(state.feed).toEqual(expected);
    expect(new Set(state.feed.map((row) => row.destinationPort)).size).toBe(data.incidents.length);
    expect(state.feed.every((row) => row.sourceIp === '10.100.25.14' && row.destinationIp === '10.100.18.12')).toBe(true);
  });

  it(`sends one batch every ${BATCH_INTERVAL_MS} ms with seq + 1 each time (p95 interval <= 2.2 s)`, async () => {
    const { client } = await serve(new FixtureMonitor(data));
    const socket = client();
    const state = await once<Batch>(socket, 'state');
    const arrivals: number[] = [];
    const batches: Batch[] = [];
    await new Promise<void>((resolve) => {
      socket.on('batch', (batch) => {
        arrivals.push(performance.now());
        batches.push(batch);
        if (batches.length === 6) resolve();
      });
    });
    socket.off('batch');

    expect(batches.map((b) => b.seq)).toEqual(batches.map((_b, i) => batches[0]!.seq + i));
    expect(batches[0]!.seq).toBe(state.seq + 1);
    const intervals = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    const sorted = [...intervals].sort((a, b) => a - b);
    const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
    console.log(`batch intervals ms: ${intervals.map((v) => v.toFixed(1)).join(', ')}; p95 ${p95.toFixed(1)}`);
    expect(intervals).toHaveLength(5);
    expect(p95).toBeLessThanOrEqual(2200);
    expect(Math.min(...intervals)).toBeGreaterThanOrEqual(1800);
    // Absolute scheduling: sentAt stays on the grid, so 5 intervals span ~5 × 2 s, not more.
    const span = batches[5]!.sentAt - batches[0]!.sentAt;
    expect(span).toBeGreaterThanOrEqual(5 * BATCH_INTERVAL_MS - 50);
    expect(span).toBeLessThanOrEqual(5 * BATCH_INTERVAL_MS + 200);
  }, 30_000);

  it('a start is acknowledged with the status, and the next batch carries the new incidents once', async () => {
    const monitor = new FixtureMonitor(data);
    const { client } = await serve(monitor, { batchIntervalMs: 300 });
    const socket = client();
    await once<Batch>(socket, 'state');

    const sources = await socket.timeout(3000).emitWithAck('monitor:sources');
    expect(sources.ok).toBe(true);
    const info = (sources as { ok: true; data: SourcesInfo }).data;
    expect(info.samples.map((s) => s.name)).toContain(FIXTURE_SAMPLE);
    expect(info.liveAvailable).toBe(false);

    const ack: Ack<MonitorStatus> = await socket
      .timeout(3000)
      .emitWithAck('monitor:start', { source: { kind: 'sample', name: FIXTURE_SAMPLE, speed: 'recorded' } });
    expect(ack).toMatchObject({ ok: true, data: { running: true, sessionId: 'fixture-session-1' } });

    let batch = await once<Batch>(socket, 'batch');
    while (batch.feed.length === 0) batch = await once<Batch>(socket, 'batch');
    expect(batch.feed.length).toBe(Math.min(BATCH_FEED_LIMIT, data.incidents.length));
    expect(batch.feed.map((row) => row.incidentId)).toEqual([...data.incidents].sort(newestFirst).map((i) => i.id));
    expect(batch.metrics.totalThreats).toBe(data.incidents.length);
    expect(batch.charts.attackTypes).toEqual([{ type: 'PortScan', count: data.incidents.length }]);
    const next = await once<Batch>(socket, 'batch');
    expect(next.feed).toEqual([]);
    expect(next.seq).toBe(batch.seq + 1);

    const stopped = await socket.timeout(3000).emitWithAck('monitor:stop');
    expect(stopped).toMatchObject({ ok: true, data: { running: false } });
  });

  it('answers { ok: false, msg } for invalid or failing start requests and keeps serving', async () => {
    const monitor = new FixtureMonitor(data);
    const { client } = await serve(monitor, { batchIntervalMs: 300 });
    const socket = client();
    await once<Batch>(socket, 'state');
    const start = (request: unknown) => socket.timeout(3000).emitWithAck('monitor:start', request as never);

    for (const bad of [
      null,
      'portscan',
      {},
      { source: { kind: 'sample', name: FIXTURE_SAMPLE } },
      { source: { kind: 'sample', name: FIXTURE_SAMPLE, speed: 'warp' } },
      { source: { kind: 'interface', name: '' } },
      { source: { kind: 'interface', name: 'lo', filter: 7 } },
      { source: { kind: 'carrier-pigeon', name: 'x' } },
      { source: { kind: 'sample', name: FIXTURE_SAMPLE, speed: 'max', extra: true } },
    ]) {
      const reply = await start(bad);
      expect(reply.ok, JSON.stringify(bad)).toBe(false);
      expect((reply as { msg: string }).msg).toMatch(/^invalid start request/);
    }
    expect(monitor.startRequests).toEqual([]);

    // Valid shape, but the monitor refuses it: its message reaches the client.
    const refused = await start({ source: { kind: 'sample', name: 'nope.pcap', speed: 'max' } });
    expect(refused).toEqual({ ok: false, msg: 'no such sample: nope.pcap' });

    // No ack callback at all: nothing to answer, nothing breaks.
    socket.emit('monitor:start', { source: { kind: 'sample', name: 'nope.pcap', speed: 'max' } } as never, undefined as never);
    const batch = await once<Batch>(socket, 'batch');
    expect(batch.seq).toBeGreaterThan(0);
    const ok = await start({ source: { kind: 'sample', name: FIXTURE_SAMPLE, speed: 'max' } });
    expect(ok.ok).toBe(true);
  });

  it('with a token, refuses sockets that do not present it and accepts the ones that do', async () => {
    const token = 'hub-test-token-7f3a';
    const { client } = await serve(new FixtureMonitor(data), { token });

    const missing = await connectError(client());
    expect(missing.message).toBe(UNAUTHORIZED_MESSAGE);
    const wrong = await connectError(client({ token: 'hub-test-token-7f3b' }));
    expect(wrong.message).toBe(UNAUTHORIZED_MESSAGE);

    const good = client({ token });
    const state = await once<Batch>(good, 'state');
    expect(state.status.running).toBe(false);
    expect(good.connected).toBe(true);

    // The cookie authorizeHttp sets for the page is accepted too.
    const cookie = client(undefined, { cookie: `theme=dark; netguard_token=${token}` });
    await once<Batch>(cookie, 'state');
    const badCookie = await connectError(client(undefined, { cookie: 'netguard_token=nope' }));
    expect(badCookie.message).toBe(UNAUTHORIZED_MESSAGE);
  });

  it('refuses browsers from another origin (cross-site WebSocket hijacking), accepts its own page', async () => {
    const { client, url } = await serve(new FixtureMonitor(data));
    const foreign = await connectError(client(undefined, { origin: 'http://evil.example' }));
    expect(foreign.message).toMatch(/websocket error|origin/i);
    const own = client(undefined, { origin: url });
    await once<Batch>(own, 'state');
    expect(own.connected).toBe(true);
  });

  it('close() stops the batches and disconnects clients, leaving the HTTP server to its owner', async () => {
    const { hub, client } = await serve(new FixtureMonitor(data), { batchIntervalMs: 200 });
    const socket = client();
    await once<Batch>(socket, 'batch');
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await hub.close();
    expect(await disconnected).toBeTruthy();
    const seq = hub.seq;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(hub.seq).toBe(seq);
  });
});

describe('isSameOriginOrAllowed', () => {
  it('passes non-browser clients, the same host:port and listed origins only', () => {
    expect(isSameOriginOrAllowed(undefined, '127.0.0.1:3000', [])).toBe(true);
    expect(isSameOriginOrAllowed('http://127.0.0.1:3000', '127.0.0.1:3000', [])).toBe(true);
    expect(isSameOriginOrAllowed('http://127.0.0.1:3001', '127.0.0.1:3000', [])).toBe(false);
    expect(isSameOriginOrAllowed('http://localhost:3000', '127.0.0.1:3000', [])).toBe(false);
    expect(isSameOriginOrAllowed('https://ng.example', '10.0.0.2:3000', ['https://ng.example'])).toBe(true);
    expect(isSameOriginOrAllowed('null', '127.0.0.1:3000', [])).toBe(false);
  });
});

afterAll(() => {
  expect(open).toEqual([]);
});
