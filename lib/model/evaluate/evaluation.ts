/**
 * A model's answers on labelled rows → the report the CLI prints and metrics.json stores:
 * accuracy, per-class precision/recall/F1, macro-F1, ROC-AUC (binary), logloss and the confusion
 * matrix with class names. Rows whose true label has no model class (e.g. an attack the training
 * data never had, under a fine-label model) are counted and left out of the metrics.
 */
import { applyDecisionThreshold, type DecisionThreshold } from '../score/decisionThreshold.ts';
import type { FeatureImportance } from './importance.ts';
import { accuracy, confusionMatrix, logloss, macroF1, perClassMetrics, rocAuc } from './metrics.ts';

/** The part of a model's decision threshold that decides labels (decisionThreshold.ts). */
export type DecisionRule = Pick<DecisionThreshold, 'benignClass' | 'threshold'>;

/** Truth code of a row whose label is not one of the model's classes. */
export const NO_CLASS = -1;

export interface EvaluationInput {
  /** Model class per row, or NO_CLASS. */
  truth: Int32Array;
  /** Row-major [rows × classes], as the scorer returns them. */
  probabilities: Float32Array;
  classNames: readonly string[];
  /**
   * Flag a row when 1 − P(benign) ≥ threshold (then its most probable attack class), as the
   * model's metadata says (decisionThreshold.ts); null/undefined = argmax.
   */
  decision?: DecisionRule | null;
  /** Fine labels of the rows left out, with counts (for the report). */
  unmatchedLabels?: Record<string, number>;
}

export interface ClassEvaluation {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  /** Rows predicted as this class. */
  predicted: number;
}

export interface EvaluationReport {
  /** Rows scored (with and without a model class). */
  rows: number;
  /** Rows the metrics are computed on. */
  rowsEvaluated: number;
  /** Fine label → rows left out because the model has no class for it. */
  rowsWithoutClass: Record<string, number>;
  accuracy: number;
  macroF1: number;
  logloss: number;
  /** Binary: area under the ROC curve of P(class 1); null for multiclass. */
  rocAuc: number | null;
  /** The rule the labels were decided by; null = argmax. */
  decision: DecisionRule | null;
  perClass: ClassEvaluation[];
  confusion: { classes: string[]; matrix: number[][] };
}

/** Predicted class index per row: argmax, or the model's decision threshold rule. */
export function predictedClasses(probabilities: Float32Array, classNames: readonly string[], decision?: DecisionRule | null): Int32Array {
  if (decision) return applyDecisionThreshold(probabilities, classNames, decision);
  const classCount = classNames.length;
  const rowCount = probabilities.length / classCount;
  const predicted = new Int32Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    const base = row * classCount;
    let best = 0;
    for (let k = 1; k < classCount; k++) if (probabilities[base + k]! > probabilities[base + best]!) best = k;
    predicted[row] = best;
  }
  return predicted;
}

export function evaluatePredictions(input: EvaluationInput): EvaluationReport {
  const classCount = input.classNames.length;
  const rowCount = input.truth.length;
  if (input.probabilities.length !== rowCount * classCount) {
    throw new Error(`evaluatePredictions: ${input.probabilities.length} probabilities for ${rowCount} rows × ${classCount} classes`);
  }
  const allPredicted = predictedClasses(input.probabilities, input.classNames, input.decision);
  let kept = 0;
  for (let row = 0; row < rowCount; row++) if (input.truth[row]! >= 0) kept++;
  const truth = new Int32Array(kept);
  const predicted = new Int32Array(kept);
  const probabilities = new Float32Array(kept * classCount);
  for (let row = 0, at = 0; row < rowCount; row++) {
    if (input.truth[row]! < 0) continue;
    truth[at] = input.truth[row]!;
    predicted[at] = allPredicted[row]!;
    probabilities.set(input.probabilities.subarray(row * classCount, (row + 1) * classCount), at * classCount);
    at++;
  }
  const matrix = confusionMatrix(truth, predicted, classCount);
  const perClass = perClassMetrics(matrix);
  let auc: number | null = null;
  if (classCount === 2) {
    const isPositive = new Uint8Array(kept);
    const scores = new Float32Array(kept);
    for (let i = 0; i < kept; i++) {
      isPositive[i] = truth[i] === 1 ? 1 : 0;
      scores[i] = probabilities[i * 2 + 1]!;
    }
    const value = rocAuc(isPositive, scores);
    auc = Number.isNaN(value) ? null : value;
  }
  return {
    rows: rowCount,
    rowsEvaluated: kept,
    rowsWithoutClass: { ...(input.unmatchedLabels ?? {}) },
    accuracy: accuracy(truth, predicted),
    macroF1: macroF1(perClass),
    logloss: logloss(truth, probabilities, classCount),
    rocAuc: auc,
    decision: input.decision ? { benignClass: input.decision.benignClass, threshold: input.decision.threshold } : null,
    perClass: perClass.map((metrics, k) => ({
      class: input.classNames[k]!,
      ...metrics,
      predicted: matrix.reduce((sum, row) => sum + row[k]!, 0),
    })),
    confusion: { classes: input.classNames.slice(), matrix },
  };
}

