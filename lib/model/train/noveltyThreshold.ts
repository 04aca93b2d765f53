/**
 * Choosing a decision threshold for traffic the model has never seen. Test sets such as KDDTest+
 * are hard because many of their attacks belong to types absent from training; a model trained
 * to separate the known attacks from normal gives those novel rows tiny attack probabilities,
 * so the textbook 0.5 cut lets them through. Here the trainer is run once per fold, each fold
 * holding out one whole attack family (plus a slice of benign rows), and the threshold on
 * "not benign" that maximises the mean balanced accuracy (benign kept, unseen family flagged)
 * over the folds is kept. Balanced, because the attack share of future traffic is unknown.
 * Only training rows are used; research/nsl-kdd/FINDINGS.md records how this was chosen.
 */
import type { FeatureTable } from '../../datasets/featureTable.ts';
import { predictProbabilities, toRowMajor } from './predict.ts';
import { rowKey } from './rowHash.ts';
import type { TrainConfigInput } from './trainConfig.ts';
import { trainGbdt } from './trainGbdt.ts';

export interface NoveltyFold {
  /** The attack family this fold holds out entirely. */
  family: string;
  trainRows: Int32Array;
  validationRows: Int32Array;
}

export interface FoldOutcome {
  family: string;
  /** Share of held-out benign rows kept benign at the chosen threshold. */
  benignKept: number;
  /** Share of the unseen family's rows flagged at the chosen threshold. */
  novelFlagged: number;
}

export interface NoveltyThresholdResult {
  threshold: number;
  /** Mean over folds of ½(benignKept + novelFlagged) at `threshold`. */
  balancedAccuracy: number;
  folds: FoldOutcome[];
  /** The same measure at 0.5, for comparison. */
  balancedAccuracyAtHalf: number;
  trainingMs: number;
}

/**
 * Candidate thresholds: log-spaced from 1e-6 to 0.1 (the chosen ones sit decades below 0.5,
 * where boosted probabilities of unfamiliar rows live), then 0.1 … 0.95 in steps of 0.05.
 * bench/train/xgboostBaseline.py uses the same list.
 */
export function thresholdGrid(): number[] {
  const grid: number[] = [];
  for (let k = 0; k < 50; k++) grid.push(10 ** (-6 + k / 10));
  for (let k = 0; k < 18; k++) grid.push(Math.round((0.1 + 0.05 * k) * 1e10) / 1e10);
  return grid;
}

/**
 * Leave-one-family-out folds. `familyOfRow[i]` indexes `families`, or is −1 for a benign row.
 * Fold k validates on every row of family k plus the benign rows whose key mod max(5, families)
 * is k (a fifth of them for ≤ 5 families, a different fifth per fold) and trains on the rest.
 */
export function noveltyFolds(familyOfRow: Int32Array, families: readonly string[], seed: number): NoveltyFold[] {
  const slices = Math.max(5, families.length);
  return families.map((family, k) => {
    const train: number[] = [];
    const validation: number[] = [];
    for (let i = 0; i < familyOfRow.length; i++) {
      const f = familyOfRow[i]!;
      const held = f === k || (f < 0 && rowKey(i, seed) % slices === k);
      (held ? validation : train).push(i);
    }
    return { family, trainRows: Int32Array.from(train), validationRows: Int32Array.from(validation) };
  });
}

/** One fold's held-out rows as the fold's model scored them. */
export interface ScoredFold {
  family: string;
  /** 1 − P(benign) per validation row. */
  notBenign: Float32Array;
  isBenign: Uint8Array;
}

