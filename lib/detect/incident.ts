/**
 * An ongoing attack as one row that updates, instead of thousands of feed rows: events with
 * the same incident key that arrive within the quiet gap of each other join one incident.
 */
import type { PortSpan } from './evidence.ts';
import type { Severity, ThreatCategory } from './threatEvent.ts';

export interface Incident {
  id: string;
  /** Detector-chosen grouping, e.g. "rule:port-scan|10.0.0.9" or "model|DoS|->192.168.1.5". */
  key: string;
  threatType: string;
  category: ThreatCategory;
  /** Severity of the peak confidence. */
  severity: Severity;
  peakConfidence: number;
  sourceIp: string;
  destinationIp: string;
  destinationPort: number;
  /** When the incident spans many ports (a scan): how many, the lowest and the highest. */
  ports?: PortSpan;
  protocol: string;
  detector: string;
  modelVersion: string;
  /** Milliseconds since the epoch (packet time). */
  firstSeen: number;
  lastSeen: number;
  eventCount: number;
  summary: string;
  /**
   * Wall-clock ms when the evidence of this update became available to detection (the flow
   * left the flow table, or the rule fired). Not stored; the realtime layer reports latency from it.
   */
  observedAt?: number;
}
