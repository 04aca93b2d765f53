/**
 * Gradient/hessian histograms per (feature, bin) for the tree learner — the hot loop of training —
 * and the row partition the learner splits nodes with. Layouts are chosen once from the binned
 * matrix (which never changes):
 * - sparse features (one bin holds ≥ 80 % of rows, typically 0): only the rows outside that bin
 *   are summed and the dominant bin is the node total minus the rest (LightGBM's most_freq_bin);
 * - dense features: a row-major copy of their bins (XGBoost's GHistIndexMatrix), so a row's
 *   gradient pair is read once for all of them; at the root, per-bin row lists turn the sum into
 *   sequential adds.
 * Everything the loops touch lives in one WebAssembly memory, sized once here, and the loops
 * themselves are `histogramKernel.wat`. Extra memory is bounded by the *_BUDGET_BYTES constants;
 * past them, column scans (TypeScript, below) are used.
 */
import type { BinnedMatrix } from './binning.ts';
import { type HistogramKernel, instantiateHistogramKernel, KERNEL_MAX_PAGES, WASM_PAGE_BYTES } from './histogramKernel.ts';

/** A feature whose most frequent bin holds at least this share of rows is histogrammed sparsely. */
const SPARSE_SHARE = 0.8;
/** Memory allowed for the by-bin row orders of dense features (4 bytes per row and feature). */
const ROOT_ORDER_BUDGET_BYTES = 512 * 1024 * 1024;
/** Memory allowed for the row-major bin matrix of dense features (1 byte per row and feature). */
const ROW_BINS_BUDGET_BYTES = 256 * 1024 * 1024;

/** Byte offsets handed out in order, 16-byte aligned so no (gradient, hessian) pair straddles. */
class MemoryLayout {
  size = 0;
  take(bytes: number): number {
    const at = this.size;
    this.size += Math.ceil(bytes / 16) * 16;
    return at;
  }
}

export class HistogramBuilder {
  private readonly matrix: BinnedMatrix;
  private readonly kernel: HistogramKernel;
  /** First histogram slot of each feature; slot = feature offset + bin. */
  readonly featureOffset: Int32Array;
  /** Float64 values in one histogram: a (gradient, hessian) pair per slot. */
  readonly histogramLength: number;
  /**
   * Row indices partitioned by node: every open node owns a contiguous range, ascending within
   * it. The learner fills it per tree (`beginTree`) and splits ranges with `partitionRange`.
   */
  readonly partition: Int32Array;
  /** Node currently holding each sampled row; -1 for rows outside the sample. */
  readonly rowLeaf: Int32Array;
  // Views of the kernel's memory, and their byte offsets there (JS numbers up to 4 GiB; the kernel
  // reads them as unsigned i32, and per-feature offsets are kept in Float64Arrays so that -1 can
  // still mean "none" past 2 GiB).
  private readonly bins: Uint8Array;
  private readonly binsAt: number;
  private readonly partitionAt: number;
  private readonly rowLeafAt: number;
  private readonly scratchAt: number;
  /**
   * Gradient, hessian of row r at [2r], [2r + 1], and 0 for rows outside the sample, so root
   * sums over all rows need no membership test.
   */
  private readonly rowGradients: Float64Array;
  private readonly rowGradientsAt: number;
  /** This tree's gradients and hessians by row, as the booster passed them. */
  private readonly gradients: Float64Array;
  private readonly gradientsAt: number;
  private readonly hessians: Float64Array;
  private readonly hessiansAt: number;
  /** Gradient, hessian of partition[begin + j] at [2j], [2j + 1]: read sequentially by the hot loop. */
  private readonly ordered: Float64Array;
  private readonly orderedAt: number;
  /** The node totals `gather` writes. */
  private readonly sums: Float64Array;
  private readonly sumsAt: number;
  /** The histogram the kernel sums into; copied out to the learner's buffer when done. */
  private readonly work: Float64Array;
  private readonly workAt: number;
  /** Row-major [row × denseAll] bins, or -1 if over budget. */
  private readonly denseRowBinsAt: number;
  /** Per denseAll feature: the byte address of its first slot in the work histogram. */
  private readonly denseSlotAddressesAt: number;
  /** Second histogram copy for odd rows (see buildDenseByColumn). */
  private readonly evenOddScratch: Float64Array;
  /** Per feature: its most frequent bin, and whether that bin holds ≥ SPARSE_SHARE of the rows. */
  private readonly mostFrequentBin: Int32Array;
  private readonly isSparse: Uint8Array;
  /** Sparse features only: how many rows are outside the most frequent bin; where those rows (ascending) and their bins are. */
  private readonly otherCount: Int32Array;
  private readonly otherRowsAt: Float64Array;
  private readonly otherBinsAt: Float64Array;
  /**
   * Dense features (within ROOT_ORDER_BUDGET_BYTES, else -1): rows grouped by bin (ascending
   * within a bin) and each bin's start, so the root histogram is a sequential sum per bin instead
   * of a read-modify-write per row. Bins never change, so this is built once.
   */
  private readonly rowsByBinAt: Float64Array;
  private readonly binStartsAt: Float64Array;
  /** Dense features (not sparse, > 1 value bin), whatever the tree's column sample. */
  private readonly denseAll: Int32Array;
  /** This tree's features, all of them and split into dense and sparse ones. */
  private readonly activeFeatures: Int32Array;
  private activeCount = 0;
  private readonly denseFeatures: Int32Array;
  private denseCount = 0;
  private readonly sparseFeatures: Int32Array;
  private sparseCount = 0;

