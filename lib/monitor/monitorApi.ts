/**
 * What the realtime layer may ask of the monitoring loop. lib/monitor implements it; the
 * Socket.IO hub and HTTP routes only call these methods and never reach into the loop.
 */
import type { StoredEvidence } from '../detect/evidence.ts';
import type { Incident } from '../detect/incident.ts';
import type { Severity } from '../detect/threatEvent.ts';
import type { EngineCounterValues } from './engineCounters.ts';

export type SourceRequest =
  | { kind: 'interface'; name: string; filter?: string }
  | { kind: 'sample'; name: string; speed: 'max' | 'recorded' }
  | { kind: 'file'; path: string; speed: 'max' | 'recorded' };

export interface StartRequest {
  source: SourceRequest;
}

export interface SourcesInfo {
  interfaces: { name: string; addresses: string[]; isLoopback: boolean }[];
  /** False when this process may not capture (not root, no CAP_NET_RAW); the reason says why. */
  liveAvailable: boolean;
  liveUnavailableReason?: string;
  /** Capture files shipped in datasets/ that can be replayed. */
  samples: { name: string; description: string; packets?: number }[];
  /**
   * Other capture files in the server's allowed folders (NETGUARD_ALLOWED_DIRS, the data folder),
   * to replay as `{ kind: 'file', path }`; the samples are not repeated here.
   */
  captureFiles: { path: string; bytes: number }[];
}

export interface MonitorStatus {
  running: boolean;
  sessionId: string | null;
  /** e.g. "interface lo (tcp)" or "sample synscan.pcapng.gz at recorded speed". */
  source: string;
  startedAt: number | null;
  elapsedMs: number;
  packetsPerSecond: number;
  /** Packets the kernel dropped (live capture). */
  drops: number;
  /**
   * Finished flows the model did not score because detection could not keep up (live capture
   * samples flows instead of queueing them without limit); `engineSampling` is the share scored.
   */
  engineDrops: number;
  engineSampling: number;
  modelVersion: string;
  /** Set when the last run ended with an error (bad file, capture permission, ...). */
  error?: string;
  /**
   * Set when a file session's capture was damaged or cut short, e.g. "3 damaged records skipped
   * (412 bytes) after byte 1,048,576; truncated last record": the replay went on, but what it
   * shows lacks those packets.
   */
  warning?: string;
}

export interface Metrics {
  totalThreats: number;
  critical: number;
  high: number;
  medium: number;
  low: number;
  packetsCaptured: number;
  flows: number;
  packetsPerSecond: number;
  drops: number;
}

export interface ChartData {
  severity: Record<Severity, number>;
  /** Top 8 threat types by count, largest first. */
  attackTypes: { type: string; count: number }[];
  categories: { category: string; count: number }[];
}


export interface MonitorSnapshot {
  status: MonitorStatus;
  metrics: Metrics;
  charts: ChartData;
}

export interface MonitorApi {
  sources(): Promise<SourcesInfo>;
  /** Rejects with an Error whose message is fit to show the user (bad file, no permission, ...). */
  start(request: StartRequest): Promise<MonitorStatus>;
  stop(): Promise<MonitorStatus>;
  snapshot(): MonitorSnapshot;
  /** The most recently updated incidents of the current (or last) session, newest first. */
  recentIncidents(limit: number): Incident[];
  /** Incidents created or updated since the last call (drains the queue), newest first. */
  drainUpdatedIncidents(limit: number): Incident[];
  /** The evidence an alert was fused from (flagged flows and rule detections), oldest first. */
  incidentEvidence(incidentId: string, limit: number): StoredEvidence[];
  /** Process-wide totals since start (never go down), for /metrics. */
  counters(): EngineCounterValues;
}
