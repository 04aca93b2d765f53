/**
 * Scores one capture with its ground truth through exactly the monitor's path: a Monitor on a
 * fresh store replays the capture at full speed (decode → flows → model + rules → evidence
 * fusion → alerts → SQLite), then the stored alerts are compared with the truth, flow by flow.
 *
 * A flow counts as flagged at the severity of the strongest alert that implicates it: an alert
 * naming the flow's source as its attacker, within the alert's evidence window (from one fusion
 * window before the alert's first event to its last); for a "many (N)" flood alert, a flow to
 * the alert's target that carried no payload (a spoofed SYN, UDP or ICMP packet) in that span.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCaptureFile } from '../../lib/capture/index.ts';
import type { Evidence } from '../../lib/detect/evidence.ts';
import { fusionConfigSchema, type FusionConfigInput } from '../../lib/detect/fusionConfig.ts';
import type { Severity } from '../../lib/detect/threatEvent.ts';
import { extractFlows } from '../../lib/flows/extractFlows.ts';
import { flowAddressText, formatSession } from '../../lib/flows/featureFormat.ts';
import { getFeatureFormat } from '../../lib/flows/featureFormats.ts';
import { Monitor } from '../../lib/monitor/monitor.ts';
import { listRecentThreats, openStore, type Store } from '../../lib/store/index.ts';
import { FlowTruth, type TruthCapture } from './groundTruth.ts';

export interface AlertSummary {
  family: string;
  attacker: string;
  severity: Severity;
  namesAttacker: boolean;
  /** Seconds from the attack's start (packet clock) to this alert; null for benign-only captures. */
  secondsFromStart: number | null;
}

export interface CaptureScore {
  scenario: string;
  origin: 'lab' | 'shared';
  split: 'train' | 'eval';
  network: string;
  family: string | null;
  attackFlows: number;
  benignFlows: number;
  attackFlowsFlagged: number;
  benignFlaggedAny: number;
  benignFlaggedMedium: number;
  /** Benign flows the model alone called attacks (every verdict at or over the fusion floor, alerted or not), for comparison. */
  benignModelEvidence: number;
  alerts: number;
  alertsMediumOrAbove: number;
  firstAlert: AlertSummary | null;
  /** The first alert of the right family that names the attacker. */
  firstRightAlert: AlertSummary | null;
}

interface FlowRecord {
  source: string;
  destination: string;
  startMs: number;
  endMs: number;
  payload: boolean;
  attack: boolean;
}

const RANK: Record<Severity, number> = { Low: 1, Medium: 2, High: 3, Critical: 4 };

/** Share, or null when there is nothing to divide by. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/**
 * Replays a capture at full speed through a Monitor on a fresh store and hands `read` the store, the
 * session and every piece of evidence that reached fusion (alerted or not); the store is removed after.
 */
