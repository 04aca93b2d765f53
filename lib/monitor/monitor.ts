/**
 * The monitoring loop: one session at a time, from a live interface or a capture file, through
 * decode -> flow table -> model scoring + rule detectors -> incidents -> store. Every event is
 * committed to the store before its incident is queued for the browser, so what a user saw
 * survives a crash. A failure inside detection is counted and reported, never stops the loop.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  describeCaptureDamage,
  listInterfaces,
  liveCapturePermission,
  openCaptureFile,
  openInterface,
  openRecordedSpeedReplay,
  type PacketSource,
} from '../capture/index.ts';
import { localFiles, type FileResolver } from '../config/fileResolver.ts';
import { parseDetectorConfig, type DetectorConfigInput } from '../detect/detectorConfig.ts';
import type { Incident } from '../detect/incident.ts';
import { IncidentTracker } from '../detect/incidentTracker.ts';
import type { Evidence, StoredEvidence } from '../detect/evidence.ts';
import { EvidenceFusion, type FusedAlert } from '../detect/evidenceFusion.ts';
import type { FusionConfigInput } from '../detect/fusionConfig.ts';
import { DEFAULT_SAMPLE_ABOVE, featureSources, ModelDetector } from '../detect/modelDetector.ts';
import { ScoringThread } from '../detect/scoringThread.ts';
import { RuleEngine } from '../detect/ruleEngine.ts';
import { evidenceFromRule } from '../detect/ruleEvidence.ts';
import type { ThreatEvent } from '../detect/threatEvent.ts';
import { extractFlows, type ExtractFlowsResult } from '../flows/extractFlows.ts';
import { formatSession } from '../flows/featureFormat.ts';
import { getFeatureFormat } from '../flows/featureFormats.ts';
import { type ModelMetadata, modelMetadataSchema } from '../model/export/modelMetadata.ts';
import {
  endSession,
  getSessionSummary,
  commitDetections,
  listEvidence,
  listRecentIncidents,
  listSessions,
  recordCounters,
  startSession,
  type Store,
} from '../store/index.ts';
import type { MonitorApi, MonitorSnapshot, MonitorStatus, SourceRequest, SourcesInfo, StartRequest } from './monitorApi.ts';
import { EngineCounters } from './engineCounters.ts';
import { SessionTally } from './sessionTally.ts';

export interface MonitorOptions {
  store: Store;
  /** Directory of the active model (model.onnx + model.json). */
  modelDirectory: string;
  /** Directory of the capture files offered as samples. */
  samplesDirectory: string;
  detectors?: DetectorConfigInput;
  /** Evidence fusion settings (lib/detect/fusionConfig.ts). */
  fusion?: FusionConfigInput;
  /** How often traffic counters are written to the store. */
  counterIntervalMs?: number;
  log?: (line: string) => void;
  /** Sees every threat event (alert) after it is stored (the headless CLI prints them). */
  onEvents?: (events: readonly ThreatEvent[]) => void;
  /** Sees every piece of evidence as it reaches fusion: each flagged flow verdict and rule detection. */
  onEvidence?: (evidence: readonly Evidence[]) => void;
  /**
   * Checks a `{ kind: 'file' }` path before anything opens it (lib/config). The server passes
   * its ServerPaths (allowed folders only); the default, for the command line, takes any
   * readable regular file.
   */
  files?: FileResolver;
  /** Sees how long each store transaction of detections took, in seconds (/metrics). */
  onStoreWrite?: (seconds: number) => void;
}

/** What `activateModel` did: swapped now, or left the running session on its model until it ends. */
export interface ModelActivation {
  versionId: string;
  appliesTo: 'now' | 'next-session';
}

const CAPTURE_SUFFIX = /\.(pcap|pcapng|cap)(\.gz|_\.gz)?$/;
/** Alerts are stored together at least this often, and at once when this many are held. */
const ALERT_COMMIT_MS = 250;
const ALERT_COMMIT_BATCH = 256;
/** Flows waiting for the model before a file replay is paused. */
const SCORING_BACKLOG_LIMIT = 16_384;

