/**
 * Flow rows in, verdicts out: for each row its attack confidence and the most probable attack
 * class. This is the scoring thread's job (scoringThread.ts): the model (onnxruntime, which runs
 * synchronously once started), the verdict rule and the input cache all live there, so the event
 * loop that decodes packets never waits on them. Only the rows the cache cannot answer reach the
 * model.
 */
import { attackCalibrationOf, calibratedAttackProbability, type AttackCalibration } from '../model/score/calibration.ts';
import { type DecisionThreshold, decisionThresholdOf } from '../model/score/decisionThreshold.ts';
import type { ModelMetadata } from '../model/export/modelMetadata.ts';
import { Scorer } from '../model/score/scorer.ts';
import { ScoreCache } from './scoreCache.ts';

export interface VerdictBatch {
  /** Attack confidence per row (0..1). */
  confidence: Float32Array;
  /** Per row: index into the model's classNames of the most probable non-benign class; -1 if none. */
  classIndex: Int16Array;
  /** versionId of the model whose verdicts these are. */
  modelVersion: string;
  /** Rows answered by the cache. */
  cacheHits: number;
}

export function isBenignFamily(family: string): boolean {
  const f = family.toLowerCase();
  return f === 'benign' || f === 'normal';
}

/** How one model turns a row of class probabilities into an attack probability (parsed once per model). */
interface VerdictRule {
  versionId: string;
  benignClass: number;
  calibration: AttackCalibration | null;
  threshold: DecisionThreshold | null;
}

export class FlowVerdicts {
  private rule: VerdictRule;
  private cache: ScoreCache;

  private constructor(private readonly scorer: Scorer) {
    this.rule = verdictRuleOf(scorer.metadata);
    this.cache = new ScoreCache(scorer.metadata.featureNames.length);
  }

  static async load(modelDirectory: string): Promise<FlowVerdicts> {
    return new FlowVerdicts(await Scorer.load(modelDirectory));
  }

  get metadata(): ModelMetadata {
    return this.scorer.metadata;
  }

  /** Loads another model completely, then scores with it; the old one's cached verdicts go. */
  async swap(modelDirectory: string): Promise<ModelMetadata> {
    return this.scorer.swap(modelDirectory);
  }

  /** Verdicts for `count` rows of `rows` (row-major, the model's feature order). */
  async verdicts(rows: Float32Array, count: number): Promise<VerdictBatch> {
    const metadata = this.scorer.metadata;
    if (this.rule.versionId !== metadata.versionId) {
      this.rule = verdictRuleOf(metadata);
      this.cache = new ScoreCache(metadata.featureNames.length);
    }
    const featureCount = metadata.featureNames.length;
    const words = new Uint32Array(rows.buffer, rows.byteOffset, count * featureCount);
    const confidence = new Float32Array(count);
    const classIndex = new Int16Array(count);
    const hashes = new Uint32Array(count);
    // Rows the cache does not know, packed for the model. Twins within one batch all go to the
    // model (the cache learns them only after it answers); from the next batch on they are hits.
    const missed = new Int32Array(count);
    let missCount = 0;
    let cacheHits = 0;
    for (let i = 0; i < count; i++) {
      const hash = this.cache.hash(words, i);
      hashes[i] = hash;
      const slot = this.cache.find(words, i, hash);
      if (slot >= 0) {
        confidence[i] = this.cache.confidenceAt(slot);
        classIndex[i] = this.cache.classAt(slot);
        cacheHits++;
      } else {
        missed[missCount++] = i;
      }
    }
    if (missCount === 0) return { confidence, classIndex, modelVersion: metadata.versionId, cacheHits };

    const packed = new Float32Array(missCount * featureCount);
    for (let m = 0; m < missCount; m++) packed.set(rows.subarray(missed[m]! * featureCount, (missed[m]! + 1) * featureCount), m * featureCount);
    const result = await this.scorer.score(packed);
    // A swap may have landed while the model ran: judge with the rule of the model that scored.
    const rule = result.modelVersion === this.rule.versionId ? this.rule : verdictRuleOf(this.scorer.metadata);
    const classCount = result.classNames.length;
    const probabilities = result.probabilities;
    for (let m = 0; m < missCount; m++) {
      const i = missed[m]!;
      const base = m * classCount;
      let best = -1;
      for (let k = 0; k < classCount; k++) {
        if (k !== rule.benignClass && (best < 0 || probabilities[base + k]! > probabilities[base + best]!)) best = k;
      }
      confidence[i] = attackConfidence(rule, probabilities, m, classCount);
      classIndex[i] = best;
      if (rule === this.rule) this.cache.store(words, i, hashes[i]!, confidence[i]!, best);
    }
    return { confidence, classIndex, modelVersion: result.modelVersion, cacheHits };
  }

  async close(): Promise<void> {
    await this.scorer.close();
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
