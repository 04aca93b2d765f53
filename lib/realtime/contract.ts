/**
 * The realtime contract between server.ts and the dashboard: Socket.IO event names and
 * payloads. Both sides import these types, so a change here is a change to both.
 *
 * server -> client
 *   'state'  once on connect: the whole current picture (a client that joins mid-session
 *            sees everything at once), same shape as a batch with the recent feed.
 *   'batch'  every 2 s while anyone is connected: what changed since the last batch.
 * client -> server (each answered through the Socket.IO acknowledgement callback with Ack<T>)
 *   'monitor:sources'  -> Ack<SourcesInfo>
 *   'monitor:start'    StartRequest -> Ack<MonitorStatus>
 *   'monitor:stop'     -> Ack<MonitorStatus>
 *   'incidents:evidence' { incidentId } -> Ack<StoredEvidence[]>   the flow verdicts and rule detections
 *                      an alert was fused from, oldest first (at most 1,000)
 *   'models:list'      -> Ack<ModelVersionSummary[]>            every version, newest first (lib/registry)
 *   'models:activate'  { id } -> Ack<ActivationResult>        refused with the reason when the live
 *                      engine cannot feed the model; `appliesTo: 'next-session'` when a running
 *                      session reads another feature format; the batches' status.modelVersion
 *                      shows the model actually scoring
 *   'models:rollback'  -> Ack<ActivationResult>               the version active before this one
 *   'models:delete'    { id } -> Ack<{ id }>                  the active version is refused
 *   'models:compare'   { a, b, dataset } -> Ack<ModelComparison>  both evaluated on the same labelled file(s)
 *   (the models:* events exist when server.ts attaches a registry)
 *   'models:details'  { id } -> Ack<ModelDetails>            confusion matrices, per-class figures, top
 *                      features from the version's metrics.json (lib/registry/modelDetails.ts)
 *   'training:start' / 'training:cancel' / 'training:status', broadcast 'training:progress' /
 *                      'training:done': types in lib/training/trainingRequest.ts, handlers in trainingHandlers.ts
 * HTTP
 *   GET /api/report.csv?session=<id>&from=<ms>&to=<ms>   threats as CSV, streamed from SQLite
 */
import type { PortSpan, StoredEvidence } from '../detect/evidence.ts';
import type { Ack } from '../imports/importContract.ts';
import type { Severity } from '../detect/threatEvent.ts';
import type { ChartData, Metrics, MonitorStatus, SourcesInfo, StartRequest } from '../monitor/monitorApi.ts';
import type { ModelDetails } from '../registry/modelDetails.ts';
import type { TrainingClientToServerEvents, TrainingServerToClientEvents } from '../training/trainingRequest.ts';

export type { ChartData, Metrics, MonitorStatus, SourceRequest, SourcesInfo, StartRequest } from '../monitor/monitorApi.ts';
import type { ActivationResult, ModelComparison } from '../registry/modelRegistry.ts';
import type { ModelVersionSummary } from '../registry/modelVersion.ts';

export type { ActivationResult, ComparedModel, ModelComparison } from '../registry/modelRegistry.ts';
export type { HeadlineMetrics, ModelVersionSummary } from '../registry/modelVersion.ts';
export type { LiveCompatibility } from '../registry/liveCompatibility.ts';

export const BATCH_INTERVAL_MS = 2000;
/** Most feed rows one batch carries; the page keeps at most FEED_LIMIT rows. */
export const BATCH_FEED_LIMIT = 200;
export const FEED_LIMIT = 500;

/** Every acknowledgement, on the main namespace and on '/datasets': one shape, declared once. */
export type { Ack };

/** One feed row: an incident as it stands now (new or updated). */
export interface FeedRow {
  incidentId: string;
  /** Last seen, ms since epoch. */
  time: number;
  firstSeen: number;
  sourceIp: string;
  destinationIp: string;
  destinationPort: number;
  /** A scan: how many ports, the lowest and the highest (destinationPort is then 0). */
  ports?: PortSpan;
  protocol: string;
  threatType: string;
  category: string;
  severity: Severity;
  /** Peak confidence 0..1. */
  confidence: number;
  eventCount: number;
  detector: string;
  summary: string;
  /** Wall-clock ms when detection had the evidence of this update (see Incident.observedAt). */
  observedAt?: number;
}

export interface Batch {
  /** Increments by one per batch; a client can tell it missed none. */
  seq: number;
  sentAt: number;
  status: MonitorStatus;
  metrics: Metrics;
  charts: ChartData;
  /** New or updated incidents since the previous batch, newest first, at most BATCH_FEED_LIMIT. */
  feed: FeedRow[];
}

export type ServerToClientEvents = TrainingServerToClientEvents & {
  state: (state: Batch) => void;
  batch: (batch: Batch) => void;
};

export type ClientToServerEvents = TrainingClientToServerEvents & {
  'models:details': (request: { id: string }, ack: (reply: Ack<ModelDetails>) => void) => void;
  'monitor:sources': (ack: (reply: Ack<SourcesInfo>) => void) => void;
  'monitor:start': (request: StartRequest, ack: (reply: Ack<MonitorStatus>) => void) => void;
  'monitor:stop': (ack: (reply: Ack<MonitorStatus>) => void) => void;
  'incidents:evidence': (request: { incidentId: string }, ack: (reply: Ack<StoredEvidence[]>) => void) => void;
  'models:list': (ack: (reply: Ack<ModelVersionSummary[]>) => void) => void;
  'models:activate': (request: { id: string }, ack: (reply: Ack<ActivationResult>) => void) => void;
  'models:rollback': (ack: (reply: Ack<ActivationResult>) => void) => void;
  'models:delete': (request: { id: string }, ack: (reply: Ack<{ id: string }>) => void) => void;
  /** `dataset`: labelled dataset file path(s) on the server. */
  'models:compare': (request: { a: string; b: string; dataset: string | string[] }, ack: (reply: Ack<ModelComparison>) => void) => void;
};
