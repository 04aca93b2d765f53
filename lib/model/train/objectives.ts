/**
 * Objectives turn raw scores into gradients and hessians; they never see a tree (LightGBM's
 * ObjectiveFunction). Picked by name from `objectives`; `createObjective` fails loudly on an unknown
 * name. Scores, gradients and hessians are class-major: value for class k, row i at [k * rows + i].
 */

export interface Objective {
  readonly name: ObjectiveName;
  readonly classCount: number;
  /** Score columns, i.e. trees grown per round: 1 for binary, classCount for multiclass. */
  readonly outputCount: number;
  /** Starting score per output from the (weighted) class priors, so tree 1 starts from the base rate. */
  initialScores(labels: Int32Array, rowWeights: Float32Array, rows: Int32Array): Float64Array;
  /**
   * Writes gradients/hessians for every row (weights folded in) and returns the weighted mean loss
   * at these scores, which costs nothing extra once the probabilities are known.
   */
  gradients(scores: Float64Array, labels: Int32Array, rowWeights: Float32Array, gradients: Float64Array, hessians: Float64Array): number;
  /** Weighted mean negative log-likelihood over `rows`. */
  loss(scores: Float64Array, rowCount: number, labels: Int32Array, rowWeights: Float32Array, rows: Int32Array): number;
  /** Class probabilities of one row from its scores (scores[k * stride + row]). */
  probabilities(scores: Float64Array | Float32Array, stride: number, row: number, out: Float64Array): void;
}

export type ObjectiveName = 'binary' | 'multiclass';

/** Hessians never fall to 0, which would make leaf values explode on pure nodes. */
const MIN_HESSIAN = 1e-16;
const PROBABILITY_FLOOR = 1e-15;
/** Largest per-row loss factor (1 / probability), and rows per product in the binary loss. */
const MAX_LOSS_FACTOR = 1 / PROBABILITY_FLOOR;
const LOSS_RUN = 16;
/** Rows per block in the multiclass gradient pass (block state stays in L1). */
const GRADIENT_BLOCK = 512;

function sigmoid(score: number): number {
  return 1 / (1 + Math.exp(-score));
}

class BinaryLogistic implements Objective {
  readonly name = 'binary' as const;
  readonly outputCount = 1;
  constructor(readonly classCount: number) {
    if (classCount !== 2) throw new Error(`objective 'binary' needs exactly 2 classes, got ${classCount}`);
  }

  initialScores(labels: Int32Array, rowWeights: Float32Array, rows: Int32Array): Float64Array {
    let positive = 0;
    let total = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      total += rowWeights[row]!;
      if (labels[row] === 1) positive += rowWeights[row]!;
    }
    const rate = Math.min(Math.max(positive / total, 1e-6), 1 - 1e-6);
    return Float64Array.of(Math.log(rate / (1 - rate)));
  }

  gradients(scores: Float64Array, labels: Int32Array, rowWeights: Float32Array, gradients: Float64Array, hessians: Float64Array): number {
    const rowCount = labels.length;
    let loss = 0;
    let total = 0;
    // The loss is Σ weight · log(factor), factor = 1/p for label 1 and 1/(1 − p) for label 0,
    // capped at 1/PROBABILITY_FLOOR. A log per row cost as much as the rest of this pass, so the
    // factors are multiplied per label in runs of one weight and at most LOSS_RUN rows (the
    // product stays below 1e15^16, far from overflow) and one log is taken per run.
    let product0 = 1;
    let product1 = 1;
    let weight0 = 0;
    let weight1 = 0;
    let run0 = 0;
    let run1 = 0;
    // Same arithmetic as sigmoid() and Math.max, written out: this pass runs once per round over
    // every row, and the branch per label keeps one subtraction and one select out of it.
    for (let i = 0; i < rowCount; i++) {
      const e = Math.exp(-scores[i]!);
      const probability = 1 / (1 + e);
      const complement = 1 - probability;
      const weight = rowWeights[i]!;
      if (labels[i] === 1) {
        gradients[i] = (probability - 1) * weight;
        if (run1 === LOSS_RUN || weight !== weight1) {
          loss += Math.log(product1) * weight1;
          product1 = 1;
          run1 = 0;
          weight1 = weight;
        }
        const factor = 1 + e;
        product1 *= factor < MAX_LOSS_FACTOR ? factor : MAX_LOSS_FACTOR;
        run1++;
      } else {
        gradients[i] = probability * weight;
        if (run0 === LOSS_RUN || weight !== weight0) {
          loss += Math.log(product0) * weight0;
          product0 = 1;
          run0 = 0;
          weight0 = weight;
        }
        const factor = 1 + 1 / e;
        product0 *= factor < MAX_LOSS_FACTOR ? factor : MAX_LOSS_FACTOR;
        run0++;
      }
      const hessian = probability * complement;
      hessians[i] = (hessian > MIN_HESSIAN ? hessian : MIN_HESSIAN) * weight;
      total += weight;
    }
    loss += Math.log(product0) * weight0 + Math.log(product1) * weight1;
    return loss / total;
  }

  loss(scores: Float64Array, _rowCount: number, labels: Int32Array, rowWeights: Float32Array, rows: Int32Array): number {
    let sum = 0;
    let total = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const probability = sigmoid(scores[row]!);
      const truth = labels[row] === 1 ? probability : 1 - probability;
      sum -= Math.log(Math.max(truth, PROBABILITY_FLOOR)) * rowWeights[row]!;
      total += rowWeights[row]!;
    }
    return sum / total;
  }

  probabilities(scores: Float64Array | Float32Array, _stride: number, row: number, out: Float64Array): void {
    const probability = sigmoid(scores[row]!);
    out[0] = 1 - probability;
    out[1] = probability;
  }
}

