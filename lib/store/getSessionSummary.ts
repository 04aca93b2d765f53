import type { Severity } from '../detect/threatEvent.ts';
import { type CaptureSession, SELECT_SESSION } from './captureSession.ts';
import type { Store } from './store.ts';

export const TOP_ATTACK_TYPES = 8;

/** Totals and chart data of one session (the dashboard's metric cards and charts). */
export interface SessionSummary {
  session: CaptureSession;
  totalThreats: number;
  severity: Record<Severity, number>;
  /** The TOP_ATTACK_TYPES most frequent threat types, largest first (ties by name). */
  attackTypes: { type: string; count: number }[];
  /** Every category seen, largest first (ties by name). */
  categories: { category: string; count: number }[];
  incidents: number;
  /** Packet-time ms of the first and last threat; null without threats. */
  firstThreatAt: number | null;
  lastThreatAt: number | null;
  /** Sums over the session's counters rows (what the monitor saw, interval by interval). */
  traffic: { packets: number; bytes: number; flows: number; drops: number; intervals: number };
}

/** Summary of a session, or undefined when the id is unknown. */
export function getSessionSummary(store: Store, sessionId: string): SessionSummary | undefined {
  const session = store.statement(SELECT_SESSION).get(sessionId) as CaptureSession | undefined;
  if (session === undefined) return undefined;

  const severity: Record<Severity, number> = { Critical: 0, High: 0, Medium: 0, Low: 0 };
  const bySeverity = store
    .statement('SELECT severity, count(*) AS count FROM threats WHERE session_id = ? GROUP BY severity')
    .all(sessionId) as { severity: Severity; count: number }[];
  let totalThreats = 0;
  for (const row of bySeverity) {
    severity[row.severity] = row.count;
    totalThreats += row.count;
  }
  const attackTypes = store
    .statement(
      `SELECT threat_type AS type, count(*) AS count FROM threats WHERE session_id = ?
       GROUP BY threat_type ORDER BY count DESC, type LIMIT ${TOP_ATTACK_TYPES}`,
    )
    .all(sessionId) as { type: string; count: number }[];
  const categories = store
    .statement(
      `SELECT category, count(*) AS count FROM threats WHERE session_id = ?
       GROUP BY category ORDER BY count DESC, category`,
    )
    .all(sessionId) as { category: string; count: number }[];
  const span = store
    .statement('SELECT min(time) AS first, max(time) AS last FROM threats WHERE session_id = ?')
    .get(sessionId) as { first: number | null; last: number | null };
  const incidents = (
    store.statement('SELECT count(*) AS count FROM incidents WHERE session_id = ?').get(sessionId) as { count: number }
  ).count;
  const traffic = store
    .statement(
      `SELECT coalesce(sum(packets), 0) AS packets, coalesce(sum(bytes), 0) AS bytes,
              coalesce(sum(flows), 0) AS flows, coalesce(sum(drops), 0) AS drops, count(*) AS intervals
       FROM counters WHERE session_id = ?`,
    )
    .get(sessionId) as SessionSummary['traffic'];

  return {
    session,
    totalThreats,
    severity,
    attackTypes,
    categories,
    incidents,
    firstThreatAt: span.first,
    lastThreatAt: span.last,
    traffic,
  };
}
