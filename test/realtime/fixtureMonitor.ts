/**
 * A MonitorApi for the hub tests, replaying REAL flows: every flow of the PPA SYN port scan
 * capture (datasets/pcaps/ppa-markofu/portscan.pcap.gz, "29 SYNs to 29 ports" per SOURCES.md)
 * becomes one incident with the flow's own addresses, port, protocol and times. No detector
 * runs here: the threat type is the capture's documented attack and the detector is named
 * 'test:fixture' so nothing mistakes these rows for a model's verdict.
 */
import type { StoredEvidence } from '../../lib/detect/evidence.ts';
import { networkInterfaces } from 'node:os';
import type { Incident } from '../../lib/detect/incident.ts';
import { severityFor, type Severity } from '../../lib/detect/threatEvent.ts';
import { extractFlowsFromFile, flowAddressText, getFeatureFormat } from '../../lib/flows/index.ts';
import type { MonitorApi, MonitorSnapshot, MonitorStatus, SourcesInfo, StartRequest } from '../../lib/monitor/monitorApi.ts';
import type { EngineCounterValues } from '../../lib/monitor/engineCounters.ts';
import { sharedDataset } from '../sharedDatasets.ts';

export const FIXTURE_SAMPLE = 'portscan.pcap.gz';
export const FIXTURE_PATH = sharedDataset('pcaps/ppa-markofu/portscan.pcap.gz');

export interface FixtureFlowIncidents {
  incidents: Incident[];
  packets: number;
}

const protocolNames: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6' };

export async function incidentsFromCapture(path: string = FIXTURE_PATH): Promise<FixtureFlowIncidents> {
  const incidents: Incident[] = [];
  let packets = 0;
  await extractFlowsFromFile(path, getFeatureFormat('corrected'), (flow) => {
    const sourceIp = flowAddressText(flow, 0);
    const destinationIp = flowAddressText(flow, 1);
    const confidence = 1; // the capture's label is certain; there is no model score to report
    packets += flow.packets;
    incidents.push({
      id: `fixture-${incidents.length + 1}`,
      key: `test:fixture|${sourceIp}|${destinationIp}:${flow.dstPort}`,
      threatType: 'PortScan',
      category: 'Reconnaissance',
      severity: severityFor(confidence),
      peakConfidence: confidence,
      sourceIp,
      destinationIp,
      destinationPort: flow.dstPort,
      protocol: protocolNames[flow.protocol] ?? String(flow.protocol),
      detector: 'test:fixture',
      modelVersion: '',
      firstSeen: Math.floor(flow.startUs / 1000),
      lastSeen: Math.floor(flow.lastUs / 1000),
      eventCount: flow.packets,
      summary: `${flow.packets} packets from ${sourceIp}:${flow.srcPort} to ${destinationIp}:${flow.dstPort}`,
    });
  });
  return { incidents, packets };
}

/** A monitor that has never run. */
export const IDLE_STATUS: MonitorStatus = {
  running: false,
  sessionId: null,
  source: '',
  startedAt: null,
  elapsedMs: 0,
  packetsPerSecond: 0,
  drops: 0,
  engineDrops: 0,
  engineSampling: 1,
  modelVersion: '',
};

const newestFirst = (a: Incident, b: Incident): number => b.lastSeen - a.lastSeen || b.id.localeCompare(a.id);

/** start() releases the capture's incidents all at once into the updated queue. */
export class FixtureMonitor implements MonitorApi {
  private released: Incident[] = [];
  private queue: Incident[] = [];
  private status: MonitorStatus = { ...IDLE_STATUS };
  private sessions = 0;
  startRequests: StartRequest[] = [];

  constructor(private readonly data: FixtureFlowIncidents) {}

  async sources(): Promise<SourcesInfo> {
    const interfaces = Object.entries(networkInterfaces()).map(([name, addresses]) => ({
      name,
      addresses: (addresses ?? []).map((a) => a.address),
      isLoopback: (addresses ?? []).some((a) => a.internal),
    }));
    return {
      interfaces,
      liveAvailable: false,
      liveUnavailableReason: 'the test monitor only replays a capture file',
      samples: [{ name: FIXTURE_SAMPLE, description: 'PPA SYN port scan', packets: this.data.packets }],
      captureFiles: [],
    };
  }

  async start(request: StartRequest): Promise<MonitorStatus> {
    this.startRequests.push(request);
    if (request.source.kind !== 'sample' || request.source.name !== FIXTURE_SAMPLE) {
      throw new Error(`no such sample: ${request.source.kind === 'sample' ? request.source.name : request.source.kind}`);
    }
    this.sessions += 1;
    this.released = [...this.data.incidents].sort(newestFirst);
    this.queue = [...this.released];
    this.status = {
      ...this.status,
      running: true,
      sessionId: `fixture-session-${this.sessions}`,
      source: `sample ${FIXTURE_SAMPLE} at ${request.source.speed} speed`,
      startedAt: Date.now(),
      error: undefined,
    };
    return { ...this.status };
  }

  /** The fixture replays no packets: every engine total stays zero. */
  counters(): EngineCounterValues {
    return { kernelPackets: 0, kernelDrops: 0, engineDrops: 0, decoderPackets: 0, decoderBytes: 0, flowsByFormat: {}, scoredRows: 0, scoreCacheHits: 0, alerts: [] };
  }

  /** The fixture's incidents come without stored evidence. */
  incidentEvidence(): StoredEvidence[] {
    return [];
  }

  async stop(): Promise<MonitorStatus> {
    this.status = { ...this.status, running: false };
    return { ...this.status };
  }

  snapshot(): MonitorSnapshot {
    const severity: Record<Severity, number> = { Critical: 0, High: 0, Medium: 0, Low: 0 };
    const types = new Map<string, number>();
    const categories = new Map<string, number>();
    let packets = 0;
    for (const incident of this.released) {
      severity[incident.severity] += 1;
      types.set(incident.threatType, (types.get(incident.threatType) ?? 0) + 1);
      categories.set(incident.category, (categories.get(incident.category) ?? 0) + 1);
      packets += incident.eventCount;
    }
    const status = { ...this.status, elapsedMs: this.status.startedAt === null ? 0 : Date.now() - this.status.startedAt };
    return {
      status,
      metrics: {
        totalThreats: this.released.length,
        critical: severity.Critical,
        high: severity.High,
        medium: severity.Medium,
        low: severity.Low,
        packetsCaptured: packets,
        flows: this.released.length,
        packetsPerSecond: 0,
        drops: 0,
      },
      charts: {
        severity,
        attackTypes: [...types].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count).slice(0, 8),
        categories: [...categories].map(([category, count]) => ({ category, count })),
      },
    };
  }

  recentIncidents(limit: number): Incident[] {
    return this.released.slice(0, limit);
  }

  drainUpdatedIncidents(limit: number): Incident[] {
    return this.queue.splice(0, limit);
  }
}
