/**
 * The benign-vs-attack recipe for datasets whose test traffic holds attacks absent from training
 * (NSL-KDD): train the binary model on all training rows as usual, and pick its decision
 * threshold by leave-one-family-out validation of the same trainer (noveltyThreshold.ts).
 * In: a fine-label FeatureTable. Out: the model, the binary table it was trained on, and the
 * DecisionThreshold to store in the model metadata (decisionThreshold.ts).
 */
import type { FeatureTable } from '../../datasets/featureTable.ts';
import { familyOf } from '../../datasets/families.ts';
import type { DatasetFormatName } from '../../datasets/formats.ts';
import type { DecisionThreshold } from '../score/decisionThreshold.ts';
import {
  chooseNoveltyThreshold, noveltyFolds, scoreNoveltyFolds, type NoveltyThresholdResult, type ScoredFold, type ThresholdChoice,
} from './noveltyThreshold.ts';
import type { TrainConfigInput } from './trainConfig.ts';
import type { TrainedModel } from './trainedModel.ts';
import { trainGbdt } from './trainGbdt.ts';

export const ATTACK_CLASS_NAME = 'attack';
export const NOVELTY_METHOD = 'leave-one-family-out balanced accuracy';

export interface NoveltyRecipeResult {
  model: TrainedModel;
  /** The fine table re-labelled [benign, 'attack'] (same columns, shared arrays). */
  binaryTable: FeatureTable;
  decision: DecisionThreshold;
  selection: NoveltyThresholdResult;
  /** The folds as scored, to choose other operating points (e.g. another false-alarm budget) without retraining. */
  scoredFolds: ScoredFold[];
}

export interface NoveltyRecipeOptions extends ThresholdChoice {
  /** Seed of the benign slices of the folds (rowHash.ts). */
  seed?: number;
}

/** Benign keeps the dataset's own spelling (threat category 'None'); every other label is an attack. */
export function toBenignVsAttack(table: FeatureTable): { binaryTable: FeatureTable; benignClass: string } {
  const format = table.sourceFormat as DatasetFormatName;
  const benignNames = table.labelNames.filter((label) => familyOf(label, format).threatCategory === 'None');
  if (benignNames.length !== 1) {
    throw new Error(`Expected exactly one benign label in ${table.sourceFormat} data, found ${benignNames.length}: ${benignNames.join(', ') || 'none'}`);
  }
  const benignClass = benignNames[0]!;
  const benignCode = table.labelNames.indexOf(benignClass);
  const labelCodes = new Int32Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) labelCodes[i] = table.labelCodes[i] === benignCode ? 0 : 1;
  return { binaryTable: { ...table, labelNames: [benignClass, ATTACK_CLASS_NAME], labelCodes }, benignClass };
}

/** Attack families of the table's rows (−1 = benign), families in sorted order. */
export function rowFamilies(table: FeatureTable): { families: string[]; familyOfRow: Int32Array } {
  const format = table.sourceFormat as DatasetFormatName;
  const familyOfLabel = table.labelNames.map((label) => {
    const family = familyOf(label, format);
    return family.threatCategory === 'None' ? null : family.family;
  });
  const families = [...new Set(familyOfLabel.filter((f): f is string => f !== null))].sort();
  const codeOfLabel = familyOfLabel.map((f) => (f === null ? -1 : families.indexOf(f)));
  const familyOfRow = new Int32Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) familyOfRow[i] = codeOfLabel[table.labelCodes[i]!]!;
  return { families, familyOfRow };
}

export function trainWithNoveltyThreshold(fineTable: FeatureTable, config: TrainConfigInput, options: NoveltyRecipeOptions = {}): NoveltyRecipeResult {
  const { binaryTable, benignClass } = toBenignVsAttack(fineTable);
  const { families, familyOfRow } = rowFamilies(fineTable);
  const started = performance.now();
  const scoredFolds = scoreNoveltyFolds(binaryTable, benignClass, noveltyFolds(familyOfRow, families, options.seed ?? 42), config);
  const selection = { ...chooseNoveltyThreshold(scoredFolds, options), trainingMs: performance.now() - started };
  const model = trainGbdt(binaryTable, config);
  return { model, binaryTable, selection, scoredFolds, decision: decisionOf(benignClass, selection, options) };
}

export function decisionOf(benignClass: string, selection: Omit<NoveltyThresholdResult, 'trainingMs'>, choice: ThresholdChoice = {}): DecisionThreshold {
  return {
    benignClass,
    threshold: selection.threshold,
    method: choice.maxBenignFlagged === undefined ? NOVELTY_METHOD : `${NOVELTY_METHOD}, at most ${choice.maxBenignFlagged} of held-out benign rows flagged`,
    validation: { balancedAccuracy: selection.balancedAccuracy, balancedAccuracyAtHalf: selection.balancedAccuracyAtHalf, folds: selection.folds },
  };
}
