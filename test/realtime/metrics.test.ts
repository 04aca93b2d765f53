/**
 * GET /metrics on the real server process: a shipped real capture (nmap SYN scan) replayed
 * through the monitor, then the Prometheus text checked against what the session's own batches
 * said, and the token gate when the server is exposed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../lib/realtime/contract.ts';
import { connect, type RunningServer, samplesDirectory, startServer, waitFor } from '../server/serverProcess.ts';

const CAPTURE = 'pcaps/chrissanders-packets/synscan.pcapng.gz';
const SAMPLE = CAPTURE.split('/').pop()!;
const TOKEN = 'metrics-test-token-5f0a77';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Exposition {
  types: Map<string, string>;
  helps: Set<string>;
  samples: Sample[];
}

/** The Prometheus text format (0.0.4), strictly: an unparseable line fails the test. */
function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S/.exec(line);
    if (help) {
      helps.add(help[1]!);
      continue;
    }
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a metrics line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const labelText = sample[2] ?? '';
    const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/g;
    let consumed = 0;
    for (const match of labelText.matchAll(labelPattern)) {
      labels[match[1]!] = match[2]!;
      consumed += match[0].length;
    }
    if (consumed !== labelText.length) throw new Error(`bad labels: ${JSON.stringify(line)}`);
    const value = sample[3] === '+Inf' ? Infinity : sample[3] === '-Inf' ? -Infinity : Number(sample[3]);
    if (Number.isNaN(value) && sample[3] !== 'NaN') throw new Error(`bad value: ${JSON.stringify(line)}`);
    samples.push({ name: sample[1]!, labels, value });
  }
  return { types, helps, samples };
}

/** The family a sample belongs to: histograms add _bucket, _sum and _count to their name. */
function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return types.get(base) === 'histogram' || types.get(base) === 'summary' ? base : undefined;
}

const valueOf = (exposition: Exposition, name: string, labels: Record<string, string> = {}) => {
  const found = exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length !== 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0]!.value;
};

async function scrape(url: string, init?: RequestInit): Promise<{ response: Response; text: string }> {
  const response = await fetch(`${url}/metrics`, init);
  return { response, text: await response.text() };
}