  constructor(matrix: BinnedMatrix) {
    this.matrix = matrix;
    const { rowCount, featureCount } = matrix;
    this.featureOffset = new Int32Array(featureCount + 1);
    for (let f = 0; f < featureCount; f++) this.featureOffset[f + 1] = this.featureOffset[f]! + matrix.binCounts[f]!;
    this.histogramLength = 2 * this.featureOffset[featureCount]!;
    this.evenOddScratch = new Float64Array(this.histogramLength);
    this.activeFeatures = new Int32Array(featureCount);
    this.denseFeatures = new Int32Array(featureCount);
    this.sparseFeatures = new Int32Array(featureCount);
    this.mostFrequentBin = new Int32Array(featureCount);
    this.isSparse = new Uint8Array(featureCount);
    this.otherCount = new Int32Array(featureCount);

    // Pass 1: bin counts decide each feature's layout, and so the memory needed.
    const binCounts = new Int32Array(featureCount * 256);
    const byBinWanted = new Uint8Array(featureCount);
    const dense: number[] = [];
    let orderBytes = 0;
    for (let f = 0; f < featureCount; f++) {
      const counts = binCounts.subarray(f * 256, (f + 1) * 256);
      const column = matrix.bins.subarray(f * rowCount, (f + 1) * rowCount);
      for (let i = 0; i < column.length; i++) counts[column[i]!]!++;
      let best = 0;
      for (let bin = 1; bin < 256; bin++) if (counts[bin]! > counts[best]!) best = bin;
      this.mostFrequentBin[f] = best;
      this.isSparse[f] = counts[best]! >= SPARSE_SHARE * rowCount ? 1 : 0;
      this.otherCount[f] = this.isSparse[f] ? rowCount - counts[best]! : 0;
      if (!this.isSparse[f] && matrix.binCounts[f]! > 2) {
        dense.push(f);
        byBinWanted[f] = (orderBytes += 4 * rowCount) <= ROOT_ORDER_BUDGET_BYTES ? 1 : 0;
      }
    }
    this.denseAll = Int32Array.from(dense);
    const withRowBins = dense.length > 0 && rowCount * dense.length <= ROW_BINS_BUDGET_BYTES;

    const layout = new MemoryLayout();
    this.binsAt = layout.take(rowCount * featureCount);
    this.partitionAt = layout.take(4 * rowCount);
    this.scratchAt = layout.take(4 * rowCount);
    this.rowLeafAt = layout.take(4 * rowCount);
    this.rowGradientsAt = layout.take(16 * rowCount);
    this.orderedAt = layout.take(16 * rowCount);
    this.gradientsAt = layout.take(8 * rowCount);
    this.hessiansAt = layout.take(8 * rowCount);
    this.sumsAt = layout.take(16);
    this.workAt = layout.take(8 * this.histogramLength);
    this.denseRowBinsAt = withRowBins ? layout.take(rowCount * dense.length) : -1;
    this.denseSlotAddressesAt = layout.take(4 * dense.length);
    this.otherRowsAt = new Float64Array(featureCount).fill(-1);
    this.otherBinsAt = new Float64Array(featureCount).fill(-1);
    this.rowsByBinAt = new Float64Array(featureCount).fill(-1);
    this.binStartsAt = new Float64Array(featureCount).fill(-1);
    for (let f = 0; f < featureCount; f++) {
      if (this.otherCount[f]! > 0) {
        this.otherRowsAt[f] = layout.take(4 * this.otherCount[f]!);
        this.otherBinsAt[f] = layout.take(this.otherCount[f]!);
      }
      if (byBinWanted[f]) {
        this.rowsByBinAt[f] = layout.take(4 * rowCount);
        this.binStartsAt[f] = layout.take(4 * (matrix.binCounts[f]! + 1));
      }
    }
    const pages = Math.max(1, Math.ceil(layout.size / WASM_PAGE_BYTES));
    if (pages > KERNEL_MAX_PAGES) {
      throw new RangeError(
        `training on ${rowCount} rows × ${featureCount} features needs ${(layout.size / 2 ** 30).toFixed(1)} GiB of learner ` +
        'memory, more than the 4 GiB the learner can address: train on fewer rows (e.g. a sample of each class)',
      );
    }
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.kernel = instantiateHistogramKernel(memory);
    const buffer = memory.buffer;

    // Pass 2: fill the memory.
    this.bins = new Uint8Array(buffer, this.binsAt, rowCount * featureCount);
    this.bins.set(matrix.bins);
    this.partition = new Int32Array(buffer, this.partitionAt, rowCount);
    this.rowLeaf = new Int32Array(buffer, this.rowLeafAt, rowCount);
    this.rowGradients = new Float64Array(buffer, this.rowGradientsAt, 2 * rowCount);
    this.ordered = new Float64Array(buffer, this.orderedAt, 2 * rowCount);
    this.gradients = new Float64Array(buffer, this.gradientsAt, rowCount);
    this.hessians = new Float64Array(buffer, this.hessiansAt, rowCount);
    this.sums = new Float64Array(buffer, this.sumsAt, 2);
    this.work = new Float64Array(buffer, this.workAt, this.histogramLength);
    for (let f = 0; f < featureCount; f++) {
      const column = matrix.bins.subarray(f * rowCount, (f + 1) * rowCount);
      const counts = binCounts.subarray(f * 256, (f + 1) * 256);
      if (this.otherCount[f]! > 0) {
        const otherRows = new Int32Array(buffer, this.otherRowsAt[f]!, this.otherCount[f]!);
        const otherBins = new Uint8Array(buffer, this.otherBinsAt[f]!, this.otherCount[f]!);
        const best = this.mostFrequentBin[f]!;
        let k = 0;
        for (let i = 0; i < column.length; i++) {
          if (column[i] !== best) {
            otherRows[k] = i;
            otherBins[k++] = column[i]!;
          }
        }
      }
      if (this.rowsByBinAt[f]! >= 0) {
        const binCount = matrix.binCounts[f]!;
        const starts = new Int32Array(buffer, this.binStartsAt[f]!, binCount + 1);
        for (let bin = 0; bin < binCount; bin++) starts[bin + 1] = starts[bin]! + counts[bin]!;
        const next = starts.slice(0, binCount);
        const byBin = new Int32Array(buffer, this.rowsByBinAt[f]!, rowCount);
        for (let i = 0; i < column.length; i++) byBin[next[column[i]!]!++] = i;
      }
    }
    if (withRowBins) {
      const width = dense.length;
      const rowBins = new Uint8Array(buffer, this.denseRowBinsAt, rowCount * width);
      const slotAddresses = new Int32Array(buffer, this.denseSlotAddressesAt, width);
      for (let a = 0; a < width; a++) {
        const f = dense[a]!;
        slotAddresses[a] = this.workAt + 16 * this.featureOffset[f]!;
        const column = matrix.bins.subarray(f * rowCount, (f + 1) * rowCount);
        for (let row = 0; row < rowCount; row++) rowBins[row * width + a] = column[row]!;
      }
    }
  }

