import type { Severity } from '../detect/threatEvent.ts';
import type { Store } from './store.ts';

/** Traffic and detection figures of one interval (the monitor writes one per 2 s or 10 s). */
export interface IntervalCounters {
  /** Ms since the epoch at which the interval starts, on the clock the monitor measures with. */
  intervalStart: number;
  intervalMs: number;
  packets: number;
  bytes: number;
  flows: number;
  threats: Record<Severity, number>;
  drops: number;
}

// Recording the same interval again replaces it: a monitor may write a partial interval early
// and the complete one later.
const UPSERT_COUNTERS = `INSERT INTO counters (
  session_id, interval_start, interval_ms, packets, bytes, flows,
  threats_critical, threats_high, threats_medium, threats_low, drops, recorded_at
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (session_id, interval_start) DO UPDATE SET
  interval_ms = excluded.interval_ms, packets = excluded.packets, bytes = excluded.bytes,
  flows = excluded.flows, threats_critical = excluded.threats_critical,
  threats_high = excluded.threats_high, threats_medium = excluded.threats_medium,
  threats_low = excluded.threats_low, drops = excluded.drops, recorded_at = excluded.recorded_at`;

/** Stores interval rows of a session in one transaction. */
export function recordCounters(store: Store, sessionId: string, intervals: readonly IntervalCounters[]): number {
  if (intervals.length === 0) return 0;
  const upsert = store.statement(UPSERT_COUNTERS);
  const recordedAt = store.now();
  return store.db.transaction(() => {
    for (const c of intervals) {
      upsert.run(
        sessionId,
        c.intervalStart,
        c.intervalMs,
        c.packets,
        c.bytes,
        c.flows,
        c.threats.Critical,
        c.threats.High,
        c.threats.Medium,
        c.threats.Low,
        c.drops,
        recordedAt,
      );
    }
    return intervals.length;
  })();
}
