/**
 * A NetGuard alert as a Suricata EVE JSON `alert` record, so the Suricata modules of log shippers
 * (Filebeat, Logstash, Vector) ingest NetGuard's alerts unchanged. One function for both exports:
 * `netguard monitor --eve FILE` (live events) and `GET /api/alerts.eve.json` (stored threats).
 *
 * Field by field, and where NetGuard has to choose:
 * - `timestamp`: the alert's packet time, microseconds, `+0000` (Suricata writes the sensor's
 *   local offset; UTC is one of those).
 * - `flow_id`: Suricata's is a 64-bit number; JSON readers lose integers past 2^53, so ours is
 *   53 bits of SHA-1 over the representative flow's id text and start time: the same flow gives
 *   the same id in every export. A rule-only alert has no one flow: the id comes from its
 *   incident, so every update of one incident shares it.
 * - `src_ip`/`dest_ip`/ports/`flow`: the alert's representative flow (ThreatEvent.representativeFlow).
 *   An alert about "many (N)" sources names its top source; one about many hosts its most-hit
 *   target; when no evidence named any address, `0.0.0.0` (`::` for IPv6), Suricata's unspecified
 *   address. Rule-only alerts have every `flow` counter 0 (a rule counts over many flows).
 *   ICMP lines carry no ports, as Suricata writes them.
 * - `proto`: TCP, UDP, ICMP as NetGuard names them; ICMPv6 as Suricata's `IPv6-ICMP`.
 * - `alert`: action `allowed` (NetGuard only watches); gid/signature_id/rev/signature/category
 *   from eveSignatures.ts; severity 1 = Critical or High, 2 = Medium, 3 = Low.
 * - What EVE has no field for goes into `alert.metadata` (Suricata's place for rule metadata,
 *   string arrays; the schema closes every other object): see EveMetadata.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { Severity, ThreatEvent } from '../detect/threatEvent.ts';
import { EVE_GENERATOR_ID, eveSignatureFor } from './eveSignatures.ts';

/** NetGuard's own fields, in `alert.metadata` (each a one-element string array, as Suricata writes metadata). */
export interface EveMetadata {
  [key: string]: string[] | undefined;
  netguard_event_id: string[];
  netguard_incident_id: string[];
  netguard_threat_type: string[];
  netguard_category: string[];
  netguard_severity: string[];
  /** Fused confidence, three decimals. */
  netguard_confidence: string[];
  /** Every detector that contributed, e.g. "model+rule:syn-flood". */
  netguard_detector: string[];
  netguard_summary: string[];
  /** Only for model alerts: the model version that scored the flows. */
  netguard_model_version?: string[];
  /** Only when known (the HTTP export; the CLI's store is its own). */
  netguard_session_id?: string[];
  /** Only when the alert stands for many sources: NetGuard's label, e.g. "many (12,345)". */
  netguard_sources?: string[];
  /** Only when the alert stands for many targets: "many". */
  netguard_destinations?: string[];
}

export interface EveAlertRecord {
  timestamp: string;
  flow_id: number;
  event_type: 'alert';
  src_ip: string;
  src_port?: number;
  dest_ip: string;
  dest_port?: number;
  proto: string;
  alert: {
    action: 'allowed';
    gid: number;
    signature_id: number;
    rev: number;
    signature: string;
    category: string;
    severity: 1 | 2 | 3;
    metadata: EveMetadata;
  };
  flow: {
    pkts_toserver: number;
    pkts_toclient: number;
    bytes_toserver: number;
    bytes_toclient: number;
    start: string;
  };
}

/** Suricata's alert severity: 1 is the highest. */
export const EVE_SEVERITY: Readonly<Record<Severity, 1 | 2 | 3>> = { Critical: 1, High: 1, Medium: 2, Low: 3 };

const PROTOCOLS_WITH_PORTS = new Set(['TCP', 'UDP', 'SCTP']);
/** Suricata's names where NetGuard's differ (it takes them from /etc/protocols). */
const EVE_PROTOCOL_NAMES: Readonly<Record<string, string>> = { ICMPv6: 'IPv6-ICMP' };
const FLOW_ID_MASK_HIGH = 0x1f_ffff; // 21 bits over the low 32: 53 in all