  /**
   * Starts a tree: its gradients, its sampled rows (ascending; all in the root, copied into
   * `partition`) and the features it may use. Returns the root's gradient and hessian sums.
   */
  beginTree(
    gradients: Float64Array, hessians: Float64Array, rows: Int32Array, activeFeatures: Int32Array, activeCount: number,
  ): { sumGradient: number; sumHessian: number } {
    this.partition.set(rows);
    this.activeFeatures.set(activeFeatures.subarray(0, activeCount));
    this.activeCount = activeCount;
    this.denseCount = 0;
    this.sparseCount = 0;
    for (let a = 0; a < activeCount; a++) {
      const f = activeFeatures[a]!;
      if (this.isSparse[f]) this.sparseFeatures[this.sparseCount++] = f;
      else this.denseFeatures[this.denseCount++] = f;
    }
    if (rows.length < this.matrix.rowCount) {
      this.rowGradients.fill(0);
      this.rowLeaf.fill(-1);
    }
    this.gradients.set(gradients);
    this.hessians.set(hessians);
    this.kernel.loadRows(this.partitionAt, rows.length, this.gradientsAt, this.hessiansAt, this.rowGradientsAt, this.rowLeafAt, this.sumsAt);
    return { sumGradient: this.sums[0]!, sumHessian: this.sums[1]! };
  }

