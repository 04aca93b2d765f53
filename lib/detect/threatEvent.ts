/**
 * What every detector (the flow model or a rule) reports, and what the store keeps, the
 * realtime batch carries and the report CSV lists. One shape from detection to the browser.
 */
import type { ThreatCategory } from '../datasets/families.ts';
import type { FlowSummary, PortSpan } from './evidence.ts';

/** One list of categories for datasets, models and alerts (lib/datasets/families.ts). */
export type { ThreatCategory };

export type Severity = 'Critical' | 'High' | 'Medium' | 'Low';

export interface ThreatEvent {
  /** Unique id of this event (uuid). */
  id: string;
  /** Milliseconds since the Unix epoch: when the evidence was seen (packet time, not wall time). */
  time: number;
  /** '*' when a rule event stands for many sources (a flood from spoofed addresses). */
  sourceIp: string;
  /** '*' when a rule event stands for many destinations (a sweep, a flood over random hosts). */
  destinationIp: string;
  /** 0 when the protocol has no ports (ICMP) or the event spans many ports (a scan). */
  destinationPort: number;
  /** When the event spans many ports (a scan): how many, the lowest and the highest. */
  ports?: PortSpan;
  /** 'TCP', 'UDP', 'ICMP', 'ICMPv6' or the IP protocol number as text. */
  protocol: string;
  /** Threat family, e.g. 'PortScan', 'DoS', 'BruteForce' (the model's class family or the rule's). */
  threatType: string;
  category: ThreatCategory;
  severity: Severity;
  /** 0..1: the model's probability, or the rule's confidence. */
  confidence: number;
  /** 'model' or the rule's name, e.g. 'rule:port-scan'. */
  detector: string;
  /** Version id of the model that scored it; '' for rules. */
  modelVersion: string;
  /** The flow's id (Flow ID text) for model events; '' for rule events. */
  flowId: string;
  /** The incident this event belongs to. */
  incidentId: string;
  /** Short human-readable evidence, e.g. "412 ports on 10.0.0.5 in 10 s". */
  summary: string;
  /**
   * One concrete flow standing for the alert, for exports that need a single five-tuple and its
   * counters (Suricata EVE, lib/store/eveAlert.ts). Set by evidence fusion; absent on events
   * that did not come from fusion and on events stored before it existed.
   */
  representativeFlow?: RepresentativeFlow;
}

/**
 * The alert's strongest model-flagged flow since its previous alert (the strongest ever when none
 * came since). A rule-only alert has no single flow: its top source and most-hit target, ports
 * as the rule saw them, every counter 0, `flowId` '' and `startMs` the first evidence's time.
 */
export interface RepresentativeFlow extends FlowSummary {
  /** A real address, never '*' or "many (N)"; '' when no evidence named one (a rule over many hosts). */
  sourceIp: string;
  /** A real address; '' when no evidence named one. */
  destinationIp: string;
  destinationPort: number;
  /** The flow's id text (lib/flows Flow ID); '' for a rule-only alert. */
  flowId: string;
}

/** Severity from confidence; thresholds are configurable (defaults from the product brief). */
export interface SeverityThresholds {
  critical: number;
  high: number;
  medium: number;
}

export const defaultSeverityThresholds: SeverityThresholds = { critical: 0.85, high: 0.7, medium: 0.5 };

export function severityFor(confidence: number, thresholds: SeverityThresholds = defaultSeverityThresholds): Severity {
  if (confidence >= thresholds.critical) return 'Critical';
  if (confidence >= thresholds.high) return 'High';
  if (confidence >= thresholds.medium) return 'Medium';
  return 'Low';
}
