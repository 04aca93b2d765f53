/**
 * The flow model as a detector: each finished flow's features go into a Float32 batch in the
 * model's column order; full batches (or the ones a timer flushes) are scored off the event loop
 * by onnxruntime, and every flow the model flags becomes evidence (lib/detect/evidence.ts) for
 * evidence fusion, never an alert on its own. The attacker of a flow is its initiator.
 * `featureSources` is the one check that the live flow engine can feed a model.
 */
import { attackCalibrationOf, calibratedAttackProbability, type AttackCalibration } from '../model/calibration.ts';
import { type DecisionThreshold, decisionThresholdOf } from '../model/decisionThreshold.ts';
import type { ModelMetadata } from '../model/modelMetadata.ts';
import type { Scorer } from '../model/scorer.ts';
import { flowIdText } from '../flows/correctedFormat.ts';
import { type FeatureFormat, flowAddressText } from '../flows/featureFormat.ts';
import type { FlowView } from '../flows/flowView.ts';
import type { Evidence, FlowSummary } from './evidence.ts';
import { protocolName } from './ruleDetector.ts';
import type { ThreatCategory } from './threatEvent.ts';

/** Where each model feature comes from in the format's row. */
interface FeatureSource {
  column: number;
  /** For a categorical feature: its dictionary (value = index); the flow's text comes from the format. */
  dictionary?: Map<string, number>;
}

interface PendingFlow {
  time: number;
  sourceIp: string;
  destinationIp: string;
  destinationPort: number;
  protocol: number;
  flowId: string;
  flow: FlowSummary;
  /** Wall-clock ms when the flow left the flow table. */
  endedAt: number;
}

const knownCategories = new Set<ThreatCategory>(['Network', 'Reconnaissance', 'Application', 'Web', 'Endpoint', 'DNS', 'Unknown']);

export function isBenignFamily(family: string): boolean {
  const f = family.toLowerCase();
  return f === 'benign' || f === 'normal';
}

export interface ModelDetectorOptions {
  batchSize?: number;
  /** Flows below this attack probability are not evidence (fusion's flowFloor); they are only counted. */
  minConfidence: number;
  /** `observedAt`: wall-clock ms when the earliest of these flows left the flow table. */
  onEvidence(evidence: Evidence[], observedAt: number): void;
  onError(error: unknown): void;
}

/**
 * Checks that `format` can feed `metadata`'s model and returns the column of every feature,
 * or throws an Error saying which features the live engine cannot produce.
 */
export function featureSources(format: FeatureFormat, metadata: Pick<ModelMetadata, 'featureNames' | 'categories' | 'versionId'>): FeatureSource[] {
  const columns = new Map(format.columns.map((column, index) => [column.name, { index, kind: column.kind }]));
  const missing: string[] = [];
  const sources = metadata.featureNames.map((name) => {
    const column = columns.get(name);
    if (column === undefined) {
      missing.push(name);
      return { column: -1 };
    }
    const dictionary = metadata.categories[name];
    if (column.kind === 'text') {
      if (dictionary === undefined) missing.push(`${name} (text column without a dictionary)`);
      return { column: column.index, dictionary: new Map((dictionary ?? []).map((value, i) => [value, i])) };
    }
    return { column: column.index };
  });
  if (missing.length > 0) {
    throw new Error(
      `model ${metadata.versionId} needs features the live "${format.name}" flow format does not produce: ${missing.join(', ')}`,
    );
  }
  return sources;
}

/** How one model turns a row of class probabilities into an attack probability (parsed once per model). */
interface VerdictRule {
  versionId: string;
  benignClass: number;
  calibration: AttackCalibration | null;
  threshold: DecisionThreshold | null;
}

export class ModelDetector {
  private readonly featureCount: number;
  private readonly batchSize: number;
  private rows: Float32Array;
  private pending: PendingFlow[] = [];
  private readonly formatRow: Float64Array;
  private inFlight: Promise<void> = Promise.resolve();
  private queued = 0;
  flowsScored = 0;
  /** Flows answered by the input cache without running the model. */
  cacheHits = 0;
  /** Live only: finished flows not scored because detection fell behind (sampled out). */
  flowsSampledOut = 0;
  /** Share of finished flows scored (1 until detection falls behind). */
  samplingShare = 1;
  /** Flows whose attack probability reached minConfidence (handed to fusion as evidence). */
  flowsFlagged = 0;

  constructor(
    private readonly scorer: Scorer,
    private readonly format: FeatureFormat,
    private readonly sources: FeatureSource[],
    private readonly options: ModelDetectorOptions,
  ) {
    this.featureCount = sources.length;
    this.batchSize = options.batchSize ?? 1024;
    this.rows = new Float32Array(this.batchSize * this.featureCount);
    this.formatRow = new Float64Array(format.columns.length);
  }