  /**
   * Stable partition of partition[begin, end) on `feature`: bins 1..splitBin (and missing when
   * `defaultLeft`) to the front, labelled leftNode in rowLeaf, the rest after, labelled
   * rightNode. Returns the first right-hand position.
   */
  partitionRange(begin: number, end: number, feature: number, splitBin: number, defaultLeft: boolean, leftNode: number, rightNode: number): number {
    return this.kernel.partition(
      this.partitionAt, begin, end, this.binsAt + feature * this.matrix.rowCount, splitBin, defaultLeft ? 1 : 0,
      this.rowLeafAt, leftNode, rightNode, this.scratchAt,
    );
  }

  /** The hot loop: sums gradients/hessians per (feature, bin) over partition[begin, end) of `node`. */
  build(histogram: Float64Array, node: number, begin: number, end: number): void {
    const count = end - begin;
    const kernel = this.kernel;
    const rowsAt = this.partitionAt + 4 * begin;
    // The pairs of this node's rows, in partition order, so every feature below reads them sequentially.
    kernel.gather(rowsAt, count, this.rowGradientsAt, this.orderedAt, this.sumsAt);
    const sumGradient = this.sums[0]!;
    const sumHessian = this.sums[1]!;
    const work = this.work;
    work.fill(0);
    const rowCount = this.matrix.rowCount;

    // Sparse features: skip the dominant bin and fill it in from the node totals afterwards
    // (LightGBM's most_freq_bin trick).
    for (let a = 0; a < this.sparseCount; a++) {
      const f = this.sparseFeatures[a]!;
      const firstAt = this.workAt + 16 * this.featureOffset[f]!;
      if (this.otherCount[f]! < count) {
        // Fewer rows outside the dominant bin than rows in the node: walk those, keep this node's.
        kernel.sparseList(this.otherRowsAt[f]!, this.otherBinsAt[f]!, this.otherCount[f]!, this.rowLeafAt, node, this.rowGradientsAt, firstAt);
      } else {
        kernel.sparseScan(rowsAt, count, this.binsAt + f * rowCount, this.mostFrequentBin[f]!, this.orderedAt, firstAt);
      }
      this.fillSkippedBin(work, f, sumGradient, sumHessian);
    }

    // Dense features row by row over their row-major bins (XGBoost's GHistIndexMatrix): a
    // row's pair is read once and every feature's slot is one load away. All dense features are
    // summed, including ones this tree does not use.
    if (this.denseRowBinsAt >= 0) kernel.denseRows(rowsAt, count, this.denseRowBinsAt, this.denseAll.length, this.denseSlotAddressesAt, this.orderedAt);
    else this.buildDenseByColumn(work, begin, count);
    histogram.set(work);
  }

