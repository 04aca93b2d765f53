import type { Incident } from '../detect/incident.ts';
import { clampLimit } from './limits.ts';
import type { Store } from './store.ts';

export const LIST_RECENT_INCIDENTS_MAX = 1000;

/** An incident as stored: its latest state plus the session it was first stored under. */
export interface StoredIncident extends Incident {
  sessionId: string;
}

const COLUMNS = `id, session_id AS sessionId, key, threat_type AS threatType, category, severity,
  peak_confidence AS peakConfidence, source_ip AS sourceIp, destination_ip AS destinationIp,
  destination_port AS destinationPort, protocol, detector, model_version AS modelVersion,
  first_seen AS firstSeen, last_seen AS lastSeen, event_count AS eventCount, summary,
  port_count AS portCount, port_min AS portMin, port_max AS portMax`;

/** Incidents of a session by last seen (packet time), newest first; default 100, at most 1,000. */
export function listRecentIncidents(store: Store, sessionId: string, options: { limit?: number } = {}): StoredIncident[] {
  const limit = clampLimit(options.limit, 100, LIST_RECENT_INCIDENTS_MAX);
  const rows = store
    .statement(`SELECT ${COLUMNS} FROM incidents WHERE session_id = ? ORDER BY last_seen DESC, rowid DESC LIMIT ?`)
    .all(sessionId, limit) as (Omit<StoredIncident, 'ports'> & { portCount: number | null; portMin: number | null; portMax: number | null })[];
  return rows.map(({ portCount, portMin, portMax, ...incident }) =>
    portCount === null || portMin === null || portMax === null ? incident : { ...incident, ports: { count: portCount, min: portMin, max: portMax } },
  );
}
