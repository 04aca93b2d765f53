import type { StoredEvidence } from '../detect/evidence.ts';
import type { ThreatCategory } from '../detect/threatEvent.ts';
import { clampLimit } from './limits.ts';
import type { Store } from './store.ts';

export const LIST_EVIDENCE_MAX = 10_000;

interface EvidenceRow {
  incident_id: string;
  time: number;
  detector: string;
  family: string;
  confidence: number;
  attacker: string;
  target: string;
  destination_port: number;
  protocol: string;
  model_version: string;
  flow_id: string;
  summary: string;
}

/** The evidence an alert (incident) was fused from, oldest first: the flows the model flagged and the rule detections. */
export function listEvidence(store: Store, incidentId: string, options: { limit?: number } = {}): StoredEvidence[] {
  const limit = clampLimit(options.limit, 1000, LIST_EVIDENCE_MAX);
  const rows = store
    .statement('SELECT * FROM evidence WHERE incident_id = ? ORDER BY time, rowid LIMIT ?')
    .all(incidentId, limit) as EvidenceRow[];
  return rows.map((row) => ({
    incidentId: row.incident_id,
    time: row.time,
    detector: row.detector,
    family: row.family,
    // The category is the alert's (incidents table); evidence rows do not repeat it.
    category: 'Unknown' as ThreatCategory,
    confidence: row.confidence,
    attacker: row.attacker,
    target: row.target,
    destinationPort: row.destination_port,
    protocol: row.protocol,
    modelVersion: row.model_version,
    flowId: row.flow_id,
    summary: row.summary,
  }));
}