  /**
   * Dense features column by column (used when the row-major bins are over budget).
   * Two features per pass share the row-index and gradient loads; even and odd rows go to two
   * copies of the histogram (the second is `evenOddScratch`), so a run of rows in the same bin
   * does not serialise every update on one memory slot.
   */
  private buildDenseByColumn(histogram: Float64Array, begin: number, count: number): void {
    const rows = this.partition;
    const ordered = this.ordered;
    const odd = this.evenOddScratch;
    const bins = this.bins;
    const rowCount = this.matrix.rowCount;
    const offsets = this.featureOffset;
    const active = this.denseFeatures;
    const activeCount = this.denseCount;
    const pairedCount = count & ~1;
    for (let a = 0; a < activeCount; a += 2) {
      const f0 = active[a]!;
      // An odd feature count pairs the last feature with itself into a throw-away second slot range.
      const paired = a + 1 < activeCount;
      const f1 = paired ? active[a + 1]! : f0;
      const first0 = 2 * offsets[f0]!;
      const end0 = 2 * offsets[f0 + 1]!;
      const first1 = 2 * offsets[f1]!;
      const end1 = 2 * offsets[f1 + 1]!;
      histogram.fill(0, first0, end0);
      odd.fill(0, first0, end0);
      histogram.fill(0, first1, end1);
      odd.fill(0, first1, end1);
      const base0 = f0 * rowCount;
      const base1 = f1 * rowCount;
      // The self-paired case would count rows twice; give f1 an empty contribution instead.
      const scale1 = paired ? 1 : 0;
      for (let j = 0; j < pairedCount; j += 2) {
        const rowA = rows[begin + j]!;
        const rowB = rows[begin + j + 1]!;
        const gradientA = ordered[2 * j]!;
        const hessianA = ordered[2 * j + 1]!;
        const gradientB = ordered[2 * j + 2]!;
        const hessianB = ordered[2 * j + 3]!;
        const a0 = first0 + 2 * bins[base0 + rowA]!;
        const a1 = first1 + 2 * bins[base1 + rowA]!;
        const b0 = first0 + 2 * bins[base0 + rowB]!;
        const b1 = first1 + 2 * bins[base1 + rowB]!;
        histogram[a0] = histogram[a0]! + gradientA;
        histogram[a0 + 1] = histogram[a0 + 1]! + hessianA;
        histogram[a1] = histogram[a1]! + gradientA * scale1;
        histogram[a1 + 1] = histogram[a1 + 1]! + hessianA * scale1;
        odd[b0] = odd[b0]! + gradientB;
        odd[b0 + 1] = odd[b0 + 1]! + hessianB;
        odd[b1] = odd[b1]! + gradientB * scale1;
        odd[b1 + 1] = odd[b1 + 1]! + hessianB * scale1;
      }
      if (pairedCount < count) {
        const row = rows[begin + pairedCount]!;
        const s0 = first0 + 2 * bins[base0 + row]!;
        histogram[s0] = histogram[s0]! + ordered[2 * pairedCount]!;
        histogram[s0 + 1] = histogram[s0 + 1]! + ordered[2 * pairedCount + 1]!;
        if (paired) {
          const s1 = first1 + 2 * bins[base1 + row]!;
          histogram[s1] = histogram[s1]! + ordered[2 * pairedCount]!;
          histogram[s1 + 1] = histogram[s1 + 1]! + ordered[2 * pairedCount + 1]!;
        }
      }
      for (let s = first0; s < end0; s++) histogram[s] = histogram[s]! + odd[s]!;
      if (paired) for (let s = first1; s < end1; s++) histogram[s] = histogram[s]! + odd[s]!;
    }
  }

