import type { Incident } from '../detect/incident.ts';
import type { Store } from './store.ts';

// The session an incident was first stored under stays; everything else follows the latest state.
const UPSERT_INCIDENT = `INSERT INTO incidents (
  id, session_id, key, threat_type, category, severity, peak_confidence, source_ip, destination_ip,
  destination_port, protocol, detector, model_version, first_seen, last_seen, event_count, summary, recorded_at,
  port_count, port_min, port_max
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
  key = excluded.key, threat_type = excluded.threat_type, category = excluded.category,
  severity = excluded.severity, peak_confidence = excluded.peak_confidence,
  source_ip = excluded.source_ip, destination_ip = excluded.destination_ip,
  destination_port = excluded.destination_port, protocol = excluded.protocol,
  detector = excluded.detector, model_version = excluded.model_version,
  first_seen = excluded.first_seen, last_seen = excluded.last_seen,
  event_count = excluded.event_count, summary = excluded.summary, recorded_at = excluded.recorded_at,
  port_count = excluded.port_count, port_min = excluded.port_min, port_max = excluded.port_max`;

/** Inserts new incidents and replaces the stored state of known ones, in one transaction. */
export function upsertIncidents(store: Store, sessionId: string, incidents: readonly Incident[]): number {
  if (incidents.length === 0) return 0;
  const upsert = store.statement(UPSERT_INCIDENT);
  const recordedAt = store.now();
  return store.db.transaction(() => {
    for (const i of incidents) {
      upsert.run(
        i.id,
        sessionId,
        i.key,
        i.threatType,
        i.category,
        i.severity,
        i.peakConfidence,
        i.sourceIp,
        i.destinationIp,
        i.destinationPort,
        i.protocol,
        i.detector,
        i.modelVersion,
        i.firstSeen,
        i.lastSeen,
        i.eventCount,
        i.summary,
        recordedAt,
        i.ports?.count ?? null,
        i.ports?.min ?? null,
        i.ports?.max ?? null,
      );
    }
    return incidents.length;
  })();
}
