import type { StoredEvidence } from '../detect/evidence.ts';
import type { Store } from './store.ts';

const INSERT_EVIDENCE = `INSERT INTO evidence (
  session_id, incident_id, time, detector, family, confidence, attacker, target, destination_port,
  protocol, model_version, flow_id, summary, recorded_at
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Stores the evidence behind alerts (per-flow model verdicts, rule detections) in one transaction. */
export function insertEvidence(store: Store, sessionId: string, evidence: readonly StoredEvidence[]): number {
  if (evidence.length === 0) return 0;
  const insert = store.statement(INSERT_EVIDENCE);
  const recordedAt = store.now();
  return store.db.transaction(() => {
    for (const e of evidence) {
      insert.run(
        sessionId, e.incidentId, e.time, e.detector, e.family, e.confidence, e.attacker, e.target,
        e.destinationPort, e.protocol, e.modelVersion, e.flowId, e.summary, recordedAt,
      );
    }
    return evidence.length;
  })();
}
