/**
 * Threat events built from REAL flows of the shared captures. No detector exists yet, so each
 * flow of an attack capture becomes one event labelled by what SOURCES.md says the capture is
 * (threat type, category) with a fixed fixture confidence, and detector 'test:fixture'. Times,
 * addresses, ports, protocols and flow ids are the capture's own. Ids are derived from the
 * capture and flow index, so two processes building the same capture get the same events.
 */
import { createHash } from 'node:crypto';
import type { Incident } from '../../lib/detect/incident.ts';
import { severityFor, type Severity, type ThreatCategory, type ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { correctedFlowId, correctedFormat } from '../../lib/flows/correctedFormat.ts';
import { extractFlowsFromFile } from '../../lib/flows/extractFlows.ts';
import { flowAddressText } from '../../lib/flows/featureFormat.ts';
import type { IntervalCounters } from '../../lib/store/recordCounters.ts';
import { sharedDataset } from '../sharedDatasets.ts';

export { sharedDataset };

export interface FixtureLabel {
  threatType: string;
  category: ThreatCategory;
  confidence: number;
}

/** One real flow with the figures counters need. */
export interface LabelledFlow {
  event: ThreatEvent;
  packets: number;
  bytes: number;
}

const protocolNames: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6' };

export function fixtureUuid(text: string): string {
  const hex = createHash('sha1').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Every flow of the capture (corrected mode) as one labelled event; one incident per source IP. */
export async function flowsAsThreats(capture: string, label: FixtureLabel): Promise<LabelledFlow[]> {
  const flows: LabelledFlow[] = [];
  await extractFlowsFromFile(sharedDataset(capture), correctedFormat, (flow) => {
    const sourceIp = flowAddressText(flow, 0);
    const bytes = flow.fwdBytes + flow.bwdBytes;
    flows.push({
      packets: flow.packets,
      bytes,
      event: {
        id: fixtureUuid(`${capture}#${flows.length}`),
        time: Math.floor(flow.startUs / 1000),
        sourceIp,
        destinationIp: flowAddressText(flow, 1),
        destinationPort: flow.dstPort,
        protocol: protocolNames[flow.protocol] ?? String(flow.protocol),
        threatType: label.threatType,
        category: label.category,
        severity: severityFor(label.confidence),
        confidence: label.confidence,
        detector: 'test:fixture',
        modelVersion: '',
        flowId: correctedFlowId(flow),
        incidentId: fixtureUuid(`${capture}|${label.threatType}|${sourceIp}`),
        summary: `${flow.packets} packets, ${bytes} payload bytes, ended by ${flow.reason}`,
      },
    });
  });
  return flows;
}

export async function threatsFromCapture(capture: string, label: FixtureLabel): Promise<ThreatEvent[]> {
  return (await flowsAsThreats(capture, label)).map((flow) => flow.event);
}

/** Incidents as a grouping detector would report them: events of one incident id folded. */
export function incidentsOf(events: readonly ThreatEvent[]): Incident[] {
  const byId = new Map<string, Incident>();
  for (const e of events) {
    const known = byId.get(e.incidentId);
    if (known === undefined) {
      byId.set(e.incidentId, {
        id: e.incidentId,
        key: `${e.detector}|${e.threatType}|${e.sourceIp}`,
        threatType: e.threatType,
        category: e.category,
        severity: e.severity,
        peakConfidence: e.confidence,
        sourceIp: e.sourceIp,
        destinationIp: e.destinationIp,
        destinationPort: e.destinationPort,
        protocol: e.protocol,
        detector: e.detector,
        modelVersion: e.modelVersion,
        firstSeen: e.time,
        lastSeen: e.time,
        eventCount: 1,
        summary: e.summary,
      });
    } else {
      known.firstSeen = Math.min(known.firstSeen, e.time);
      known.lastSeen = Math.max(known.lastSeen, e.time);
      known.eventCount++;
      if (e.confidence > known.peakConfidence) {
        known.peakConfidence = e.confidence;
        known.severity = e.severity;
      }
    }
  }
  return [...byId.values()];
}

/** Per-interval counters of real flows: each flow's packets and bytes in the interval it started. */
export function countersOf(flows: readonly LabelledFlow[], intervalMs: number): IntervalCounters[] {
  const byStart = new Map<number, IntervalCounters>();
  for (const flow of flows) {
    const intervalStart = flow.event.time - (flow.event.time % intervalMs);
    let row = byStart.get(intervalStart);
    if (row === undefined) {
      row = {
        intervalStart,
        intervalMs,
        packets: 0,
        bytes: 0,
        flows: 0,
        threats: { Critical: 0, High: 0, Medium: 0, Low: 0 } satisfies Record<Severity, number>,
        drops: 0,
      };
      byStart.set(intervalStart, row);
    }
    row.packets += flow.packets;
    row.bytes += flow.bytes;
    row.flows++;
    row.threats[flow.event.severity]++;
  }
  return [...byStart.values()];
}