describe('GET /metrics after a replayed capture', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ samplesDir: samplesDirectory([CAPTURE]) });
  }, 90_000);
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  it(
    'exposes netguard_ metrics that agree with the session the batches showed',
    async () => {
      const { socket, batches } = await connect(server.url);
      const reply = await socket.emitWithAck('monitor:start', { source: { kind: 'sample', name: SAMPLE, speed: 'max' } });
      expect(reply.ok, JSON.stringify(reply)).toBe(true);
      const sessionId = reply.ok ? reply.data.sessionId : null;
      // Ended, and two batches since have carried its final state (so two intervals are observed).
      const last: Batch = await waitFor('the end of the replay', () => {
        const mine = batches.filter((b) => b.batch.status.sessionId === sessionId);
        return mine.length >= 2 && !mine.at(-1)!.batch.status.running && !mine.at(-2)!.batch.status.running ? mine.at(-1)!.batch : undefined;
      });
      socket.close();
      expect(last.metrics.packetsCaptured).toBeGreaterThan(0);
      expect(last.metrics.totalThreats).toBeGreaterThan(0);

      const { response, text } = await scrape(server.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const exposition = parseExposition(text);

      // Names: every family and every sample is ours, described, and counters end in _total.
      expect(exposition.types.size).toBeGreaterThan(20);
      for (const [name, type] of exposition.types) {
        expect(name).toMatch(/^netguard_/);
        expect(exposition.helps.has(name), `${name} has no HELP`).toBe(true);
        if (type === 'counter') expect(name).toMatch(/_total$/);
      }
      for (const sample of exposition.samples) {
        expect(sample.name).toMatch(/^netguard_/);
        expect(familyOf(sample.name, exposition.types), `${sample.name} has no TYPE`).toBeDefined();
      }
      const expectedCounters = [
        'netguard_capture_kernel_packets_total',
        'netguard_capture_kernel_drops_total',
        'netguard_capture_engine_drops_total',
        'netguard_decoder_packets_total',
        'netguard_decoder_bytes_total',
        'netguard_flows_total',
        'netguard_alerts_total',
        'netguard_scoring_rows_total',
        'netguard_scoring_cache_hits_total',
        'netguard_process_cpu_seconds_total',
      ];
      for (const name of expectedCounters) expect(exposition.types.get(name), name).toBe('counter');
      expect(exposition.types.get('netguard_process_resident_memory_bytes')).toBe('gauge');

      // Values: the same numbers the dashboard was sent for the session (the only one so far).
      expect(valueOf(exposition, 'netguard_decoder_packets_total')).toBe(last.metrics.packetsCaptured);
      expect(valueOf(exposition, 'netguard_decoder_bytes_total')).toBeGreaterThan(last.metrics.packetsCaptured * 40);
      expect(valueOf(exposition, 'netguard_flows_total', { format: 'corrected' })).toBe(last.metrics.flows);
      // A file replay has no kernel counters and scores every flow.
      expect(valueOf(exposition, 'netguard_capture_kernel_drops_total')).toBe(0);
      expect(valueOf(exposition, 'netguard_capture_engine_drops_total')).toBe(last.status.engineDrops);
      expect(valueOf(exposition, 'netguard_scoring_sampling_ratio')).toBe(last.status.engineSampling);
      const scored = valueOf(exposition, 'netguard_scoring_rows_total');
      expect(scored).toBeGreaterThan(0);
      expect(scored).toBeLessThanOrEqual(last.metrics.flows);
      expect(valueOf(exposition, 'netguard_scoring_cache_hits_total')).toBeLessThanOrEqual(scored);

      const alerts = exposition.samples.filter((s) => s.name === 'netguard_alerts_total');
      expect(alerts.reduce((sum, s) => sum + s.value, 0)).toBe(last.metrics.totalThreats);
      const bySeverity = (severity: string) => alerts.filter((s) => s.labels.severity === severity).reduce((sum, s) => sum + s.value, 0);
      expect([bySeverity('Critical'), bySeverity('High'), bySeverity('Medium'), bySeverity('Low')]).toEqual([
        last.metrics.critical,
        last.metrics.high,
        last.metrics.medium,
        last.metrics.low,
      ]);
      const families = new Set(alerts.map((s) => s.labels.family));
      expect(families).toEqual(new Set(last.charts.attackTypes.map((t) => t.type)));
      expect(families.has('PortScan')).toBe(true);

      // Histograms: buckets up to +Inf, cumulative, the count equal to the +Inf bucket, and observed.
      for (const name of ['netguard_batch_interval_seconds', 'netguard_detection_latency_seconds', 'netguard_store_write_seconds']) {
        expect(exposition.types.get(name), name).toBe('histogram');
        const buckets = exposition.samples.filter((s) => s.name === `${name}_bucket`);
        expect(buckets.length, name).toBeGreaterThan(5);
        expect(buckets.at(-1)!.labels.le).toBe('+Inf');
        buckets.slice(1).forEach((bucket, i) => expect(bucket.value).toBeGreaterThanOrEqual(buckets[i]!.value));
        expect(valueOf(exposition, `${name}_count`)).toBe(buckets.at(-1)!.value);
        expect(valueOf(exposition, `${name}_count`), name).toBeGreaterThan(0);
      }
      // The batches come every 2 s: every observed interval sits in (1, 3] s here.
      const interval = (le: string) => valueOf(exposition, 'netguard_batch_interval_seconds_bucket', { le });
      expect(interval('3') - interval('1')).toBe(valueOf(exposition, 'netguard_batch_interval_seconds_count'));
      // Every feed row the batches carried was observed once, in the server's own batches.
      const rowsSent = batches.reduce((sum, b) => sum + b.batch.feed.length, 0);
      expect(valueOf(exposition, 'netguard_detection_latency_seconds_count')).toBeGreaterThanOrEqual(rowsSent);

      // HEAD answers the headers only; other methods are refused in the one error shape.
      expect((await scrape(server.url, { method: 'HEAD' })).response.status).toBe(200);
      const post = await scrape(server.url, { method: 'POST' });
      expect(post.response.status).toBe(405);
      expect(JSON.parse(post.text)).toEqual({ error: { message: expect.any(String), code: 'method_not_allowed', status: 405 } });
    },
    120_000,
  );
});

describe('GET /metrics on an exposed server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // Not a loopback name to lib/config (so the token is required), yet only reachable over
    // loopback: an IPv4-mapped socket bound to 127.0.0.1.
    server = await startServer({ samplesDir: samplesDirectory([]), env: { HOST: '::ffff:127.0.0.1', NETGUARD_TOKEN: TOKEN } });
  }, 90_000);
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  it('refuses a scrape without the token with 401 and serves one that presents it', async () => {
    for (const init of [undefined, { headers: { authorization: `Bearer ${TOKEN}x` } }]) {
      const refused = await scrape(server.url, init);
      expect(refused.response.status).toBe(401);
      expect(refused.text).not.toContain('netguard_');
      expect(JSON.parse(refused.text)).toEqual({ error: { message: expect.any(String), code: 'unauthorized', status: 401 } });
    }
    const bearer = await scrape(server.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.response.status).toBe(200);
    expect(parseExposition(bearer.text).types.get('netguard_decoder_packets_total')).toBe('counter');
    const query = await fetch(`${server.url}/metrics?token=${TOKEN}`);
    expect(query.status).toBe(200);
  });
});