/** Trains `config` on every fold of a benign-vs-rest table and scores the fold's held-out rows. */
export function scoreNoveltyFolds(
  table: FeatureTable, benignClass: string, folds: readonly NoveltyFold[], config: TrainConfigInput,
): ScoredFold[] {
  const benign = table.labelNames.indexOf(benignClass);
  if (benign < 0) throw new Error(`Benign class '${benignClass}' is not in the table's labels: ${table.labelNames.join(', ')}`);
  if (folds.length === 0) throw new Error('Novelty threshold needs at least one attack family to hold out');
  const classCount = table.labelNames.length;
  return folds.map((fold) => {
    const model = trainGbdt(table, config, { rows: fold.trainRows });
    const probabilities = predictProbabilities(model, toRowMajor(table.columns, fold.validationRows));
    const notBenign = new Float32Array(fold.validationRows.length);
    const isBenign = new Uint8Array(fold.validationRows.length);
    for (let i = 0; i < notBenign.length; i++) {
      notBenign[i] = 1 - probabilities[i * classCount + benign]!;
      isBenign[i] = table.labelCodes[fold.validationRows[i]!] === benign ? 1 : 0;
    }
    return { family: fold.family, notBenign, isBenign };
  });
}

export function foldOutcomes(scored: readonly ScoredFold[], threshold: number): FoldOutcome[] {
  return scored.map(({ family, notBenign, isBenign }) => {
    let benignTotal = 0;
    let benignKept = 0;
    let novelTotal = 0;
    let novelFlagged = 0;
    for (let i = 0; i < notBenign.length; i++) {
      const flagged = notBenign[i]! >= threshold;
      if (isBenign[i]) {
        benignTotal++;
        if (!flagged) benignKept++;
      } else {
        novelTotal++;
        if (flagged) novelFlagged++;
      }
    }
    return { family, benignKept: benignTotal > 0 ? benignKept / benignTotal : 0, novelFlagged: novelTotal > 0 ? novelFlagged / novelTotal : 0 };
  });
}

export interface ThresholdChoice {
  /**
   * Largest allowed mean share of held-out benign rows flagged (a false-alarm budget), or
   * undefined for none. With a budget the threshold trades novel attacks for fewer alarms.
   */
  maxBenignFlagged?: number;
}

/**
 * The threshold on 1 − P(benign) with the best mean balanced accuracy over the scored folds
 * (within the false-alarm budget, if any); the first (lowest) on ties.
 */
export function chooseNoveltyThreshold(scored: readonly ScoredFold[], choice: ThresholdChoice = {}): Omit<NoveltyThresholdResult, 'trainingMs'> {
  const balanced = (outcomes: FoldOutcome[]) => outcomes.reduce((sum, o) => sum + 0.5 * (o.benignKept + o.novelFlagged), 0) / outcomes.length;
  const benignFlagged = (outcomes: FoldOutcome[]) => outcomes.reduce((sum, o) => sum + (1 - o.benignKept), 0) / outcomes.length;
  let best: { threshold: number; value: number; outcomes: FoldOutcome[] } | null = null;
  for (const threshold of thresholdGrid()) {
    const outcomes = foldOutcomes(scored, threshold);
    if (choice.maxBenignFlagged !== undefined && benignFlagged(outcomes) > choice.maxBenignFlagged) continue;
    const value = balanced(outcomes);
    if (best === null || value > best.value) best = { threshold, value, outcomes };
  }
  if (best === null) throw new Error(`No threshold up to 0.95 keeps the flagged benign share within ${choice.maxBenignFlagged}`);
  return {
    threshold: best.threshold,
    balancedAccuracy: best.value,
    folds: best.outcomes,
    balancedAccuracyAtHalf: balanced(foldOutcomes(scored, 0.5)),
  };
}

/** scoreNoveltyFolds + chooseNoveltyThreshold. */
export function selectNoveltyThreshold(
  table: FeatureTable, benignClass: string, folds: readonly NoveltyFold[], config: TrainConfigInput, choice: ThresholdChoice = {},
): NoveltyThresholdResult {
  const started = performance.now();
  const scored = scoreNoveltyFolds(table, benignClass, folds, config);
  return { ...chooseNoveltyThreshold(scored, choice), trainingMs: performance.now() - started };
}