const percent = (value: number) => `${(100 * value).toFixed(2)}%`;
const fixed = (value: number) => value.toFixed(4);
const count = (value: number) => value.toLocaleString('en-US');

/** The report as aligned text: summary, per-class table, confusion matrix (rows = truth). */
export function formatEvaluation(report: EvaluationReport, title?: string): string {
  const lines: string[] = [];
  if (title) lines.push(title);
  lines.push(`rows: ${count(report.rowsEvaluated)} evaluated${report.rows !== report.rowsEvaluated ? ` of ${count(report.rows)} scored` : ''}`);
  const unmatched = Object.entries(report.rowsWithoutClass);
  if (unmatched.length > 0) {
    lines.push(`left out (label has no model class): ${unmatched.map(([label, n]) => `${label} ${count(n)}`).join(', ')}`);
  }
  lines.push(`accuracy ${percent(report.accuracy)}  macro-F1 ${fixed(report.macroF1)}  logloss ${fixed(report.logloss)}`
    + `${report.rocAuc !== null ? `  ROC-AUC ${fixed(report.rocAuc)}` : ''}`
    + `${report.decision !== null ? `  decision: attack when 1 − P(${report.decision.benignClass}) ≥ ${Number(report.decision.threshold.toPrecision(4))}` : ''}`);
  const width = Math.max(5, ...report.perClass.map((entry) => entry.class.length));
  lines.push(`${'class'.padEnd(width)}  precision  recall     F1         support    predicted`);
  for (const entry of report.perClass) {
    lines.push(`${entry.class.padEnd(width)}  ${fixed(entry.precision).padEnd(9)}  ${fixed(entry.recall).padEnd(9)}  ${fixed(entry.f1).padEnd(9)}  `
      + `${count(entry.support).padStart(9)}  ${count(entry.predicted).padStart(9)}`);
  }
  lines.push('confusion matrix (rows = true class, columns = predicted):');
  const { classes, matrix } = report.confusion;
  const cellWidth = Math.max(7, ...matrix.flat().map((value) => count(value).length), ...classes.map((name) => Math.min(name.length, 12)));
  lines.push(`${''.padEnd(width)}  ${classes.map((name) => name.slice(0, 12).padStart(cellWidth)).join(' ')}`);
  matrix.forEach((row, k) => lines.push(`${classes[k]!.padEnd(width)}  ${row.map((value) => count(value).padStart(cellWidth)).join(' ')}`));
  return lines.join('\n');
}

/** The `limit` most important features by gain, one line each. */
export function formatImportance(importance: readonly FeatureImportance[], limit = 15): string {
  const top = importance.slice(0, limit);
  const width = Math.max(7, ...top.map((entry) => entry.feature.length));
  return [
    `top ${top.length} features by gain:`,
    ...top.map((entry, i) => `${String(i + 1).padStart(3)}. ${entry.feature.padEnd(width)}  ${percent(entry.share).padStart(7)}  ${count(entry.splits).padStart(6)} splits`),
  ].join('\n');
}
