/**
 * Process-wide running totals of the monitoring loop, for /metrics (lib/realtime). Prometheus
 * counters never go down, so these add every session's counts onto the sessions before it; the
 * dashboard's per-session figures stay in SessionTally.
 */
import type { Severity } from '../detect/threatEvent.ts';

export interface EngineCounterValues {
  /** Packets the kernel (libpcap) received, live sessions only. */
  kernelPackets: number;
  /** Packets the kernel dropped because the capture buffer was full (live sessions). */
  kernelDrops: number;
  /** Finished flows not scored by the model because detection could not keep up (sampled out). */
  engineDrops: number;
  /** Frames and captured bytes handed to the decoder. */
  decoderPackets: number;
  decoderBytes: number;
  /** Finished flows by feature format (cic2017, corrected, kdd). */
  flowsByFormat: Record<string, number>;
  /** Flow rows the model scored, and how many of them the input cache answered without the model. */
  scoredRows: number;
  scoreCacheHits: number;
  /** Alerts filed, by severity and family. */
  alerts: { severity: Severity; family: string; count: number }[];
}

/** What one session has counted so far (its own totals, starting at zero). */
export interface SessionCounts {
  kernelPackets: number;
  kernelDrops: number;
  engineDrops: number;
  decoderPackets: number;
  decoderBytes: number;
  flows: number;
  scoredRows: number;
  scoreCacheHits: number;
}

const zeroCounts = (): SessionCounts => ({
  kernelPackets: 0,
  kernelDrops: 0,
  engineDrops: 0,
  decoderPackets: 0,
  decoderBytes: 0,
  flows: 0,
  scoredRows: 0,
  scoreCacheHits: 0,
});

export class EngineCounters {
  /** Totals of the sessions that have ended. */
  private readonly ended = zeroCounts();
  private readonly endedFlowsByFormat = new Map<string, number>();
  private current = zeroCounts();
  private currentFormat = '';
  private readonly alertCounts = new Map<string, { severity: Severity; family: string; count: number }>();

  /** A session begins: its counts start at zero under its feature format. */
  beginSession(format: string): void {
    this.endSession();
    this.currentFormat = format;
  }

  /** The running session's own totals so far (replaces the previous update). */
  update(counts: SessionCounts): void {
    this.current = { ...counts };
  }

  /** Folds the running session's totals into the ended ones. */
  endSession(): void {
    for (const key of Object.keys(this.ended) as (keyof SessionCounts)[]) this.ended[key] += this.current[key];
    if (this.currentFormat !== '') {
      this.endedFlowsByFormat.set(this.currentFormat, (this.endedFlowsByFormat.get(this.currentFormat) ?? 0) + this.current.flows);
    }
    this.current = zeroCounts();
  }

  countAlert(severity: Severity, family: string): void {
    const key = `${severity}\u0000${family}`;
    const entry = this.alertCounts.get(key);
    if (entry === undefined) this.alertCounts.set(key, { severity, family, count: 1 });
    else entry.count++;
  }

  values(): EngineCounterValues {
    const total = (key: keyof SessionCounts) => this.ended[key] + this.current[key];
    const flowsByFormat = Object.fromEntries(this.endedFlowsByFormat);
    if (this.currentFormat !== '') flowsByFormat[this.currentFormat] = (flowsByFormat[this.currentFormat] ?? 0) + this.current.flows;
    return {
      kernelPackets: total('kernelPackets'),
      kernelDrops: total('kernelDrops'),
      engineDrops: total('engineDrops'),
      decoderPackets: total('decoderPackets'),
      decoderBytes: total('decoderBytes'),
      flowsByFormat,
      scoredRows: total('scoredRows'),
      scoreCacheHits: total('scoreCacheHits'),
      alerts: [...this.alertCounts.values()].map((entry) => ({ ...entry })),
    };
  }
}
