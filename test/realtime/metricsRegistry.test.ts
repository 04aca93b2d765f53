/**
 * metrics.ts in-process: registries of two servers live side by side, counters follow the
 * monitor's totals at scrape time (read through lib/monitor's own EngineCounters), and the
 * batch histograms measure what they say.
 */
import { describe, expect, it } from 'vitest';
import { EngineCounters } from '../../lib/monitor/engineCounters.ts';
import type { MonitorStatus } from '../../lib/monitor/monitorApi.ts';
import { createServerMetrics, type MetricsSource } from '../../lib/realtime/metrics.ts';
import { FIXTURE_PATH, IDLE_STATUS, incidentsFromCapture } from './fixtureMonitor.ts';

const idleStatus: MonitorStatus = IDLE_STATUS;

function sourceOf(counters: EngineCounters): MetricsSource {
  return { counters: () => counters.values(), status: () => idleStatus };
}

/** `name{labels} value` lines of one metric, as a map from the label text to the value. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    if (match && match[1] === name) found.set(match[2] ?? '', Number(match[3]));
  }
  return found;
}

describe('createServerMetrics', () => {
  it('gives each server its own registry, and counters read the totals at scrape time', async () => {
    // The port-scan capture's own packet count, as one session of the monitor would report it.
    const { packets } = await incidentsFromCapture(FIXTURE_PATH);
    const countersA = new EngineCounters();
    const countersB = new EngineCounters();
    const a = createServerMetrics(sourceOf(countersA));
    const b = createServerMetrics(sourceOf(countersB));
    expect(a.registry).not.toBe(b.registry);

    expect(samples(await a.render(), 'netguard_decoder_packets_total').get('')).toBe(0);
    countersA.beginSession('corrected');
    countersA.update({ kernelPackets: 0, kernelDrops: 0, engineDrops: 0, decoderPackets: packets, decoderBytes: 0, flows: 0, scoredRows: 0, scoreCacheHits: 0 });
    countersA.countAlert('High', 'PortScan');
    countersA.countAlert('High', 'PortScan');
    const textA = await a.render();
    expect(samples(textA, 'netguard_decoder_packets_total').get('')).toBe(packets);
    expect(samples(textA, 'netguard_alerts_total').get('{severity="High",family="PortScan"}')).toBe(2);
    // Scraping again does not add the totals twice.
    expect(samples(await a.render(), 'netguard_decoder_packets_total').get('')).toBe(packets);
    // The other server saw nothing.
    const textB = await b.render();
    expect(samples(textB, 'netguard_decoder_packets_total').get('')).toBe(0);
    expect(samples(textB, 'netguard_alerts_total').size).toBe(0);
    // A session's end folds its totals in: the counter does not go down.
    countersA.endSession();
    expect(samples(await a.render(), 'netguard_decoder_packets_total').get('')).toBe(packets);
  });

  it('observes batch intervals, flow-end -> sent latencies and store writes', async () => {
    const metrics = createServerMetrics(sourceOf(new EngineCounters()));
    const row = (observedAt: number | undefined) => ({ observedAt }) as never;
    metrics.observeBatch({ sentAt: 10_000, feed: [] });
    metrics.observeBatch({ sentAt: 12_000, feed: [row(11_500), row(undefined)] });
    metrics.observeBatch({ sentAt: 14_300, feed: [row(10_000)] });
    // A wall clock stepped back: no interval and no negative latency.
    metrics.observeBatch({ sentAt: 13_000, feed: [row(13_500)] });
    metrics.observeStoreWrite(0.004);
    metrics.observeStoreWrite(Number.NaN);
    const text = await metrics.render();

    const interval = samples(text, 'netguard_batch_interval_seconds_bucket');
    expect(samples(text, 'netguard_batch_interval_seconds_count').get('')).toBe(2);
    expect(interval.get('{le="2"}')).toBe(1);
    expect(interval.get('{le="2.2"}')).toBe(1);
    expect(interval.get('{le="2.5"}')).toBe(2);
    expect(samples(text, 'netguard_batch_interval_seconds_sum').get('')).toBeCloseTo(4.3, 6);

    const latency = samples(text, 'netguard_detection_latency_seconds_bucket');
    expect(samples(text, 'netguard_detection_latency_seconds_count').get('')).toBe(3);
    expect(latency.get('{le="0.1"}')).toBe(1); // the clock step, counted as 0
    expect(latency.get('{le="0.5"}')).toBe(2);
    expect(latency.get('{le="4"}')).toBe(2);
    expect(latency.get('{le="5"}')).toBe(3);

    expect(samples(text, 'netguard_store_write_seconds_count').get('')).toBe(1);
    expect(samples(text, 'netguard_store_write_seconds_bucket').get('{le="0.0025"}')).toBe(0);
    expect(samples(text, 'netguard_store_write_seconds_bucket').get('{le="0.005"}')).toBe(1);
  });
});