interface RunningSession {
  id: string;
  source: PacketSource;
  description: string;
  live: boolean;
  startedAt: number;
  done: Promise<void>;
}

export class Monitor implements MonitorApi {
  private session: RunningSession | null = null;
  private lastSessionId: string | null = null;
  private lastSource = '';
  private lastStartedAt: number | null = null;
  private lastEndedAt: number | null = null;
  private lastError: string | undefined;
  /** What the last file session's reader said was damaged in the capture (see MonitorStatus.warning). */
  private lastWarning: string | undefined;
  private tally = new SessionTally();
  private readonly engineCounters = new EngineCounters();
  private incidents: IncidentTracker;
  private readonly updated = new Map<string, Incident>();
  private readonly log: (line: string) => void;
  /** The running session's model detector (file replays wait on its backlog). */
  private modelDetector: ModelDetector | null = null;
  /** Model waiting for the next session (activated while a session in another format ran). */
  private pendingModel: string | null = null;
  /** The model the running session's flow stage was built for. */
  private sessionModel: ModelMetadata | null = null;
  private errorsLogged = 0;
  /** Alerts fused but not yet stored (see acceptAlert). */
  private pendingAlerts: { sessionId: string; alerts: FusedAlert[]; observedAt: number[] } = { sessionId: '', alerts: [], observedAt: [] };
  /** Wall-clock ms when the evidence behind the next alert became available (latency reporting). */
  private alertObservedAt = 0;

  private constructor(
    private readonly options: MonitorOptions,
    private readonly scorer: ScoringThread,
  ) {
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.incidents = this.newTracker();
    this.restoreLastSession();
  }

  /** Loads the model and checks that the live flow engine can produce its features. */
  static async create(options: MonitorOptions): Promise<Monitor> {
    const scorer = await ScoringThread.start(options.modelDirectory);
    try {
      const formatName = scorer.metadata.featureFormat;
      if (formatName === null) {
        throw new Error(`model ${scorer.metadata.versionId} was trained on features the live flow engine cannot produce`);
      }
      featureSources(getFeatureFormat(formatName), scorer.metadata);
    } catch (error) {
      await scorer.close();
      throw error;
    }
    return new Monitor(options, scorer);
  }

  get modelVersion(): string {
    return this.scorer.metadata.versionId;
  }

  async sources(): Promise<SourcesInfo> {
    const permission = liveCapturePermission();
    let interfaces: SourcesInfo['interfaces'] = [];
    try {
      interfaces = listInterfaces().map(({ name, addresses, isLoopback }) => ({ name, addresses, isLoopback }));
    } catch (error) {
      this.log(`listing interfaces failed: ${(error as Error).message}`);
    }
    return {
      interfaces,
      liveAvailable: permission.available,
      liveUnavailableReason: permission.reason,
      samples: this.sampleNames().map((name) => ({ name, description: name.replace(CAPTURE_SUFFIX, '') })),
      captureFiles: this.captureFiles(),
    };
  }

  async start(request: StartRequest): Promise<MonitorStatus> {
    if (this.session !== null) throw new Error('monitoring is already running; stop it first');
    if (this.pendingModel !== null) {
      const pending = this.pendingModel;
      this.pendingModel = null;
      await this.scorer.swap(pending);
    }
    const { source, description, live } = this.openSource(request.source);
    const record = startSession(this.options.store, { source: description, modelVersion: this.modelVersion });
    this.tally = new SessionTally();
    this.incidents = this.newTracker();
    this.updated.clear();
    this.lastError = undefined;
    this.lastWarning = undefined;
    this.lastSessionId = record.id;
    this.lastSource = description;
    this.lastStartedAt = record.startedAt;
    this.lastEndedAt = null;
    const session: RunningSession = { id: record.id, source, description, live, startedAt: record.startedAt, done: Promise.resolve() };
    this.session = session;
    session.done = this.run(session);
    // Opening an interface fails fast (no permission, unknown name, bad filter): report it on Start.
    await Promise.race([session.done, sleep(400)]);
    if (this.lastError !== undefined && this.session === null) throw new Error(this.lastError);
    return this.status();
  }