export async function replayThroughMonitor<T>(
  capturePath: string,
  modelDirectory: string,
  fusion: FusionConfigInput,
  read: (store: Store, sessionId: string, evidence: readonly Evidence[]) => T | Promise<T>,
): Promise<T> {
  const directory = mkdtempSync(join(tmpdir(), 'netguard-replay-'));
  const store = openStore(join(directory, 'netguard.db'), { synchronous: 'NORMAL' });
  const evidence: Evidence[] = [];
  try {
    const monitor = await Monitor.create({
      store, modelDirectory, samplesDirectory: directory, log: () => {}, fusion, onEvidence: (batch) => evidence.push(...batch),
    });
    await monitor.start({ source: { kind: 'file', path: capturePath, speed: 'max' } });
    const status = await monitor.finished();
    if (status.error !== undefined) throw new Error(`${capturePath}: replay failed: ${status.error}`);
    return await read(store, status.sessionId!, evidence);
  } finally {
    store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

export async function scoreCapture(capture: TruthCapture, modelDirectory: string): Promise<CaptureScore> {
  return replayThroughMonitor(capture.capturePath, modelDirectory, {}, (store, sessionId, evidence) => scoreReplay(capture, store, sessionId, evidence));
}

/** The figures of one replayed capture against its truth. */
async function scoreReplay(capture: TruthCapture, store: Store, sessionId: string, evidence: readonly Evidence[]): Promise<CaptureScore> {
  const { truth } = capture;
  // Newest first from the store: reversed, alerts of the same millisecond keep the order they were raised in.
  const alerts = listRecentThreats(store, { sessionId, limit: 1000 }).reverse().sort((a, b) => a.time - b.time);
  const modelEvidence = evidence.filter((item) => item.detector === 'model');

  const flowTruth = new FlowTruth(truth);
  const flows = await readFlows(capture.capturePath, flowTruth);
  const attackStartMs = truth.attackStartUs !== null
    ? truth.attackStartUs / 1000
    : Math.min(...flows.filter((flow) => flow.attack).map((flow) => flow.startMs));
  const summarize = (alert: (typeof alerts)[number]): AlertSummary => ({
    family: alert.threatType,
    attacker: alert.sourceIp,
    severity: alert.severity,
    namesAttacker: flowTruth.namesAttacker(alert.sourceIp),
    secondsFromStart: truth.family === null || !Number.isFinite(attackStartMs) ? null : (alert.time - attackStartMs) / 1000,
  });

  // Each incident's evidence span and peak severity, from its alerts.
  const windowMs = fusionConfigSchema.parse({}).windowSeconds * 1000;
  const incidents = new Map<string, { attacker: string; target: string; from: number; to: number; rank: number }>();
  for (const alert of alerts) {
    const known = incidents.get(alert.incidentId);
    if (known === undefined) {
      incidents.set(alert.incidentId, { attacker: alert.sourceIp, target: alert.destinationIp, from: alert.time - windowMs, to: alert.time, rank: RANK[alert.severity] });
    } else {
      known.to = Math.max(known.to, alert.time);
      known.rank = Math.max(known.rank, RANK[alert.severity]);
      if (known.target !== alert.destinationIp) known.target = '*';
    }
  }
  const flaggedRank = (flow: FlowRecord): number => {
    let rank = 0;
    for (const incident of incidents.values()) {
      if (flow.endMs < incident.from || flow.startMs > incident.to) continue;
      const implicated = incident.attacker.startsWith('many')
        ? !flow.payload && (incident.target === '*' || incident.target === flow.destination)
        : incident.attacker === flow.source;
      if (implicated) rank = Math.max(rank, incident.rank);
    }
    return rank;
  };
  const benignEvidence = new Set(modelEvidence.map((item) => `${item.attacker}|${item.target}|${item.time}`));
  const score: CaptureScore = {
    scenario: truth.scenario,
    origin: capture.origin,
    split: truth.split,
    network: truth.network,
    family: truth.family,
    attackFlows: 0,
    benignFlows: 0,
    attackFlowsFlagged: 0,
    benignFlaggedAny: 0,
    benignFlaggedMedium: 0,
    benignModelEvidence: 0,
    alerts: alerts.length,
    alertsMediumOrAbove: alerts.filter((alert) => RANK[alert.severity] >= RANK.Medium).length,
    firstAlert: alerts.length > 0 ? summarize(alerts[0]!) : null,
    firstRightAlert: null,
  };
  const right = alerts.find((alert) => alert.threatType === truth.family && flowTruth.namesAttacker(alert.sourceIp));
  if (right !== undefined) score.firstRightAlert = summarize(right);
  for (const flow of flows) {
    const rank = flaggedRank(flow);
    if (flow.attack) {
      score.attackFlows++;
      if (rank > 0) score.attackFlowsFlagged++;
    } else {
      score.benignFlows++;
      if (rank > 0) score.benignFlaggedAny++;
      if (rank >= RANK.Medium) score.benignFlaggedMedium++;
      if (benignEvidence.has(`${flow.source}|${flow.destination}|${flow.endMs}`)) score.benignModelEvidence++;
    }
  }
  return score;
}

/** Every flow of the capture as the monitor's flow engine cuts it (the `corrected` format's flows). */
async function readFlows(capturePath: string, truth: FlowTruth): Promise<FlowRecord[]> {
  const flows: FlowRecord[] = [];
  const format = formatSession(getFeatureFormat('corrected'));
  await extractFlows(openCaptureFile(capturePath), format, (flow) => {
    const source = flowAddressText(flow, 0);
    const destination = flowAddressText(flow, 1);
    flows.push({
      source,
      destination,
      startMs: flow.startUs / 1000,
      endMs: flow.lastUs / 1000,
      payload: flow.fwdBytes + flow.bwdBytes > 0,
      attack: truth.isAttack(source, destination, flow.startUs, flow.lastUs),
    });
  });
  return flows;
}
