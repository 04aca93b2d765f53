/**
 * The server's Prometheus metrics (prom-client), named like the Suricata exporters with the
 * `netguard_` prefix: counters end in `_total`, durations are `_seconds` histograms.
 *
 * The monitor's process-wide totals (MonitorApi.counters(), which never go down) are read at
 * scrape time by each counter's collect(), so the monitoring loop does no Prometheus work per
 * packet or flow. What only this layer sees (the 2 s batches, the store's write times handed
 * over by MonitorOptions.onStoreWrite) is observed into histograms as it happens.
 *
 * One Registry per call, never prom-client's global one, so several servers (tests) can live in
 * one process without "metric already registered" errors.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineCounterValues } from '../monitor/engineCounters.ts';
import type { MonitorStatus } from '../monitor/monitorApi.ts';
import type { Batch } from './contract.ts';

export const METRICS_PREFIX = 'netguard_';

/** Around the 2 s batch interval: the soak's p95 ≤ 2.2 s limit falls on a bucket edge. */
const BATCH_INTERVAL_BUCKETS = [0.5, 1, 1.5, 1.8, 1.9, 2, 2.1, 2.2, 2.5, 3, 4, 6, 10];
/** Flow end -> batch sent: at least the wait for the next batch (0-2 s), more when detection lags. */
const DETECTION_LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 30, 60, 120];
/** One SQLite transaction with fsync (synchronous=FULL): sub-millisecond to tens of ms on a disk. */
const STORE_WRITE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** Where the scrape reads the monitor's numbers (server.ts binds them to its Monitor). */
export interface MetricsSource {
  counters(): EngineCounterValues;
  status(): MonitorStatus;
}

export interface ServerMetrics {
  readonly registry: Registry;
  /** The text exposition of every metric, and the Content-Type to send it with. */
  render(): Promise<string>;
  readonly contentType: string;
  /** A batch went out: its interval from the one before, and each feed row's flow-end -> sent latency. */
  observeBatch(batch: Pick<Batch, 'sentAt' | 'feed'>): void;
  /** One detection transaction took this many seconds (MonitorOptions.onStoreWrite). */
  observeStoreWrite(seconds: number): void;
}

export function createServerMetrics(source: MetricsSource): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: METRICS_PREFIX });

  // A counter whose value is a running total kept elsewhere: reset, then set to that total.
  const totalCounter = (name: string, help: string, read: (values: EngineCounterValues) => number) =>
    new Counter({
      name: `${METRICS_PREFIX}${name}`,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read(source.counters()));
      },
    });

  totalCounter('capture_kernel_packets_total', 'Packets the kernel (libpcap) received for live capture.', (v) => v.kernelPackets);
  totalCounter('capture_kernel_drops_total', 'Packets the kernel dropped because the capture buffer was full.', (v) => v.kernelDrops);
  totalCounter(
    'capture_engine_drops_total',
    'Finished flows the model did not score because detection could not keep up (sampled out).',
    (v) => v.engineDrops,
  );
  totalCounter('decoder_packets_total', 'Frames handed to the decoder (live and replayed captures).', (v) => v.decoderPackets);
  totalCounter('decoder_bytes_total', 'Captured bytes handed to the decoder.', (v) => v.decoderBytes);
  totalCounter('scoring_rows_total', 'Flow rows scored by the model (cache hits included).', (v) => v.scoredRows);
  totalCounter('scoring_cache_hits_total', 'Flow rows the score cache answered without running the model.', (v) => v.scoreCacheHits);

  new Counter({
    name: `${METRICS_PREFIX}flows_total`,
    help: 'Finished flows, by feature format.',
    labelNames: ['format'],
    registers,
    collect() {
      this.reset();
      for (const [format, count] of Object.entries(source.counters().flowsByFormat)) this.inc({ format }, count);
    },
  });
  new Counter({
    name: `${METRICS_PREFIX}alerts_total`,
    help: 'Alerts filed, by severity and threat family.',
    labelNames: ['severity', 'family'],
    registers,
    collect() {
      this.reset();
      for (const { severity, family, count } of source.counters().alerts) this.inc({ severity, family }, count);
    },
  });
  new Gauge({
    name: `${METRICS_PREFIX}scoring_sampling_ratio`,
    help: 'Share of the current session\'s finished flows the model scored (1 unless detection fell behind).',
    registers,
    collect() {
      this.set(source.status().engineSampling);
    },
  });

  const batchInterval = new Histogram({
    name: `${METRICS_PREFIX}batch_interval_seconds`,
    help: 'Time between two Socket.IO batches (due every 2 s).',
    buckets: BATCH_INTERVAL_BUCKETS,
    registers,
  });
  const detectionLatency = new Histogram({
    name: `${METRICS_PREFIX}detection_latency_seconds`,
    help: 'From the moment detection had a flow (it left the flow table) to the batch that carried its alert.',
    buckets: DETECTION_LATENCY_BUCKETS,
    registers,
  });
  const storeWrite = new Histogram({
    name: `${METRICS_PREFIX}store_write_seconds`,
    help: 'One SQLite transaction of detections (events, incidents, evidence).',
    buckets: STORE_WRITE_BUCKETS,
    registers,
  });

  let lastSentAt: number | undefined;
  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeBatch(batch) {
      if (lastSentAt !== undefined && batch.sentAt >= lastSentAt) batchInterval.observe((batch.sentAt - lastSentAt) / 1000);
      lastSentAt = batch.sentAt;
      for (const row of batch.feed) {
        // A clock step can put observedAt after sentAt; a negative latency would only mislead.
        if (row.observedAt !== undefined) detectionLatency.observe(Math.max(0, batch.sentAt - row.observedAt) / 1000);
      }
    },
    observeStoreWrite(seconds) {
      if (Number.isFinite(seconds) && seconds >= 0) storeWrite.observe(seconds);
    },
  };
}