  /** Resolves when the running session (if any) has ended and its last threats are stored. */
  async finished(): Promise<MonitorStatus> {
    await this.session?.done;
    return this.status();
  }

  /** Stops a running session and ends the scoring thread (the server's shutdown). */
  async close(): Promise<void> {
    await this.stop();
    await this.scorer.close();
  }

  async stop(): Promise<MonitorStatus> {
    const session = this.session;
    if (session !== null) {
      session.source.stop();
      await session.done;
    }
    return this.status();
  }

  /**
   * Makes the model in `directory` the active one. A running session's flow stage was built for
   * its model's feature format and dictionaries: a model fed the same way is swapped in at once
   * (the next batches use it); any other waits for the next session (`appliesTo: 'next-session'`)
   * while the running one ends on its model, so no flow is scored with another model's columns.
   * A model the live engine cannot feed is refused with the reason.
   */
  async activateModel(directory: string): Promise<ModelActivation> {
    const next = modelMetadataSchema.parse(JSON.parse(await readFile(join(directory, 'model.json'), 'utf8')));
    if (next.featureFormat === null) {
      throw new Error(`model ${next.versionId} was trained on features the live flow engine cannot produce`);
    }
    featureSources(getFeatureFormat(next.featureFormat), next);
    if (this.session !== null && this.sessionModel !== null && !fedAlike(this.sessionModel, next)) {
      this.pendingModel = directory;
      return { versionId: next.versionId, appliesTo: 'next-session' };
    }
    this.pendingModel = null;
    const metadata = await this.scorer.swap(directory);
    return { versionId: metadata.versionId, appliesTo: 'now' };
  }


  snapshot(): MonitorSnapshot {
    return { status: this.status(), metrics: this.tally.metrics(), charts: this.tally.charts() };
  }

  recentIncidents(limit: number): Incident[] {
    return this.lastSessionId === null ? [] : listRecentIncidents(this.options.store, this.lastSessionId, { limit: Math.min(limit, 1000) });
  }

  incidentEvidence(incidentId: string, limit: number): StoredEvidence[] {
    return listEvidence(this.options.store, incidentId, { limit });
  }

  drainUpdatedIncidents(limit: number): Incident[] {
    this.commitPending();
    const newest = [...this.updated.values()].sort((a, b) => b.lastSeen - a.lastSeen).slice(0, limit);
    this.updated.clear();
    return newest;
  }

  counters() {
    return this.engineCounters.values();
  }

  private status(): MonitorStatus {
    const running = this.session !== null;
    const end = running ? Date.now() : (this.lastEndedAt ?? Date.now());
    return {
      running,
      sessionId: this.lastSessionId,
      source: this.lastSource,
      startedAt: this.lastStartedAt,
      elapsedMs: this.lastStartedAt === null ? 0 : end - this.lastStartedAt,
      packetsPerSecond: this.tally.packetsPerSecond,
      drops: this.tally.drops,
      engineDrops: this.tally.engineDrops,
      engineSampling: this.tally.engineSampling,
      modelVersion: this.modelVersion,
      error: this.lastError,
      ...(this.lastWarning === undefined ? {} : { warning: this.lastWarning }),
    };
  }

  private newTracker(): IncidentTracker {
    const config = parseDetectorConfig(this.options.detectors ?? {});
    return new IncidentTracker({
      quietGapSeconds: config.incidents.quietGapSeconds,
      maxOpen: config.incidents.maxOpen,
      severity: config.severity,
    });
  }

  /** Capture files in the allowed folders outside the samples (the server's resolver lists them). */
  private captureFiles(): SourcesInfo['captureFiles'] {
    const samples = resolve(this.options.samplesDirectory) + sep;
    return (this.options.files?.listFiles?.(CAPTURE_SUFFIX) ?? []).filter((file) => !file.path.startsWith(samples));
  }

