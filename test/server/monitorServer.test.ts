import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../lib/realtime/contract.ts';
import { connect, type RunningServer, samplesDirectory, sharedDataset, startServer, waitFor } from './serverProcess.ts';

// Real attack captures (SOURCES.md) and the family each must raise.
const attacks = [
  { capture: 'pcaps/chrissanders-packets/synscan.pcapng.gz', family: 'PortScan' },
  { capture: 'pcaps/padmavatisb/portscan.pcap.gz', family: 'DoS' }, // an hping3 SYN flood despite its name
  { capture: 'pcaps/axr00t-research-pcaps/ssh_brute_force.pcap.gz', family: 'BruteForce' },
];

const packetCount = (capture: string) =>
  Number(execFileSync('capinfos', ['-c', '-M', '-T', sharedDataset(capture)], { encoding: 'utf8' }).trim().split('\n').pop()!.split('\t')[1]);

function metricsAddUp(batch: Batch): void {
  const { metrics, charts } = batch;
  expect(metrics.critical + metrics.high + metrics.medium + metrics.low).toBe(metrics.totalThreats);
  expect(Object.values(charts.severity).reduce((a, b) => a + b, 0)).toBe(metrics.totalThreats);
  expect(charts.categories.reduce((sum, c) => sum + c.count, 0)).toBe(metrics.totalThreats);
  expect(charts.attackTypes.length).toBeLessThanOrEqual(8);
}

describe('server: replayed attack captures reach a Socket.IO client', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ samplesDir: samplesDirectory(attacks.map((a) => a.capture)) });
  }, 90_000);
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
  });

  it(
    'sends one batch every ~2 s with the expected threat families and metrics that add up',
    async () => {
      const { socket, state, batches } = await connect(server.url);
      expect(state.status.running).toBe(false);
      const sources = await socket.emitWithAck('monitor:sources');
      expect(sources.ok && sources.data.samples.map((s) => s.name).sort()).toEqual(attacks.map((a) => a.capture.split('/').pop()).sort());

      for (const attack of attacks) {
        const name = attack.capture.split('/').pop()!;
        const reply = await socket.emitWithAck('monitor:start', { source: { kind: 'sample', name, speed: 'max' } });
        expect(reply.ok, JSON.stringify(reply)).toBe(true);
        const sessionId = reply.ok ? reply.data.sessionId : null;
        const from = batches.length;
        // The session has ended and a later batch has carried its final state.
        const last = await waitFor(`the end of ${name}`, () => {
          const mine = batches.slice(from).filter((b) => b.batch.status.sessionId === sessionId);
          return mine.length >= 2 && !mine.at(-1)!.batch.status.running && !mine.at(-2)!.batch.status.running ? mine.at(-1)!.batch : undefined;
        });
        const families = new Set(batches.slice(from).flatMap((b) => b.batch.feed.map((row) => row.threatType)));
        expect([...families], name).toContain(attack.family);
        // The alert's evidence (flow verdicts, rule detections) can be asked for by its incident.
        const row = batches.slice(from).flatMap((b) => b.batch.feed).find((r) => r.threatType === attack.family)!;
        const evidence = await socket.emitWithAck('incidents:evidence', { incidentId: row.incidentId });
        expect(evidence.ok && evidence.data.length, name).toBeGreaterThan(0);
        expect(evidence.ok && evidence.data.every((e) => e.incidentId === row.incidentId && e.family !== '')).toBe(true);
        expect(last.metrics.packetsCaptured).toBe(packetCount(attack.capture));
        expect(last.metrics.totalThreats).toBeGreaterThan(0);
        metricsAddUp(last);
      }

      // Cadence: consecutive batches ~2 s apart, none missed.
      const gaps = batches.slice(1).map((b, i) => b.at - batches[i]!.at).sort((a, b) => a - b);
      expect(gaps.length).toBeGreaterThanOrEqual(4);
      expect(gaps[Math.floor(gaps.length * 0.95)]!).toBeLessThanOrEqual(2300);
      expect(gaps[0]!).toBeGreaterThan(1500);
      batches.slice(1).forEach((b, i) => expect(b.batch.seq).toBe(batches[i]!.batch.seq + 1));
      socket.close();
    },
    180_000,
  );

  it('answers a bad start request with { ok: false, msg } and keeps serving', async () => {
    const { socket } = await connect(server.url);
    const unknown = await socket.emitWithAck('monitor:start', { source: { kind: 'sample', name: '../../etc/passwd', speed: 'max' } });
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.msg).toMatch(/no sample capture named/);
    const malformed = await socket.emitWithAck('monitor:start', { source: { kind: 'teleport' } } as never);
    expect(malformed.ok).toBe(false);
    const noInterface = await socket.emitWithAck('monitor:start', { source: { kind: 'interface', name: 'no-such-if0' } });
    const badEvidence = await socket.emitWithAck('incidents:evidence', {} as never);
    expect(badEvidence).toMatchObject({ ok: false });
    expect(!badEvidence.ok && badEvidence.msg).toContain('incidentId');
    expect(noInterface.ok).toBe(false);
    expect(!noInterface.ok && noInterface.msg).toMatch(/no-such-if0/);
    socket.close();
  }, 60_000);
});

describe('server: nothing committed is lost when the process is killed', () => {
  it(
    'keeps a session threats in the report after SIGKILL and a restart',
    async () => {
      const samplesDir = samplesDirectory(['pcaps/chrissanders-packets/synscan.pcapng.gz']);
      const first = await startServer({ samplesDir });
      const { socket, batches } = await connect(first.url);
      // Recorded speed: the 23 s scan is still running when the process dies.
      const reply = await socket.emitWithAck('monitor:start', { source: { kind: 'sample', name: 'synscan.pcapng.gz', speed: 'recorded' } });
      expect(reply.ok).toBe(true);
      const sessionId = reply.ok ? reply.data.sessionId! : '';
      const seen = await waitFor('threats in a batch', () => {
        const total = batches.at(-1)?.batch.metrics.totalThreats ?? 0;
        return total > 0 ? total : undefined;
      });
      socket.close();
      await first.stop('SIGKILL');

      const second = await startServer({ samplesDir, dataDir: first.dataDir });
      try {
        expect(second.output()).toMatch(/marked interrupted/);
        const response = await fetch(`${second.url}/api/report.csv?session=${sessionId}`);
        expect(response.status).toBe(200);
        const lines = (await response.text()).trim().split('\n');
        expect(lines[0]).toMatch(/^Time,Source IP,Destination IP/);
        // Every threat a client was shown had been committed before it was pushed.
        expect(lines.length - 1).toBeGreaterThanOrEqual(seen);
        const { state } = await connect(second.url);
        expect(state.status.sessionId).toBe(sessionId);
        expect(state.metrics.totalThreats).toBe(lines.length - 1);
      } finally {
        await second.stop();
      }
    },
    120_000,
  );
});
