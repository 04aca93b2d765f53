import type { Incident } from '../detect/incident.ts';
import type { FeedRow } from './contract.ts';

/** One incident as the dashboard's feed shows it (the browser never sees the incident key). */
export function toFeedRow(incident: Incident): FeedRow {
  return {
    incidentId: incident.id,
    time: incident.lastSeen,
    firstSeen: incident.firstSeen,
    sourceIp: incident.sourceIp,
    destinationIp: incident.destinationIp,
    destinationPort: incident.destinationPort,
    ...(incident.ports === undefined ? {} : { ports: incident.ports }),
    protocol: incident.protocol,
    threatType: incident.threatType,
    category: incident.category,
    severity: incident.severity,
    confidence: incident.peakConfidence,
    eventCount: incident.eventCount,
    detector: incident.detector,
    summary: incident.summary,
    observedAt: incident.observedAt,
  };
}
