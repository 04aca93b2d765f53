/**
 * The trained ensemble in flat typed arrays, in float space: a node sends x to the left child
 * when x < threshold, and NaN to the side named by defaultLeft. This is the form predict.ts walks
 * and onnxExport.ts writes out; the bin-space trees of the learner are converted once, here.
 */
import type { BinMapper } from './binning.ts';
import type { LearnedTree } from './treeLearner.ts';

export interface Forest {
  treeCount: number;
  /** Score columns: 1 for binary, classCount for multiclass. */
  outputCount: number;
  /** Score column each tree adds to. */
  treeOutput: Int32Array;
  /** Nodes of tree t are [nodeOffset[t], nodeOffset[t + 1]); children are tree-local ids. */
  nodeOffset: Int32Array;
  /** Split feature, -1 on leaves. */
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  defaultLeft: Uint8Array;
  /** Shrunk leaf value (float32, as exported); 0 on internal nodes. */
  leafValue: Float32Array;
  /** Split gain, 0 on leaves (feature importance). */
  gain: Float64Array;
  /** Hessian sum that reached the node. */
  cover: Float64Array;
  /** Starting score per column (float32, as exported). */
  baseScores: Float32Array;
}

/** Collects trees as they are grown; grows its arrays by doubling. */
export class ForestBuilder {
  private treeOutputs: number[] = [];
  private offsets: number[] = [0];
  private size = 0;
  private capacity = 256;
  private feature = new Int32Array(this.capacity);
  private threshold = new Float32Array(this.capacity);
  private left = new Int32Array(this.capacity);
  private right = new Int32Array(this.capacity);
  private defaultLeft = new Uint8Array(this.capacity);
  private leafValue = new Float32Array(this.capacity);
  private gain = new Float64Array(this.capacity);
  private cover = new Float64Array(this.capacity);

  constructor(
    private readonly outputCount: number,
    private readonly baseScores: Float32Array,
    private readonly binMapper: BinMapper,
  ) {}

  get treeCount(): number {
    return this.treeOutputs.length;
  }

  /**
   * Appends a bin-space tree, shrinking its leaves by `learningRate`. Returns the float32 leaf
   * values per node, which the caller must add to its scores so training and prediction agree.
   */
  add(tree: LearnedTree, output: number, learningRate: number): Float32Array {
    while (this.size + tree.nodeCount > this.capacity) this.grow();
    const base = this.size;
    const shrunk = new Float32Array(tree.nodeCount);
    for (let node = 0; node < tree.nodeCount; node++) {
      const at = base + node;
      const feature = tree.feature[node]!;
      this.feature[at] = feature;
      this.left[at] = tree.left[node]!;
      this.right[at] = tree.right[node]!;
      this.defaultLeft[at] = tree.defaultLeft[node]!;
      this.gain[at] = tree.gain[node]!;
      this.cover[at] = tree.cover[node]!;
      if (feature >= 0) {
        // Bins 1..splitBin are the values below threshold number splitBin - 1.
        this.threshold[at] = this.binMapper.features[feature]!.thresholds[tree.splitBin[node]! - 1]!;
        this.leafValue[at] = 0;
      } else {
        this.threshold[at] = 0;
        shrunk[node] = Math.fround(tree.leafValue[node]! * learningRate);
        this.leafValue[at] = shrunk[node]!;
      }
    }
    this.size += tree.nodeCount;
    this.offsets.push(this.size);
    this.treeOutputs.push(output);
    return shrunk;
  }

  /** The first `treeCount` trees as a Forest (copies). */
  build(treeCount = this.treeCount): Forest {
    const nodeCount = this.offsets[treeCount]!;
    return {
      treeCount,
      outputCount: this.outputCount,
      treeOutput: Int32Array.from(this.treeOutputs.slice(0, treeCount)),
      nodeOffset: Int32Array.from(this.offsets.slice(0, treeCount + 1)),
      feature: this.feature.slice(0, nodeCount),
      threshold: this.threshold.slice(0, nodeCount),
      left: this.left.slice(0, nodeCount),
      right: this.right.slice(0, nodeCount),
      defaultLeft: this.defaultLeft.slice(0, nodeCount),
      leafValue: this.leafValue.slice(0, nodeCount),
      gain: this.gain.slice(0, nodeCount),
      cover: this.cover.slice(0, nodeCount),
      baseScores: this.baseScores.slice(),
    };
  }

  private grow(): void {
    this.capacity *= 2;
    const copy = <T extends Int32Array | Uint8Array | Float32Array | Float64Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.feature = copy(this.feature, new Int32Array(this.capacity));
    this.threshold = copy(this.threshold, new Float32Array(this.capacity));
    this.left = copy(this.left, new Int32Array(this.capacity));
    this.right = copy(this.right, new Int32Array(this.capacity));
    this.defaultLeft = copy(this.defaultLeft, new Uint8Array(this.capacity));
    this.leafValue = copy(this.leafValue, new Float32Array(this.capacity));
    this.gain = copy(this.gain, new Float64Array(this.capacity));
    this.cover = copy(this.cover, new Float64Array(this.capacity));
  }
}
