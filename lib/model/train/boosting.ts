/**
 * One boosting round at a time (LightGBM's GBDT::TrainOneIter): objective gradients → row and
 * column subsampling (seeded) → tree learner → shrinkage → score update. Training rows are
 * 0..rowCount-1 of the binned training matrix; the optional validation matrix is scored as trees
 * are added so early stopping can watch its loss.
 */
import type { BinMapper, BinnedMatrix } from './binning.ts';
import { ForestBuilder } from './forest.ts';
import type { Objective } from './objectives.ts';
import { SeededRandom } from './random.ts';
import { type LearnedTree, TreeLearner, type TreeLearnerParams } from './treeLearner.ts';

export interface BoosterData {
  matrix: BinnedMatrix;
  labels: Int32Array;
  rowWeights: Float32Array;
  validation?: { matrix: BinnedMatrix; labels: Int32Array; rowWeights: Float32Array };
}

export interface BoosterParams extends TreeLearnerParams {
  learningRate: number;
  subsample: number;
  colsampleByTree: number;
  seed: number;
}

export interface RoundLosses {
  trainLoss: number;
  /** NaN without a validation set. */
  validLoss: number;
}

export class Booster {
  readonly forest: ForestBuilder;
  private readonly learner: TreeLearner;
  private readonly random: SeededRandom;
  private readonly scores: Float64Array;
  private readonly validScores: Float64Array;
  private readonly gradients: Float64Array;
  private readonly hessians: Float64Array;
  private readonly allRows: Int32Array;
  private readonly validRows: Int32Array;
  private readonly sampledRows: Int32Array;
  private readonly inSample: Uint8Array;
  private readonly featureMask: Uint8Array;
  private readonly featureOrder: Int32Array;
  /** Training loss at the current scores, a by-product of the last gradient pass. */
  private trainLoss: number;

  constructor(
    private readonly data: BoosterData,
    private readonly objective: Objective,
    private readonly params: BoosterParams,
    binMapper: BinMapper,
  ) {
    const rowCount = data.matrix.rowCount;
    const outputs = objective.outputCount;
    this.learner = new TreeLearner(data.matrix, params);
    this.random = new SeededRandom(params.seed);
    this.allRows = new Int32Array(rowCount);
    for (let i = 0; i < rowCount; i++) this.allRows[i] = i;
    const base = objective.initialScores(data.labels, data.rowWeights, this.allRows);
    const baseScores = Float32Array.from(base); // exported as float32: train from the same value
    this.forest = new ForestBuilder(outputs, baseScores, binMapper);
    this.scores = new Float64Array(outputs * rowCount);
    for (let k = 0; k < outputs; k++) this.scores.fill(baseScores[k]!, k * rowCount, (k + 1) * rowCount);
    const validCount = data.validation?.matrix.rowCount ?? 0;
    this.validRows = new Int32Array(validCount);
    for (let i = 0; i < validCount; i++) this.validRows[i] = i;
    this.validScores = new Float64Array(outputs * validCount);
    for (let k = 0; k < outputs; k++) this.validScores.fill(baseScores[k]!, k * validCount, (k + 1) * validCount);
    this.gradients = new Float64Array(outputs * rowCount);
    this.hessians = new Float64Array(outputs * rowCount);
    this.sampledRows = new Int32Array(rowCount);
    this.inSample = new Uint8Array(rowCount);
    this.featureMask = new Uint8Array(data.matrix.featureCount);
    this.featureOrder = new Int32Array(data.matrix.featureCount);
    this.trainLoss = objective.gradients(this.scores, data.labels, data.rowWeights, this.gradients, this.hessians);
  }