  /** Capture files under the samples directory, as paths relative to it ("ppa-markofu/portscan.pcap.gz"). */
  private sampleNames(): string[] {
    const dir = this.options.samplesDirectory;
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((name) => name.split(sep).join('/'))
      .filter((name) => CAPTURE_SUFFIX.test(name))
      .sort();
  }

  private openSource(request: SourceRequest): { source: PacketSource; description: string; live: boolean } {
    if (request.kind === 'interface') {
      const permission = liveCapturePermission();
      if (!permission.available) throw new Error(permission.reason);
      const filter = request.filter?.trim() || undefined;
      return {
        source: openInterface({ interface: request.name, filter }),
        description: `interface ${request.name}${filter ? ` (${filter})` : ''}`,
        live: true,
      };
    }
    let path: string;
    if (request.kind === 'sample') {
      if (!this.sampleNames().includes(request.name)) {
        throw new Error(`no sample capture named "${request.name}"; choose one of: ${this.sampleNames().join(', ')}`);
      }
      path = join(this.options.samplesDirectory, request.name);
    } else {
      path = (this.options.files ?? localFiles).resolveFile(request.path, 'capture file');
    }
    const recorded = request.speed === 'recorded';
    const source = recorded
      ? openRecordedSpeedReplay(path)
      : openCaptureFile(path, { afterChunk: () => this.waitForScoring() });
    return {
      source,
      description: `${request.kind === 'sample' ? 'sample' : 'file'} ${basename(request.kind === 'sample' ? path : request.path)} at ${recorded ? 'recorded speed' : 'full speed'}`,
      live: false,
    };
  }


  /** A file replay pauses between chunks while the model catches up, so no flow goes unscored. */
  private async waitForScoring(): Promise<void> {
    const detector = this.modelDetector;
    if (detector !== null && detector.backlog > SCORING_BACKLOG_LIMIT) await detector.waitUntilBacklogAtMost(SCORING_BACKLOG_LIMIT / 2);
  }