  /** Adds a finished flow; call once per flow, inside the flow table's callback. */
  add(flow: FlowView): void {
    this.format.fillRow(flow, this.formatRow);
    const base = this.pending.length * this.featureCount;
    for (let j = 0; j < this.featureCount; j++) {
      const source = this.sources[j]!;
      if (source.dictionary === undefined) {
        this.rows[base + j] = this.formatRow[source.column]!;
      } else {
        const code = source.dictionary.get(this.format.text(flow, source.column, TEXT_CONTEXT));
        this.rows[base + j] = code === undefined ? NaN : code;
      }
    }
    const sourceIp = flowAddressText(flow, 0);
    const destinationIp = flowAddressText(flow, 1);
    this.pending.push({
      time: flow.lastUs / 1000,
      sourceIp,
      destinationIp,
      destinationPort: flow.dstPort,
      protocol: flow.protocol,
      endedAt: Date.now(),
      flowId: flowIdText(sourceIp, destinationIp, flow),
      flow: {
        sourcePort: flow.srcPort,
        packetsToServer: flow.fwdPackets,
        packetsToClient: flow.bwdPackets,
        bytesToServer: flow.fwdBytes,
        bytesToClient: flow.bwdBytes,
        startMs: flow.startUs / 1000,
      },
    });
    if (this.pending.length === this.batchSize) this.flush();
  }

  /** Sends what is pending to the model; the returned promise settles when every batch so far is scored. */
  flush(): Promise<void> {
    if (this.pending.length > 0) {
      const count = this.pending.length;
      const rows = this.rows.slice(0, count * this.featureCount);
      const flows = this.pending;
      this.pending = [];
      this.queued += count;
      // Batches are scored one after another so evidence keeps the order flows finished in.
      this.inFlight = this.inFlight.then(() => this.scoreBatch(rows, flows)).finally(() => (this.queued -= count));
    }
    return this.inFlight;
  }

  /** Flows handed to the model and not yet scored. */
  get backlog(): number {
    return this.queued + this.pending.length;
  }

  /** The verdict rule of the model last seen, by version (parsed once per model, not per batch). */
  private rule: VerdictRule | null = null;

  private ruleOf(metadata: ModelMetadata): VerdictRule {
    if (this.rule?.versionId !== metadata.versionId) this.rule = verdictRuleOf(metadata);
    return this.rule;
  }

  private async scoreBatch(rows: Float32Array, flows: PendingFlow[]): Promise<void> {
    try {
      // A swap may land while the batch is scored: use the metadata of the model that scored it.
      const before = this.scorer.metadata;
      const result = await this.scorer.score(rows);
      const metadata = result.modelVersion === before.versionId ? before : this.scorer.metadata;
      const classCount = result.classNames.length;
      const families = metadata.classFamilies;
      const rule = this.ruleOf(metadata);
      const probabilities = result.probabilities;
      const evidence: Evidence[] = [];
      for (let i = 0; i < flows.length; i++) {
        const confidence = attackConfidence(rule, probabilities, i, classCount);
        if (confidence < this.options.minConfidence) continue;
        // The family is the most probable non-benign class.
        const base = i * classCount;
        let best = -1;
        for (let k = 0; k < classCount; k++) {
          if (k !== rule.benignClass && (best < 0 || probabilities[base + k]! > probabilities[base + best]!)) best = k;
        }
        const className = result.classNames[best]!;
        const family = families[className]?.family ?? className;
        if (isBenignFamily(family)) continue;
        const flow = flows[i]!;
        const category = families[className]?.threatCategory as ThreatCategory | undefined;
        evidence.push({
          time: flow.time,
          attacker: flow.sourceIp,
          family,
          category: category !== undefined && knownCategories.has(category) ? category : 'Unknown',
          target: flow.destinationIp,
          destinationPort: flow.destinationPort,
          protocol: protocolName(flow.protocol),
          confidence,
          detector: 'model',
          modelVersion: result.modelVersion,
          flowId: flow.flowId,
          flow: flow.flow,
          summary: className === family ? `flow scored ${family} (${confidence.toFixed(2)})` : `flow scored ${className} (${family}, ${confidence.toFixed(2)})`,
        });
      }
      this.flowsScored += flows.length;
      this.flowsFlagged += evidence.length;
      if (evidence.length > 0) this.options.onEvidence(evidence, flows[0]!.endedAt);
    } catch (error) {
      this.options.onError(error);
    }
  }
}

function verdictRuleOf(metadata: ModelMetadata): VerdictRule {
  const threshold = decisionThresholdOf(metadata);
  const benignName = threshold?.benignClass ?? metadata.classNames.find((name) => isBenignFamily(metadata.classFamilies[name]?.family ?? name));
  return {
    versionId: metadata.versionId,
    benignClass: benignName === undefined ? -1 : metadata.classNames.indexOf(benignName),
    calibration: attackCalibrationOf(metadata),
    threshold,
  };
}

/**
 * The probability that row `row` is an attack: calibrated when the model carries a calibration
 * (model.json), else 1 − P(benign). A model validated with a decision threshold (NSL-KDD) flags at
 * that threshold, so its scale is stretched to put the threshold at 0.5: flagged rows are evidence
 * exactly as the model was evaluated.
 */
function attackConfidence(rule: VerdictRule, probabilities: Float32Array, row: number, classCount: number): number {
  if (rule.benignClass < 0) return 1;
  const probability = calibratedAttackProbability(rule.calibration, probabilities, row, classCount, rule.benignClass);
  if (rule.calibration !== null || rule.threshold === null) return probability;
  const t = rule.threshold.threshold;
  return probability < t ? (0.5 * probability) / t : 0.5 + (0.5 * (probability - t)) / (1 - t);
}

const TEXT_CONTEXT = { rowNumber: 0, utcOffsetMinutes: 0, label: '' };
