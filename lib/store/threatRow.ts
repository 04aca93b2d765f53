/** Column order of a threats row and its mapping to ThreatEvent, shared by the threat queries. */
import type { Severity, ThreatCategory, ThreatEvent } from '../detect/threatEvent.ts';

/** A threat as stored: the event plus the session it was recorded in. */
export interface StoredThreat extends ThreatEvent {
  sessionId: string;
}

/** SELECT list in the order threatFromRaw reads (use with statement.raw()). */
export const THREAT_COLUMNS =
  'id, session_id, time, source_ip, destination_ip, destination_port, protocol, threat_type, category, ' +
  'severity, confidence, detector, model_version, flow_id, incident_id, summary';

export type ThreatRaw = [
  id: string,
  sessionId: string,
  time: number,
  sourceIp: string,
  destinationIp: string,
  destinationPort: number,
  protocol: string,
  threatType: string,
  category: ThreatCategory,
  severity: Severity,
  confidence: number,
  detector: string,
  modelVersion: string,
  flowId: string,
  incidentId: string,
  summary: string,
];

export function threatFromRaw(raw: ThreatRaw): StoredThreat {
  return {
    id: raw[0],
    sessionId: raw[1],
    time: raw[2],
    sourceIp: raw[3],
    destinationIp: raw[4],
    destinationPort: raw[5],
    protocol: raw[6],
    threatType: raw[7],
    category: raw[8],
    severity: raw[9],
    confidence: raw[10],
    detector: raw[11],
    modelVersion: raw[12],
    flowId: raw[13],
    incidentId: raw[14],
    summary: raw[15],
  };
}
