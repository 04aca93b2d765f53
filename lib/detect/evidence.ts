/**
 * Evidence: what a detector saw, before anyone calls it an attack. A flow the model scored as an
 * attack and a rule going over its threshold are both evidence; alerts come only from evidence
 * fused per (attacker, family) over a window (evidenceFusion.ts), the way Slips adds evidence up
 * to a threshold. Evidence that ends up in an alert is stored with it, so the per-flow verdicts
 * behind an alert stay queryable.
 */
import type { ThreatCategory } from './threatEvent.ts';

/** A source address with how many packets (or attempts) it sent. */
export interface SourceCount {
  ip: string;
  count: number;
}

/** The counters of the flow behind model evidence (EVE's `flow` object and `src_port`). */
export interface FlowSummary {
  sourcePort: number;
  /** Initiator -> responder, and back. */
  packetsToServer: number;
  packetsToClient: number;
  bytesToServer: number;
  bytesToClient: number;
  /** Packet time of the flow's first packet, milliseconds since the epoch. */
  startMs: number;
}

/** The destination ports an attack touched: how many, and the lowest and highest. */
export interface PortSpan {
  count: number;
  min: number;
  max: number;
}

export interface Evidence {
  /** Packet time, milliseconds since the epoch. */
  time: number;
  /** The acting address; '*' when the sources are many (a spoofed flood). */
  attacker: string;
  /** Threat family: PortScan, DoS, BruteForce, WebAttack, Botnet, … */
  family: string;
  category: ThreatCategory;
  /** The address attacked; '*' when many. */
  target: string;
  /** 0 when the evidence spans many ports or the protocol has none. */
  destinationPort: number;
  protocol: string;
  /** 0..1: the model's calibrated attack probability, or the rule's confidence. */
  confidence: number;
  /** 'model' or 'rule:<name>'. */
  detector: string;
  /** Model version for model evidence, '' for rules. */
  modelVersion: string;
  /** The flow's id for model evidence, '' for rules. */
  flowId: string;
  /** Short human-readable evidence. */
  summary: string;
  /** Rule evidence about a flood: the top sources with their counts, biggest first. */
  sources?: readonly SourceCount[];
  /** Rule evidence about a flood: distinct sources seen (an estimate for spoofed floods). */
  distinctSources?: number;
  /** Model evidence: the scored flow's ports and counters. */
  flow?: FlowSummary;
  /** Rule evidence about a port scan: the ports probed. */
  ports?: PortSpan;
}

/** Evidence as stored beside the alert it supports. */
export interface StoredEvidence extends Evidence {
  incidentId: string;
}
