/**
 * Histogram tree learner (LightGBM's SerialTreeLearner). It sees only the binned matrix, one
 * output's gradients/hessians and the rows of this round; it returns a tree in bin space.
 * Per node: a gradient/hessian histogram over every (feature, bin); the smaller child's histogram
 * is built from its rows and the larger one's is the parent's minus the smaller's.
 * Rows live in one index array; every leaf owns a contiguous range of it, kept in ascending row
 * order so that column reads walk memory forwards.
 */
import { type BinnedMatrix, MISSING_BIN } from './binning.ts';
import { HistogramBuilder } from './histogramBuilder.ts';

export interface TreeLearnerParams {
  growth: 'depthwise' | 'leafwise';
  /** 0 = unlimited. */
  maxDepth: number;
  /** 0 = unlimited. */
  maxLeaves: number;
  lambda: number;
  minChildWeight: number;
  minSplitGain: number;
}

/** A tree in bin space. Node 0 is the root; leaves have feature = -1. */
export interface LearnedTree {
  nodeCount: number;
  feature: Int32Array;
  /** Value bins 1..splitBin go left, the others right; the missing bin follows defaultLeft. */
  splitBin: Int32Array;
  defaultLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Newton step -G / (H + lambda), before shrinkage; 0 on internal nodes. */
  leafValue: Float64Array;
  /** Loss reduction of the split; 0 on leaves. */
  gain: Float64Array;
  /** Hessian sum of the training rows that reached the node. */
  cover: Float64Array;
}

/** A leaf that may still be split. */
interface OpenLeaf {
  node: number;
  depth: number;
  begin: number;
  end: number;
  sumGradient: number;
  sumHessian: number;
  /** Index into the histogram pool, -1 when the leaf cannot be split. */
  histogram: number;
  bestGain: number;
  bestFeature: number;
  bestBin: number;
  bestDefaultLeft: boolean;
}

export class TreeLearner {
  private readonly matrix: BinnedMatrix;
  private readonly params: TreeLearnerParams;
  private readonly histograms: HistogramBuilder;
  private readonly featureOffset: Int32Array;
  private readonly histogramPool: Float64Array[] = [];
  private readonly freeHistograms: number[] = [];
  /** Features this tree may split on. */
  private readonly activeFeatures: Int32Array;
  private activeCount = 0;
  // Node storage, grown by doubling and reused across trees.
  private capacity = 0;
  private nodeCount = 0;
  private feature = new Int32Array(0);
  private splitBin = new Int32Array(0);
  private defaultLeft = new Uint8Array(0);
  private left = new Int32Array(0);
  private right = new Int32Array(0);
  private leafValue = new Float64Array(0);
  private gain = new Float64Array(0);
  private cover = new Float64Array(0);
  /** Row range of each leaf of the last tree, by node: lets boosting update scores without traversal. */
  private nodeBegin = new Int32Array(0);
  private nodeEnd = new Int32Array(0);

  constructor(matrix: BinnedMatrix, params: TreeLearnerParams) {
    this.matrix = matrix;
    this.params = params;
    this.histograms = new HistogramBuilder(matrix);
    this.featureOffset = this.histograms.featureOffset;
    this.activeFeatures = new Int32Array(matrix.featureCount);
    this.ensureCapacity(64);
  }

  /**
   * Grows one tree. `rows` must be ascending; `featureMask[f]` = 1 for features this tree may use.
   */
  train(gradients: Float64Array, hessians: Float64Array, rows: Int32Array, featureMask: Uint8Array): LearnedTree {
    this.activeCount = 0;
    for (let f = 0; f < this.matrix.featureCount; f++) {
      // A feature with one value bin cannot split anything.
      if (featureMask[f] && this.matrix.binCounts[f]! > 2) this.activeFeatures[this.activeCount++] = f;
    }
    const { sumGradient, sumHessian } = this.histograms.beginTree(gradients, hessians, rows, this.activeFeatures, this.activeCount);
    this.nodeCount = 0;
    const { maxLeaves, growth } = this.params;
    const leafLimit = maxLeaves > 0 ? maxLeaves : Infinity;

    const root = this.openLeaf(this.newNode(), 0, 0, rows.length, sumGradient, sumHessian);
    if (root.histogram >= 0) {
      this.histograms.buildRoot(this.histogramPool[root.histogram]!, root.sumGradient, root.sumHessian);
      this.findBestSplit(root);
    }
    let leafCount = 1;

    if (growth === 'depthwise') {
      let level: OpenLeaf[] = [root];
      while (level.length > 0) {
        const next: OpenLeaf[] = [];
        for (const leaf of level) {
          if (leafCount < leafLimit && leaf.bestFeature >= 0) {
            const [leftLeaf, rightLeaf] = this.split(leaf);
            leafCount++;
            if (leftLeaf.histogram >= 0) next.push(leftLeaf);
            if (rightLeaf.histogram >= 0) next.push(rightLeaf);
          } else this.release(leaf);
        }
        level = next;
      }
    } else {
      const open: OpenLeaf[] = [root];
      while (leafCount < leafLimit) {
        let best = -1;
        for (let i = 0; i < open.length; i++) {
          const leaf = open[i]!;
          if (leaf.bestFeature >= 0 && (best < 0 || leaf.bestGain > open[best]!.bestGain)) best = i;
        }
        if (best < 0) break;
        const leaf = open[best]!;
        open.splice(best, 1);
        const [leftLeaf, rightLeaf] = this.split(leaf);
        leafCount++;
        if (leftLeaf.histogram >= 0) open.push(leftLeaf);
        if (rightLeaf.histogram >= 0) open.push(rightLeaf);
      }
      for (const leaf of open) this.release(leaf);
    }
    return this.snapshot();
  }