  /**
   * Grows one round of trees (one per score column) and returns the losses after it. The
   * gradients for the next round are computed at the end, which yields the training loss.
   */
  trainOneIteration(): RoundLosses {
    const { matrix, labels, rowWeights } = this.data;
    const rowCount = matrix.rowCount;
    const rows = this.sampleRows();
    for (let output = 0; output < this.objective.outputCount; output++) {
      this.sampleFeatures();
      const from = output * rowCount;
      const tree = this.learner.train(
        this.gradients.subarray(from, from + rowCount),
        this.hessians.subarray(from, from + rowCount),
        rows,
        this.featureMask,
      );
      const shrunk = this.forest.add(tree, output, this.params.learningRate);
      this.updateTrainScores(tree, shrunk, output, rows.length < rowCount);
      if (this.data.validation) {
        addTreeScores(tree, shrunk, this.data.validation.matrix, this.validScores, output);
      }
    }
    this.trainLoss = this.objective.gradients(this.scores, labels, rowWeights, this.gradients, this.hessians);
    return this.losses();
  }

  losses(): RoundLosses {
    const validation = this.data.validation;
    return {
      trainLoss: this.trainLoss,
      validLoss: validation
        ? this.objective.loss(this.validScores, validation.matrix.rowCount, validation.labels, validation.rowWeights, this.validRows)
        : NaN,
    };
  }

  /** Bernoulli row sample for this round (all rows when subsample = 1), ascending. */
  private sampleRows(): Int32Array {
    const rowCount = this.data.matrix.rowCount;
    if (this.params.subsample >= 1) return this.allRows;
    let count = 0;
    for (let i = 0; i < rowCount; i++) {
      const chosen = this.random.next() < this.params.subsample;
      this.inSample[i] = chosen ? 1 : 0;
      if (chosen) this.sampledRows[count++] = i;
    }
    return this.sampledRows.subarray(0, count);
  }

  /** Partial Fisher–Yates draw of colsampleByTree × features (at least one). */
  private sampleFeatures(): void {
    const featureCount = this.featureMask.length;
    if (this.params.colsampleByTree >= 1) {
      this.featureMask.fill(1);
      return;
    }
    const wanted = Math.max(1, Math.round(this.params.colsampleByTree * featureCount));
    for (let f = 0; f < featureCount; f++) this.featureOrder[f] = f;
    this.featureMask.fill(0);
    for (let i = 0; i < wanted; i++) {
      const j = i + this.random.nextInt(featureCount - i);
      const chosen = this.featureOrder[j]!;
      this.featureOrder[j] = this.featureOrder[i]!;
      this.featureOrder[i] = chosen;
      this.featureMask[chosen] = 1;
    }
  }

  /** Sampled rows take their leaf from the learner's partition; the others walk the tree. */
  private updateTrainScores(tree: LearnedTree, shrunk: Float32Array, output: number, partial: boolean): void {
    const rowCount = this.data.matrix.rowCount;
    const scores = this.scores;
    const partition = this.learner.partitionRows();
    const base = output * rowCount;
    for (let node = 0; node < tree.nodeCount; node++) {
      if (tree.feature[node]! >= 0) continue;
      const [begin, end] = this.learner.leafRange(node);
      const value = shrunk[node]!;
      for (let i = begin; i < end; i++) scores[base + partition[i]!] += value;
    }
    if (!partial) return;
    const { bins } = this.data.matrix;
    for (let row = 0; row < rowCount; row++) {
      if (this.inSample[row]) continue;
      scores[base + row] += shrunk[leafOfBinnedRow(tree, bins, rowCount, row)]!;
    }
  }
}

/** Leaf reached by one row of a binned (column-major) matrix. */
export function leafOfBinnedRow(tree: LearnedTree, bins: Uint8Array, rowCount: number, row: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    const bin = bins[tree.feature[node]! * rowCount + row]!;
    const goesLeft = bin === 0 ? tree.defaultLeft[node] === 1 : bin <= tree.splitBin[node]!;
    node = goesLeft ? tree.left[node]! : tree.right[node]!;
  }
  return node;
}

function addTreeScores(tree: LearnedTree, shrunk: Float32Array, matrix: BinnedMatrix, scores: Float64Array, output: number): void {
  const rowCount = matrix.rowCount;
  const base = output * rowCount;
  for (let row = 0; row < rowCount; row++) {
    scores[base + row] += shrunk[leafOfBinnedRow(tree, matrix.bins, rowCount, row)]!;
  }
}
