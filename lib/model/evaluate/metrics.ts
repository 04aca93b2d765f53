/**
 * Classification metrics from label codes and predicted probabilities (row-major
 * [rows × classes]). Plain functions over typed arrays; no model knowledge.
 */

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true class is this one. */
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  macroF1: number;
  logloss: number;
  perClass: ClassMetrics[];
  /** confusion[truth][predicted]. */
  confusion: number[][];
  /** Binary only (probability of class 1 as the score); null otherwise. */
  rocAuc: number | null;
}

export function confusionMatrix(truth: Int32Array, predicted: Int32Array, classCount: number): number[][] {
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let i = 0; i < truth.length; i++) matrix[truth[i]!]![predicted[i]!]!++;
  return matrix;
}

export function accuracy(truth: Int32Array, predicted: Int32Array): number {
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) correct++;
  return truth.length > 0 ? correct / truth.length : 0;
}

export function perClassMetrics(confusion: number[][]): ClassMetrics[] {
  const classCount = confusion.length;
  return confusion.map((row, k) => {
    const truePositive = row[k]!;
    const support = row.reduce((sum, value) => sum + value, 0);
    let predictedCount = 0;
    for (let t = 0; t < classCount; t++) predictedCount += confusion[t]![k]!;
    const precision = predictedCount > 0 ? truePositive / predictedCount : 0;
    const recall = support > 0 ? truePositive / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

/** Mean F1 over the classes that occur in the truth. */
export function macroF1(perClass: ClassMetrics[]): number {
  const present = perClass.filter((metrics) => metrics.support > 0);
  return present.length > 0 ? present.reduce((sum, metrics) => sum + metrics.f1, 0) / present.length : 0;
}

/** Mean negative log of the probability given to the true class (clipped at 1e-15). */
export function logloss(truth: Int32Array, probabilities: Float32Array | Float64Array, classCount: number): number {
  let sum = 0;
  for (let i = 0; i < truth.length; i++) {
    sum -= Math.log(Math.max(probabilities[i * classCount + truth[i]!]!, 1e-15));
  }
  return truth.length > 0 ? sum / truth.length : 0;
}

/** Area under the ROC curve via the rank-sum statistic; tied scores count half. */
export function rocAuc(isPositive: Uint8Array, scores: Float32Array | Float64Array): number {
  const n = scores.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) {
      if (isPositive[order[i]!]) {
        positives++;
        rankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function classificationReport(truth: Int32Array, probabilities: Float32Array, classCount: number): ClassificationReport {
  const predicted = new Int32Array(truth.length);
  for (let i = 0; i < truth.length; i++) {
    let best = 0;
    for (let k = 1; k < classCount; k++) if (probabilities[i * classCount + k]! > probabilities[i * classCount + best]!) best = k;
    predicted[i] = best;
  }
  const confusion = confusionMatrix(truth, predicted, classCount);
  const perClass = perClassMetrics(confusion);
  let auc: number | null = null;
  if (classCount === 2) {
    const isPositive = new Uint8Array(truth.length);
    const scores = new Float32Array(truth.length);
    for (let i = 0; i < truth.length; i++) {
      isPositive[i] = truth[i] === 1 ? 1 : 0;
      scores[i] = probabilities[i * 2 + 1]!;
    }
    auc = rocAuc(isPositive, scores);
  }
  return {
    accuracy: accuracy(truth, predicted),
    macroF1: macroF1(perClass),
    logloss: logloss(truth, probabilities, classCount),
    perClass,
    confusion,
    rocAuc: auc,
  };
}