export function eveAlert(event: ThreatEvent, context: { sessionId?: string } = {}): EveAlertRecord {
  const flow = event.representativeFlow;
  const destinationIp = firstAddress(flow?.destinationIp, event.destinationIp);
  const sourceIp = firstAddress(flow?.sourceIp, event.sourceIp);
  const signature = eveSignatureFor(event.detector, event.threatType);
  const hasPorts = PROTOCOLS_WITH_PORTS.has(event.protocol);
  const flowKey = flow !== undefined && flow.flowId !== '' ? `${flow.flowId}|${Math.round(flow.startMs * 1000)}` : `incident|${event.incidentId || event.id}`;
  // Keys in the order Suricata writes them, for people reading the file.
  return {
    timestamp: eveTimestamp(event.time),
    flow_id: eveFlowId(flowKey),
    event_type: 'alert',
    src_ip: sourceIp === '' ? unspecifiedAddress(destinationIp) : sourceIp,
    ...(hasPorts ? { src_port: flow?.sourcePort ?? 0 } : {}),
    dest_ip: destinationIp === '' ? unspecifiedAddress(sourceIp) : destinationIp,
    ...(hasPorts ? { dest_port: flow?.destinationPort ?? event.destinationPort } : {}),
    proto: Object.hasOwn(EVE_PROTOCOL_NAMES, event.protocol) ? EVE_PROTOCOL_NAMES[event.protocol]! : event.protocol,
    alert: {
      action: 'allowed',
      gid: EVE_GENERATOR_ID,
      signature_id: signature.signatureId,
      rev: signature.rev,
      signature: signature.signature,
      category: signature.category,
      severity: EVE_SEVERITY[event.severity],
      metadata: metadata(event, context.sessionId),
    },
    flow: {
      pkts_toserver: flow?.packetsToServer ?? 0,
      pkts_toclient: flow?.packetsToClient ?? 0,
      bytes_toserver: flow?.bytesToServer ?? 0,
      bytes_toclient: flow?.bytesToClient ?? 0,
      start: eveTimestamp(flow?.startMs ?? event.time),
    },
  };
}

/** One EVE line (no newline). */
export function eveAlertLine(event: ThreatEvent, context: { sessionId?: string } = {}): string {
  return JSON.stringify(eveAlert(event, context));
}

/** Packet time in ms (fractions keep microseconds) as Suricata writes it: 2026-12-04T17:16:00.123456+0000. */
export function eveTimestamp(ms: number): string {
  const micros = Math.round(ms * 1000);
  const fraction = ((micros % 1_000_000) + 1_000_000) % 1_000_000;
  const seconds = (micros - fraction) / 1_000_000;
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${String(fraction).padStart(6, '0')}+0000`;
}

/** 53 bits of SHA-1 of `text`, never 0 (a positive integer every JSON reader keeps exactly). */
export function eveFlowId(text: string): number {
  const digest = createHash('sha1').update(text).digest();
  const id = (digest.readUInt32BE(0) & FLOW_ID_MASK_HIGH) * 0x1_0000_0000 + digest.readUInt32BE(4);
  return id === 0 ? 1 : id;
}

/** The first of the two that is an IP address ('*', "many (N)" and '' are not), else ''. */
function firstAddress(preferred: string | undefined, fallback: string): string {
  if (preferred !== undefined && isIP(preferred) !== 0) return preferred;
  return isIP(fallback) !== 0 ? fallback : '';
}

function unspecifiedAddress(other: string): string {
  return isIP(other) === 6 ? '::' : '0.0.0.0';
}

function metadata(event: ThreatEvent, sessionId: string | undefined): EveMetadata {
  const result: EveMetadata = {
    netguard_event_id: [event.id],
    netguard_incident_id: [event.incidentId],
    netguard_threat_type: [event.threatType],
    netguard_category: [event.category],
    netguard_severity: [event.severity],
    netguard_confidence: [event.confidence.toFixed(3)],
    netguard_detector: [event.detector],
    netguard_summary: [event.summary],
  };
  if (event.modelVersion !== '') result.netguard_model_version = [event.modelVersion];
  if (sessionId !== undefined) result.netguard_session_id = [sessionId];
  if (isIP(event.sourceIp) === 0) result.netguard_sources = [event.sourceIp === '*' ? 'many' : event.sourceIp];
  if (isIP(event.destinationIp) === 0) result.netguard_destinations = [event.destinationIp === '*' ? 'many' : event.destinationIp];
  return result;
}
