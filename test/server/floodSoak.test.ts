import { beforeAll, describe, expect, it } from 'vitest';
import { printSoak, runFloodSoak, SOAK_LIMITS, type SoakResult } from '../../bench/floodSoakRun.ts';

/**
 * Issue #10's live flood soak, shortened: 10 s of `hping3 --flood --rand-source -S` on lo with the
 * server, the page and a client connected (`npm run bench:soak` runs the same code for 60 s).
 * Each limit is its own test so a run shows every one it misses. Live capture needs root.
 */
const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('live flood soak on lo (10 s spoofed SYN flood; skipped unless root: live capture needs it)', () => {
  let soak: SoakResult;
  beforeAll(async () => {
    soak = await runFloodSoak({ floodSeconds: 10 });
    printSoak(soak);
    // No afterAll: runFloodSoak stops the server and kills hping3 and nmap on every path.
  }, 120_000);

  it('keeps the server RSS ≤ 500 MB throughout', () => {
    expect(soak.rssMaxMb).toBeLessThanOrEqual(SOAK_LIMITS.rssMb);
  });

  it('keeps the 2 s batches at p95 ≤ 2.2 s', () => {
    expect(soak.batchIntervals.length).toBeGreaterThanOrEqual(4);
    expect(soak.batchIntervalP95Ms).toBeLessThanOrEqual(SOAK_LIMITS.batchIntervalP95Ms);
  });

  it('files at most 10 incidents for the flood, one naming "many (N)" sources', () => {
    expect(soak.floodIncidents.length).toBeGreaterThanOrEqual(1);
    expect(soak.floodIncidents.length).toBeLessThanOrEqual(SOAK_LIMITS.floodIncidents);
    expect(soak.floodIncidentsNamingMany).toBeGreaterThanOrEqual(1);
  });

  it('shows kernel and engine drops in the batches, on the dashboard and in /metrics', () => {
    // The status bar names both counters (a number each, "n/a" when the element is missing).
    expect(soak.pageDrops).toMatch(/^[\d,]+$/);
    expect(soak.pageEngineDrops).toMatch(/^[\d,]+$/);
    expect(soak.kernelDropsShown).not.toBeNull();
    expect(soak.engineDropsShown).not.toBeNull();
    expect(soak.engineSamplingMin).not.toBeNull();
    expect(soak.metricsStatus).toBe(200);
    expect(soak.metricsKernelDrops).toBeGreaterThanOrEqual(soak.kernelDropsShown ?? 0);
    expect(soak.metricsEngineDrops).toBeGreaterThanOrEqual(soak.engineDropsShown ?? 0);
  });

  it('takes Stop under load in ≤ 2 s (ack), shown by the next batch', () => {
    expect(soak.stopAckOk).toBe(true);
    expect(soak.stopAckMs).not.toBeNull();
    expect(soak.stopAckMs!).toBeLessThanOrEqual(SOAK_LIMITS.stopAckMs);
    expect(soak.stopVisibleMs).not.toBeNull();
    expect(soak.stopVisibleMs!).toBeLessThanOrEqual(SOAK_LIMITS.stopVisibleMs);
  });

  it('exits within 2 s of SIGINT under a flood, its capture and store closed', () => {
    expect(soak.serverExitUnderLoad).toBe(true);
    expect(soak.serverExitMs).not.toBeNull();
    expect(soak.serverExitMs!).toBeLessThanOrEqual(SOAK_LIMITS.stopAckMs);
  });

  it('alerts a port scan within 10 s of the flood ending (detection back to normal)', () => {
    expect(soak.recoveryMs).not.toBeNull();
    expect(soak.recoveryMs!).toBeLessThanOrEqual(SOAK_LIMITS.recoveryMs);
  });

  it('captured the flood on lo', () => {
    expect(soak.packetsCaptured).toBeGreaterThan(100_000);
  });
});