  /**
   * Root histogram, the largest one of every tree: it covers every sampled row, so it is summed
   * from the fixed per-feature row lists instead of the partition. Sparse features walk only the
   * rows outside their dominant bin; dense features sum each bin's rows sequentially (no
   * read-modify-write per row). Unsampled rows have zero gradients in `rowGradients`.
   */
  buildRoot(histogram: Float64Array, sumGradient: number, sumHessian: number): void {
    const kernel = this.kernel;
    const work = this.work;
    work.fill(0);
    for (let a = 0; a < this.activeCount; a++) {
      const f = this.activeFeatures[a]!;
      const first = 2 * this.featureOffset[f]!;
      if (this.isSparse[f]) {
        kernel.sparseList(this.otherRowsAt[f]!, this.otherBinsAt[f]!, this.otherCount[f]!, this.rowLeafAt, -1, this.rowGradientsAt, this.workAt + 8 * first);
        this.fillSkippedBin(work, f, sumGradient, sumHessian);
      } else if (this.rowsByBinAt[f]! >= 0) {
        kernel.binSums(this.rowsByBinAt[f]!, this.binStartsAt[f]!, this.matrix.binCounts[f]!, this.rowGradientsAt, this.workAt + 8 * first);
      } else {
        // Over the memory budget for a row order: plain scan of the column.
        const bins = this.bins;
        const paired = this.rowGradients;
        const base = f * this.matrix.rowCount;
        for (let row = 0; row < this.matrix.rowCount; row++) {
          const slot = first + 2 * bins[base + row]!;
          work[slot] = work[slot]! + paired[2 * row]!;
          work[slot + 1] = work[slot + 1]! + paired[2 * row + 1]!;
        }
      }
    }
    histogram.set(work);
  }

  /** Sets a sparse feature's dominant bin to the node totals minus its other bins. */
  private fillSkippedBin(histogram: Float64Array, feature: number, sumGradient: number, sumHessian: number): void {
    const first = 2 * this.featureOffset[feature]!;
    const last = 2 * this.featureOffset[feature + 1]!;
    const skipped = this.mostFrequentBin[feature]!;
    let restGradient = 0;
    let restHessian = 0;
    for (let slot = first; slot < last; slot += 2) {
      if (slot === first + 2 * skipped) continue;
      restGradient += histogram[slot]!;
      restHessian += histogram[slot + 1]!;
    }
    histogram[first + 2 * skipped] = sumGradient - restGradient;
    histogram[first + 2 * skipped + 1] = Math.max(sumHessian - restHessian, 0);
  }

  /** parent -= child over this tree's features: the parent's buffer becomes the sibling's histogram. */
  subtract(parent: Float64Array, child: Float64Array): void {
    const active = this.activeFeatures;
    for (let a = 0; a < this.activeCount; a++) {
      const f = active[a]!;
      const end = 2 * this.featureOffset[f + 1]!;
      for (let s = 2 * this.featureOffset[f]!; s < end; s++) parent[s] = parent[s]! - child[s]!;
    }
  }
}
