import type { ThreatEvent } from '../detect/threatEvent.ts';
import type { Store } from './store.ts';

// ON CONFLICT (id) DO NOTHING, not INSERT OR IGNORE: OR IGNORE would also silently drop rows
// that fail a CHECK or NOT NULL constraint, and a bad event must fail its batch loudly.
const INSERT_THREAT = `INSERT INTO threats (
  id, session_id, time, source_ip, destination_ip, destination_port, protocol, threat_type, category,
  severity, confidence, detector, model_version, flow_id, incident_id, summary, recorded_at,
  rep_flow_id, rep_source_ip, rep_destination_ip, rep_source_port, rep_destination_port,
  rep_packets_to_server, rep_packets_to_client, rep_bytes_to_server, rep_bytes_to_client, rep_start
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING`;

/**
 * Stores a batch of events in one transaction: when this returns, every event of the batch is
 * committed (durable as the store's synchronous mode promises), so the caller may push them to
 * clients. An event whose id is already stored is skipped (a retried batch stores nothing
 * twice). Returns how many rows were added. Throws (and stores none of the batch) on an unknown
 * session or a value the schema refuses.
 */
export function insertThreats(store: Store, sessionId: string, events: readonly ThreatEvent[]): number {
  if (events.length === 0) return 0;
  const insert = store.statement(INSERT_THREAT);
  const recordedAt = store.now();
  return store.db.transaction(() => {
    let added = 0;
    for (const e of events) {
      const flow = e.representativeFlow;
      added += insert.run(
        e.id,
        sessionId,
        e.time,
        e.sourceIp,
        e.destinationIp,
        e.destinationPort,
        e.protocol,
        e.threatType,
        e.category,
        e.severity,
        e.confidence,
        e.detector,
        e.modelVersion,
        e.flowId,
        e.incidentId,
        e.summary,
        recordedAt,
        flow?.flowId ?? null,
        flow?.sourceIp ?? null,
        flow?.destinationIp ?? null,
        flow?.sourcePort ?? null,
        flow?.destinationPort ?? null,
        flow?.packetsToServer ?? null,
        flow?.packetsToClient ?? null,
        flow?.bytesToServer ?? null,
        flow?.bytesToClient ?? null,
        flow?.startMs ?? null,
      ).changes;
    }
    return added;
  })();
}