  /** Row range [begin, end) of `partitionRows()` that ended in leaf `node` of the last tree. */
  leafRange(node: number): [number, number] {
    return [this.nodeBegin[node]!, this.nodeEnd[node]!];
  }

  /** The partitioned row indices of the last tree (a view, valid until the next train call). */
  partitionRows(): Int32Array {
    return this.histograms.partition;
  }

  private canSplit(depth: number, rowCount: number, sumHessian: number): boolean {
    const { maxDepth, minChildWeight } = this.params;
    if (maxDepth > 0 && depth >= maxDepth) return false;
    return rowCount >= 2 && sumHessian >= 2 * minChildWeight && this.activeCount > 0;
  }

  private openLeaf(node: number, depth: number, begin: number, end: number, sumGradient: number, sumHessian: number): OpenLeaf {
    this.nodeBegin[node] = begin;
    this.nodeEnd[node] = end;
    this.feature[node] = -1;
    this.splitBin[node] = 0;
    this.defaultLeft[node] = 0;
    this.left[node] = -1;
    this.right[node] = -1;
    this.leafValue[node] = -sumGradient / (sumHessian + this.params.lambda);
    this.cover[node] = sumHessian;
    this.gain[node] = 0;
    const splittable = this.canSplit(depth, end - begin, sumHessian);
    return {
      node, depth, begin, end, sumGradient, sumHessian,
      histogram: splittable ? this.acquire() : -1,
      bestGain: 0, bestFeature: -1, bestBin: 0, bestDefaultLeft: false,
    };
  }

  private split(leaf: OpenLeaf): [OpenLeaf, OpenLeaf] {
    const node = leaf.node;
    const feature = leaf.bestFeature;
    const splitBin = leaf.bestBin;
    const defaultLeft = leaf.bestDefaultLeft;
    const leftNode = this.newNode();
    const rightNode = this.newNode();
    const middle = this.histograms.partitionRange(leaf.begin, leaf.end, feature, splitBin, defaultLeft, leftNode, rightNode);

    // Child sums from the parent's histogram, so they agree exactly with the gain computed.
    const histogram = this.histogramPool[leaf.histogram]!;
    const offset = this.featureOffset[feature]!;
    let leftGradient = 0;
    let leftHessian = 0;
    for (let bin = 1; bin <= splitBin; bin++) {
      leftGradient += histogram[2 * (offset + bin)]!;
      leftHessian += histogram[2 * (offset + bin) + 1]!;
    }
    if (defaultLeft) {
      leftGradient += histogram[2 * (offset + MISSING_BIN)]!;
      leftHessian += histogram[2 * (offset + MISSING_BIN) + 1]!;
    }
    this.feature[node] = feature;
    this.splitBin[node] = splitBin;
    this.defaultLeft[node] = defaultLeft ? 1 : 0;
    this.left[node] = leftNode;
    this.right[node] = rightNode;
    this.gain[node] = leaf.bestGain;
    this.leafValue[node] = 0;

    const depth = leaf.depth + 1;
    const leftLeaf = this.openLeaf(leftNode, depth, leaf.begin, middle, leftGradient, leftHessian);
    const rightLeaf = this.openLeaf(
      rightNode, depth, middle, leaf.end, leaf.sumGradient - leftGradient, leaf.sumHessian - leftHessian,
    );
    const leftSmaller = middle - leaf.begin <= leaf.end - middle;
    const smaller = leftSmaller ? leftLeaf : rightLeaf;
    const larger = leftSmaller ? rightLeaf : leftLeaf;
    if (larger.histogram >= 0) {
      // Build the smaller child (into its own slot or a temporary) and subtract it from the parent.
      const smallerSlot = smaller.histogram >= 0 ? smaller.histogram : this.acquire();
      const smallerHistogram = this.histogramPool[smallerSlot]!;
      this.histograms.build(smallerHistogram, smaller.node, smaller.begin, smaller.end);
      this.histograms.subtract(histogram, smallerHistogram);
      // The parent's buffer now holds the larger child's histogram.
      this.freeHistograms.push(larger.histogram);
      larger.histogram = leaf.histogram;
      if (smaller.histogram < 0) this.freeHistograms.push(smallerSlot);
    } else {
      if (smaller.histogram >= 0) this.histograms.build(this.histogramPool[smaller.histogram]!, smaller.node, smaller.begin, smaller.end);
      this.freeHistograms.push(leaf.histogram);
    }
    leaf.histogram = -1;
    if (leftLeaf.histogram >= 0) this.findBestSplit(leftLeaf);
    if (rightLeaf.histogram >= 0) this.findBestSplit(rightLeaf);
    return [leftLeaf, rightLeaf];
  }

