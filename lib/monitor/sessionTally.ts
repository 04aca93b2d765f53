/**
 * The running totals of one monitoring session that the dashboard shows: threats by severity,
 * type and category, and traffic rates. Kept in memory for the 2 s batches; the store holds the
 * same events, so a restarted server rebuilds a tally from the store's summary.
 */
import type { Severity, ThreatEvent } from '../detect/threatEvent.ts';
import type { SessionSummary } from '../store/getSessionSummary.ts';
import type { ChartData, Metrics } from './monitorApi.ts';

const TOP_ATTACK_TYPES = 8;

export class SessionTally {
  readonly severity: Record<Severity, number> = { Critical: 0, High: 0, Medium: 0, Low: 0 };
  private readonly types = new Map<string, number>();
  private readonly categories = new Map<string, number>();
  totalThreats = 0;
  packets = 0;
  bytes = 0;
  flows = 0;
  drops = 0;
  engineDrops = 0;
  /** Share of finished flows the model scored (1 unless live detection fell behind and sampled). */
  engineSampling = 1;
  packetsPerSecond = 0;
  private rateSample = { atMs: 0, packets: 0 };

  addEvent(event: ThreatEvent): void {
    this.totalThreats++;
    this.severity[event.severity]++;
    this.types.set(event.threatType, (this.types.get(event.threatType) ?? 0) + 1);
    this.categories.set(event.category, (this.categories.get(event.category) ?? 0) + 1);
  }

  /** Updates the traffic counters; packets/s is measured over the time since the last call. */
  updateTraffic(packets: number, bytes: number, flows: number, drops: number, nowMs: number): void {
    const elapsed = nowMs - this.rateSample.atMs;
    if (this.rateSample.atMs > 0 && elapsed > 0) {
      this.packetsPerSecond = Math.max(0, Math.round(((packets - this.rateSample.packets) * 1000) / elapsed));
    }
    this.rateSample = { atMs: nowMs, packets };
    this.packets = packets;
    this.bytes = bytes;
    this.flows = flows;
    this.drops = drops;
  }

  metrics(): Metrics {
    return {
      totalThreats: this.totalThreats,
      critical: this.severity.Critical,
      high: this.severity.High,
      medium: this.severity.Medium,
      low: this.severity.Low,
      packetsCaptured: this.packets,
      flows: this.flows,
      packetsPerSecond: this.packetsPerSecond,
      drops: this.drops,
    };
  }

  charts(): ChartData {
    const byCount = <K extends string>(map: Map<string, number>, key: K) =>
      [...map.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) // ties as SQLite orders them
        .map(([name, count]) => ({ [key]: name, count }) as Record<K, string> & { count: number });
    return {
      severity: { ...this.severity },
      attackTypes: byCount(this.types, 'type').slice(0, TOP_ATTACK_TYPES),
      categories: byCount(this.categories, 'category'),
    };
  }

  /** A tally holding what the store recorded for a finished session (after a restart). */
  static fromSummary(summary: SessionSummary): SessionTally {
    const tally = new SessionTally();
    tally.totalThreats = summary.totalThreats;
    Object.assign(tally.severity, summary.severity);
    for (const { type, count } of summary.attackTypes) tally.types.set(type, count);
    for (const { category, count } of summary.categories) tally.categories.set(category, count);
    tally.packets = Math.max(summary.session.packets, summary.traffic.packets);
    tally.flows = Math.max(summary.session.flows, summary.traffic.flows);
    tally.drops = Math.max(summary.session.drops, summary.traffic.drops);
    return tally;
  }
}