class MulticlassSoftmax implements Objective {
  readonly name = 'multiclass' as const;
  readonly outputCount: number;
  private readonly rowProbabilities: Float64Array;
  private readonly blockMax = new Float64Array(GRADIENT_BLOCK);
  private readonly blockSum = new Float64Array(GRADIENT_BLOCK);

  constructor(readonly classCount: number) {
    if (classCount < 2) throw new Error(`objective 'multiclass' needs at least 2 classes, got ${classCount}`);
    this.outputCount = classCount;
    this.rowProbabilities = new Float64Array(classCount);
  }

  initialScores(labels: Int32Array, rowWeights: Float32Array, rows: Int32Array): Float64Array {
    const mass = new Float64Array(this.classCount);
    let total = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      mass[labels[row]!]! += rowWeights[row]!;
      total += rowWeights[row]!;
    }
    const scores = new Float64Array(this.classCount);
    for (let k = 0; k < this.classCount; k++) scores[k] = Math.log(Math.max(mass[k]! / total, 1e-6));
    return scores;
  }

  /**
   * Works in blocks of rows, class by class, so every pass reads and writes each class's scores
   * sequentially; the exponentials are parked in `gradients` until the row sums are known. The
   * arithmetic is the same, in the same order, as `probabilities`.
   */
  gradients(scores: Float64Array, labels: Int32Array, rowWeights: Float32Array, gradients: Float64Array, hessians: Float64Array): number {
    const rowCount = labels.length;
    const classCount = this.classCount;
    const rowMax = this.blockMax;
    const rowSum = this.blockSum;
    let loss = 0;
    let total = 0;
    for (let start = 0; start < rowCount; start += GRADIENT_BLOCK) {
      const size = Math.min(GRADIENT_BLOCK, rowCount - start);
      rowMax.fill(-Infinity, 0, size);
      rowSum.fill(0, 0, size);
      for (let k = 0; k < classCount; k++) {
        const base = k * rowCount + start;
        for (let r = 0; r < size; r++) rowMax[r] = Math.max(rowMax[r]!, scores[base + r]!);
      }
      for (let k = 0; k < classCount; k++) {
        const base = k * rowCount + start;
        for (let r = 0; r < size; r++) {
          const e = Math.exp(scores[base + r]! - rowMax[r]!);
          gradients[base + r] = e;
          rowSum[r] = rowSum[r]! + e;
        }
      }
      for (let k = 0; k < classCount; k++) {
        const base = k * rowCount + start;
        for (let r = 0; r < size; r++) {
          const probability = gradients[base + r]! / rowSum[r]!;
          const weight = rowWeights[start + r]!;
          const isLabel = labels[start + r] === k;
          gradients[base + r] = (probability - (isLabel ? 1 : 0)) * weight;
          // XGBoost's softmax hessian: 2 p (1 - p).
          hessians[base + r] = Math.max(2 * probability * (1 - probability), MIN_HESSIAN) * weight;
          if (isLabel) loss -= Math.log(Math.max(probability, PROBABILITY_FLOOR)) * weight;
        }
      }
      for (let r = 0; r < size; r++) total += rowWeights[start + r]!;
    }
    return loss / total;
  }

  loss(scores: Float64Array, rowCount: number, labels: Int32Array, rowWeights: Float32Array, rows: Int32Array): number {
    const probabilities = this.rowProbabilities;
    let sum = 0;
    let total = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      this.probabilities(scores, rowCount, row, probabilities);
      sum -= Math.log(Math.max(probabilities[labels[row]!]!, PROBABILITY_FLOOR)) * rowWeights[row]!;
      total += rowWeights[row]!;
    }
    return sum / total;
  }

  probabilities(scores: Float64Array | Float32Array, stride: number, row: number, out: Float64Array): void {
    const classCount = this.classCount;
    let max = -Infinity;
    for (let k = 0; k < classCount; k++) max = Math.max(max, scores[k * stride + row]!);
    let sum = 0;
    for (let k = 0; k < classCount; k++) {
      const e = Math.exp(scores[k * stride + row]! - max);
      out[k] = e;
      sum += e;
    }
    for (let k = 0; k < classCount; k++) out[k] = out[k]! / sum;
  }
}

export const objectives: Record<ObjectiveName, (classCount: number) => Objective> = {
  binary: (classCount) => new BinaryLogistic(classCount),
  multiclass: (classCount) => new MulticlassSoftmax(classCount),
};

export function createObjective(name: string, classCount: number): Objective {
  const factory = (objectives as Record<string, ((classCount: number) => Objective) | undefined>)[name];
  if (!factory) {
    throw new Error(`Unknown objective '${name}'; known objectives: ${Object.keys(objectives).join(', ')}`);
  }
  return factory(classCount);
}