  private release(leaf: OpenLeaf): void {
    if (leaf.histogram >= 0) this.freeHistograms.push(leaf.histogram);
    leaf.histogram = -1;
  }

  private acquire(): number {
    const free = this.freeHistograms.pop();
    if (free !== undefined) return free;
    this.histogramPool.push(new Float64Array(this.histograms.histogramLength));
    return this.histogramPool.length - 1;
  }

  /** Best split of an open leaf over its histogram; leaves bestFeature = -1 when none qualifies. */
  private findBestSplit(leaf: OpenLeaf): void {
    const histogram = this.histogramPool[leaf.histogram]!;
    const { lambda, minChildWeight, minSplitGain } = this.params;
    const totalGradient = leaf.sumGradient;
    const totalHessian = leaf.sumHessian;
    const parentScore = (totalGradient * totalGradient) / (totalHessian + lambda);
    let bestGain = minSplitGain;
    let bestFeature = -1;
    let bestBin = 0;
    let bestDefaultLeft = false;
    const active = this.activeFeatures;
    for (let a = 0; a < this.activeCount; a++) {
      const f = active[a]!;
      const offset = this.featureOffset[f]!;
      const binCount = this.matrix.binCounts[f]!;
      const missingGradient = histogram[2 * offset]!;
      const missingHessian = histogram[2 * offset + 1]!;
      const hasMissing = missingHessian > 0;
      let leftGradient = 0;
      let leftHessian = 0;
      for (let bin = 1; bin < binCount - 1; bin++) {
        const binHessian = histogram[2 * (offset + bin) + 1]!;
        leftGradient += histogram[2 * (offset + bin)]!;
        leftHessian += binHessian;
        if (binHessian === 0) continue; // same partition as the previous bin: keep the lower cut
        // Missing values to the right.
        let rightGradient = totalGradient - leftGradient;
        let rightHessian = totalHessian - leftHessian;
        if (leftHessian >= minChildWeight && rightHessian >= minChildWeight && leftHessian > 0 && rightHessian > 0) {
          const gain = 0.5 * ((leftGradient * leftGradient) / (leftHessian + lambda) +
            (rightGradient * rightGradient) / (rightHessian + lambda) - parentScore);
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = f;
            bestBin = bin;
            // With no missing values in training, unseen missing values follow the heavier side.
            bestDefaultLeft = !hasMissing && leftHessian >= rightHessian;
          }
        }
        if (!hasMissing) continue;
        // Missing values to the left.
        const withMissingGradient = leftGradient + missingGradient;
        const withMissingHessian = leftHessian + missingHessian;
        rightGradient = totalGradient - withMissingGradient;
        rightHessian = totalHessian - withMissingHessian;
        if (withMissingHessian >= minChildWeight && rightHessian >= minChildWeight && rightHessian > 0) {
          const gain = 0.5 * ((withMissingGradient * withMissingGradient) / (withMissingHessian + lambda) +
            (rightGradient * rightGradient) / (rightHessian + lambda) - parentScore);
          if (gain > bestGain) {
            bestGain = gain;
            bestFeature = f;
            bestBin = bin;
            bestDefaultLeft = true;
          }
        }
      }
    }
    leaf.bestGain = bestGain;
    leaf.bestFeature = bestFeature;
    leaf.bestBin = bestBin;
    leaf.bestDefaultLeft = bestDefaultLeft;
  }

  private newNode(): number {
    if (this.nodeCount === this.capacity) this.ensureCapacity(this.capacity * 2);
    return this.nodeCount++;
  }

  private ensureCapacity(capacity: number): void {
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.feature = grow(this.feature, (n) => new Int32Array(n));
    this.splitBin = grow(this.splitBin, (n) => new Int32Array(n));
    this.defaultLeft = grow(this.defaultLeft, (n) => new Uint8Array(n));
    this.left = grow(this.left, (n) => new Int32Array(n));
    this.right = grow(this.right, (n) => new Int32Array(n));
    this.leafValue = grow(this.leafValue, (n) => new Float64Array(n));
    this.gain = grow(this.gain, (n) => new Float64Array(n));
    this.cover = grow(this.cover, (n) => new Float64Array(n));
    this.nodeBegin = grow(this.nodeBegin, (n) => new Int32Array(n));
    this.nodeEnd = grow(this.nodeEnd, (n) => new Int32Array(n));
    this.capacity = capacity;
  }

  private snapshot(): LearnedTree {
    const n = this.nodeCount;
    return {
      nodeCount: n,
      feature: this.feature.slice(0, n),
      splitBin: this.splitBin.slice(0, n),
      defaultLeft: this.defaultLeft.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      leafValue: this.leafValue.slice(0, n),
      gain: this.gain.slice(0, n),
      cover: this.cover.slice(0, n),
    };
  }
}