  private async run(session: RunningSession): Promise<void> {
    const store = this.options.store;
    this.sessionModel = this.scorer.metadata;
    const format = formatSession(getFeatureFormat(this.scorer.metadata.featureFormat!));
    // Every detector's output is evidence; alerts come only from evidence fused per (attacker, family).
    const fusion = new EvidenceFusion({
      config: this.options.fusion,
      tracker: this.incidents,
      severity: parseDetectorConfig(this.options.detectors ?? {}).severity,
      onAlert: (alert) => this.acceptAlert(session.id, alert),
    });
    const modelDetector = new ModelDetector(this.scorer, format, featureSources(format, this.scorer.metadata), {
      minConfidence: fusion.config.flowFloor,
      // Live capture cannot pause: past this backlog flows are sampled (counted as engine drops).
      sampleAbove: session.live ? DEFAULT_SAMPLE_ABOVE : undefined,
      onEvidence: (evidence, observedAt) => {
        this.alertObservedAt = observedAt;
        this.safely('evidence fusion', () => {
          for (const item of evidence) fusion.add(item);
        });
        if (this.options.onEvidence !== undefined) this.safely('evidence callback', () => this.options.onEvidence!(evidence));
      },
      onError: (error) => this.noteError('model scoring', error),
    });
    this.modelDetector = modelDetector;
    this.engineCounters.beginSession(format.name);
    const rules = new RuleEngine({
      config: this.options.detectors ?? {},
      onDetection: (detection) => {
        this.alertObservedAt = Date.now();
        const evidence = evidenceFromRule(detection);
        fusion.add(evidence);
        if (this.options.onEvidence !== undefined) this.safely('evidence callback', () => this.options.onEvidence!([evidence]));
      },
      log: this.log,
    });
    let lastPacketUs = 0;
    let last: ExtractFlowsResult | null = null;
    let counted = { packets: 0, bytes: 0, flows: 0, drops: 0, threats: { ...this.tally.severity } };
    const writeCounters = () => {
      if (last === null) return;
      const now = Date.now();
      const severity = this.tally.severity;
      recordCounters(store, session.id, [
        {
          intervalStart: now,
          intervalMs: this.options.counterIntervalMs ?? 10_000,
          packets: last.source.frames - counted.packets,
          bytes: last.source.bytes - counted.bytes,
          flows: last.table.flowsEmitted - counted.flows,
          threats: {
            Critical: severity.Critical - counted.threats.Critical,
            High: severity.High - counted.threats.High,
            Medium: severity.Medium - counted.threats.Medium,
            Low: severity.Low - counted.threats.Low,
          },
          drops: (last.source.kernelDropped ?? 0) - counted.drops,
        },
      ]);
      counted = {
        packets: last.source.frames,
        bytes: last.source.bytes,
        flows: last.table.flowsEmitted,
        drops: last.source.kernelDropped ?? 0,
        threats: { ...severity },
      };
    };
    const track = (progress: ExtractFlowsResult) => {
      last = progress;
      this.tally.engineDrops = modelDetector.flowsSampledOut;
      this.tally.engineSampling = modelDetector.samplingShare;
      this.engineCounters.update({
        kernelPackets: progress.source.kernelReceived ?? 0,
        kernelDrops: progress.source.kernelDropped ?? 0,
        engineDrops: modelDetector.flowsSampledOut,
        decoderPackets: progress.source.frames,
        decoderBytes: progress.source.bytes,
        flows: progress.table.flowsEmitted,
        scoredRows: modelDetector.flowsScored,
        scoreCacheHits: modelDetector.cacheHits,
      });
      // A file's reader counts damage as it meets it: show it while the replay still runs.
      if (!session.live) this.lastWarning = describeCaptureDamage(progress.source)?.summary;
      this.tally.updateTraffic(progress.source.frames, progress.source.bytes, progress.table.flowsEmitted, progress.source.kernelDropped ?? 0, Date.now());
    };
    const timers = [
      setInterval(() => {
        void modelDetector.flush();
        // Live: time passes without packets too; a file replay runs on its packet clock.
        const nowUs = session.live ? Date.now() * 1000 : lastPacketUs;
        if (session.live) this.safely('rule sweep', () => rules.sweep(nowUs));
        // Fusion waits for the model's backlog: flows still being scored may add to a key.
        if (modelDetector.backlog === 0) this.safely('fusion sweep', () => fusion.sweep(nowUs / 1000));
      }, 250),
      setInterval(() => this.commitPending(), ALERT_COMMIT_MS),
      setInterval(() => this.safely('counters', writeCounters), this.options.counterIntervalMs ?? 10_000),
    ];
    let status: 'completed' | 'stopped' | 'failed' = 'completed';
    try {
      const result = await extractFlows(session.source, format, (flow) => modelDetector.add(flow), {
        sweepIntervalMs: session.live ? 1000 : undefined,
        onPacket: (packet) => {
          lastPacketUs = packet.timestampUs;
          rules.observePacket(packet);
        },
        onProgress: track,
        progressIntervalMs: 500,
      });
      track(result);
      // The model's last batches and the rules' closing reports first, then fusion's closing alerts.
      await modelDetector.flush();
      this.safely('rule flush', () => rules.flush());
      this.safely('fusion flush', () => fusion.flush());
      // The last batches' scored rows, cache hits and drops count too.
      track(result);
      if (session.live) status = 'stopped';
    } catch (error) {
      status = 'failed';
      this.lastError = (error as Error).message;
      this.log(`monitoring ${session.description} failed: ${this.lastError}`);
      await modelDetector.flush();
      this.safely('fusion flush', () => fusion.flush());
      if (last !== null) track(last);
    } finally {
      for (const timer of timers) clearInterval(timer);
      this.commitPending();
      this.safely('counters', writeCounters);
      this.engineCounters.endSession();
      endSession(store, session.id, {
        status,
        packets: this.tally.packets,
        flows: this.tally.flows,
        drops: this.tally.drops,
        error: status === 'failed' ? this.lastError : undefined,
      });
      this.lastEndedAt = Date.now();
      // After the end the rate shown is the session's average, not the last tick's.
      const seconds = (this.lastEndedAt - session.startedAt) / 1000;
      this.tally.packetsPerSecond = seconds > 0 ? Math.round(this.tally.packets / seconds) : 0;
      this.modelDetector = null;
      this.session = null;
    }
  }

