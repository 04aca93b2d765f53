import type { Incident } from '../detect/incident.ts';
import { clampLimit } from './limits.ts';
import type { Store } from './store.ts';

export const LIST_RECENT_INCIDENTS_MAX = 1000;

const SELECT_RECENT_INCIDENTS = `SELECT id, key, threat_type AS threatType, category, severity,
  peak_confidence AS peakConfidence, source_ip AS sourceIp, destination_ip AS destinationIp,
  destination_port AS destinationPort, protocol, detector, model_version AS modelVersion,
  first_seen AS firstSeen, last_seen AS lastSeen, event_count AS eventCount, summary
FROM incidents WHERE session_id = ? ORDER BY last_seen DESC, id LIMIT ?`;

/** A session's incidents, most recently active first (the feed a client sees on connect). */
export function listRecentIncidents(store: Store, sessionId: string, limit?: number): Incident[] {
  return store.statement(SELECT_RECENT_INCIDENTS).all(sessionId, clampLimit(limit, 200, LIST_RECENT_INCIDENTS_MAX)) as Incident[];
}