  /**
   * An alert from fusion: held until the next commit (at most ALERT_COMMIT_MS later, or
   * ALERT_COMMIT_BATCH alerts), when it is stored with its evidence and then queued for the
   * browser. A flood's alerts so share transactions instead of paying one each.
   */
  private acceptAlert(sessionId: string, alert: FusedAlert): void {
    const pending = this.pendingAlerts;
    if (pending.sessionId !== sessionId) this.commitPending();
    pending.sessionId = sessionId;
    pending.alerts.push(alert);
    pending.observedAt.push(this.alertObservedAt || Date.now());
    if (pending.alerts.length >= ALERT_COMMIT_BATCH) this.commitPending();
  }

  /** Stores the held alerts, their incident states and evidence, then queues the incidents for the next batch. */
  private commitPending(): void {
    const { sessionId, alerts, observedAt } = this.pendingAlerts;
    if (alerts.length === 0) return;
    this.pendingAlerts = { sessionId: '', alerts: [], observedAt: [] };
    const events = alerts.map((alert) => alert.event);
    this.safely('storing threats', () => {
      // The last state of each incident is the one to store.
      const changed = new Map<string, Incident>();
      for (const alert of alerts) changed.set(alert.incident.id, alert.incident);
      const started = performance.now();
      // One transaction, one fsync: the events, the incident states they produced and their evidence.
      commitDetections(this.options.store, sessionId, events, [...changed.values()], alerts.flatMap((alert) => alert.evidence));
      this.options.onStoreWrite?.((performance.now() - started) / 1000);
      for (const event of events) {
        this.tally.addEvent(event);
        this.engineCounters.countAlert(event.severity, event.threatType);
      }
      for (let i = 0; i < alerts.length; i++) {
        const incident = changed.get(alerts[i]!.incident.id);
        if (incident === undefined) continue;
        changed.delete(incident.id);
        // An incident updated again before the next batch keeps its oldest unsent evidence time.
        const pending = this.updated.get(incident.id);
        this.updated.delete(incident.id);
        this.updated.set(incident.id, { ...incident, observedAt: pending?.observedAt ?? observedAt[i]! });
      }
    });
    if (this.options.onEvents !== undefined) this.safely('event callback', () => this.options.onEvents!(events));
  }

  private safely(what: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.noteError(what, error);
    }
  }

  private noteError(what: string, error: unknown): void {
    // One broken stage must not stop the loop; log the first few so a flood of errors stays readable.
    if (this.errorsLogged++ < 20) this.log(`${what} failed: ${(error as Error).message ?? String(error)}`);
  }

  /** After a restart the dashboard shows the last session as the store kept it. */
  private restoreLastSession(): void {
    const [last] = listSessions(this.options.store, { limit: 1 });
    if (last === undefined) return;
    const summary = getSessionSummary(this.options.store, last.id);
    if (summary === undefined) return;
    this.tally = SessionTally.fromSummary(summary);
    this.lastSessionId = last.id;
    this.lastSource = last.source;
    this.lastStartedAt = last.startedAt;
    this.lastEndedAt = last.endedAt;
    this.lastError = last.error ?? undefined;
  }
}

/** Same format, feature order and dictionaries: one flow row feeds both models alike. */
function fedAlike(running: ModelMetadata, next: ModelMetadata): boolean {
  if (running.featureFormat !== next.featureFormat) return false;
  if (running.featureNames.length !== next.featureNames.length) return false;
  if (!running.featureNames.every((name, i) => name === next.featureNames[i])) return false;
  return running.featureNames.every((name) => JSON.stringify(running.categories[name]) === JSON.stringify(next.categories[name]));
}
