/**
 * Gradient/hessian histograms per (feature, bin) for the tree learner — the hot loop of training.
 * Layouts are chosen once from the binned matrix (which never changes):
 * - sparse features (one bin holds ≥ 80 % of rows, typically 0): only the rows outside that bin
 *   are summed and the dominant bin is the node total minus the rest (LightGBM's most_freq_bin);
 * - dense features: a row-major matrix of global slots (XGBoost's GHistIndexMatrix), so a row's
 *   gradient pair is read once for all of them; at the root, per-bin row lists turn the sum into
 *   sequential adds.
 * Extra memory is bounded by the *_BUDGET_BYTES constants; past them, column scans are used.
 */
import type { BinnedMatrix } from './binning.ts';

/** A feature whose most frequent bin holds at least this share of rows is histogrammed sparsely. */
const SPARSE_SHARE = 0.8;
/** Memory allowed for the by-bin row orders of dense features (4 bytes per row and feature). */
const ROOT_ORDER_BUDGET_BYTES = 512 * 1024 * 1024;
/** Memory allowed for the row-major slot matrix of dense features (2 bytes per row and feature). */
const ROW_SLOTS_BUDGET_BYTES = 256 * 1024 * 1024;

export class HistogramBuilder {
  private readonly matrix: BinnedMatrix;
  /** First histogram slot of each feature; slot = feature offset + bin. */
  readonly featureOffset: Int32Array;
  /** Float64 values in one histogram: a (gradient, hessian) pair per slot. */
  readonly histogramLength: number;
  /** Node currently holding each sampled row; -1 for rows outside the sample. The learner moves rows. */
  readonly rowLeaf: Int32Array;
  /** Gradient, hessian of partition[begin + j] at [2j], [2j + 1]: read sequentially by the hot loop. */
  private readonly ordered: Float64Array;
  /** Second histogram copy for odd rows (see buildDenseByColumn). */
  private readonly evenOddScratch: Float64Array;
  /** Per feature: its most frequent bin, and whether that bin holds ≥ SPARSE_SHARE of the rows. */
  private readonly mostFrequentBin: Int32Array;
  private readonly isSparse: Uint8Array;
  /** Sparse features only: the rows (ascending) whose bin is not the most frequent one, and those bins. */
  private readonly otherBinRows: Int32Array[] = [];
  private readonly otherBins: Uint8Array[] = [];
  /**
   * Dense features (within ROOT_ORDER_BUDGET_BYTES): rows grouped by bin (ascending within a bin)
   * and each bin's start, so the root histogram is a sequential sum per bin instead of a
   * read-modify-write per row. Bins never change, so this is built once.
   */
  private readonly rowsByBin: (Int32Array | null)[] = [];
  private readonly binStarts: (Int32Array | null)[] = [];
  /** Dense features (not sparse, > 1 value bin), whatever the tree's column sample. */
  private readonly denseAll: Int32Array;
  /** Row-major [row × denseAll] global histogram slots (feature offset + bin), or null if over budget. */
  private readonly denseRowSlots: Uint16Array | null;
  /**
   * Gradient, hessian of row r at [2r], [2r + 1], and 0 for rows outside the sample, so root
   * sums over all rows need no membership test.
   */
  private readonly rowGradients: Float64Array;
  /** This tree's features, all of them and split into dense and sparse ones. */
  private readonly activeFeatures: Int32Array;
  private activeCount = 0;
  private readonly denseFeatures: Int32Array;
  private denseCount = 0;
  private readonly sparseFeatures: Int32Array;
  private sparseCount = 0;
  private partition: Int32Array = new Int32Array(0);

  constructor(matrix: BinnedMatrix) {
    this.matrix = matrix;
    this.featureOffset = new Int32Array(matrix.featureCount + 1);
    for (let f = 0; f < matrix.featureCount; f++) this.featureOffset[f + 1] = this.featureOffset[f]! + matrix.binCounts[f]!;
    this.histogramLength = 2 * this.featureOffset[matrix.featureCount]!;
    this.ordered = new Float64Array(2 * matrix.rowCount);
    this.evenOddScratch = new Float64Array(this.histogramLength);
    this.activeFeatures = new Int32Array(matrix.featureCount);
    this.denseFeatures = new Int32Array(matrix.featureCount);
    this.sparseFeatures = new Int32Array(matrix.featureCount);
    this.mostFrequentBin = new Int32Array(matrix.featureCount);
    this.isSparse = new Uint8Array(matrix.featureCount);
    const counts = new Int32Array(256);
    let orderBytes = 0;
    for (let f = 0; f < matrix.featureCount; f++) {
      counts.fill(0);
      const column = matrix.bins.subarray(f * matrix.rowCount, (f + 1) * matrix.rowCount);
      for (let i = 0; i < column.length; i++) counts[column[i]!]!++;
      let best = 0;
      for (let bin = 1; bin < 256; bin++) if (counts[bin]! > counts[best]!) best = bin;
      this.mostFrequentBin[f] = best;
      this.isSparse[f] = counts[best]! >= SPARSE_SHARE * matrix.rowCount ? 1 : 0;
      const others = this.isSparse[f] ? matrix.rowCount - counts[best]! : 0;
      const otherRows = new Int32Array(others);
      const otherBins = new Uint8Array(others);
      if (others > 0) {
        let k = 0;
        for (let i = 0; i < column.length; i++) {
          if (column[i] !== best) {
            otherRows[k] = i;
            otherBins[k++] = column[i]!;
          }
        }
      }
      this.otherBinRows.push(otherRows);
      this.otherBins.push(otherBins);
      const ordered = !this.isSparse[f] && matrix.binCounts[f]! > 2 && (orderBytes += 4 * matrix.rowCount) <= ROOT_ORDER_BUDGET_BYTES;
      if (ordered) {
        const starts = new Int32Array(matrix.binCounts[f]! + 1);
        for (let bin = 0; bin < matrix.binCounts[f]!; bin++) starts[bin + 1] = starts[bin]! + counts[bin]!;
        const next = starts.slice(0, matrix.binCounts[f]!);
        const byBin = new Int32Array(matrix.rowCount);
        for (let i = 0; i < column.length; i++) byBin[next[column[i]!]!++] = i;
        this.rowsByBin.push(byBin);
        this.binStarts.push(starts);
      } else {
        this.rowsByBin.push(null);
        this.binStarts.push(null);
      }
    }
    this.rowGradients = new Float64Array(2 * matrix.rowCount);
    this.rowLeaf = new Int32Array(matrix.rowCount);
    const dense: number[] = [];
    for (let f = 0; f < matrix.featureCount; f++) if (!this.isSparse[f] && matrix.binCounts[f]! > 2) dense.push(f);
    this.denseAll = Int32Array.from(dense);
    const slotBytes = 2 * matrix.rowCount * dense.length;
    if (dense.length > 0 && slotBytes <= ROW_SLOTS_BUDGET_BYTES && this.featureOffset[matrix.featureCount]! <= 0xffff) {
      const width = dense.length;
      const slots = new Uint16Array(matrix.rowCount * width);
      for (let a = 0; a < width; a++) {
        const f = dense[a]!;
        const offset = this.featureOffset[f]!;
        const column = matrix.bins.subarray(f * matrix.rowCount, (f + 1) * matrix.rowCount);
        for (let row = 0; row < matrix.rowCount; row++) slots[row * width + a] = offset + column[row]!;
      }
      this.denseRowSlots = slots;
    } else this.denseRowSlots = null;
  }

  /**
   * Starts a tree: its gradients, its sampled rows (ascending; all in the root) and the features
   * it may use. `partition` is the learner's row index array the node ranges refer to.
   */
  beginTree(
    gradients: Float64Array, hessians: Float64Array, rows: Int32Array, activeFeatures: Int32Array, activeCount: number, partition: Int32Array,
  ): void {
    this.partition = partition;
    this.activeFeatures.set(activeFeatures.subarray(0, activeCount));
    this.activeCount = activeCount;
    this.denseCount = 0;
    this.sparseCount = 0;
    for (let a = 0; a < activeCount; a++) {
      const f = activeFeatures[a]!;
      if (this.isSparse[f]) this.sparseFeatures[this.sparseCount++] = f;
      else this.denseFeatures[this.denseCount++] = f;
    }
    const paired = this.rowGradients;
    if (rows.length < this.matrix.rowCount) {
      paired.fill(0);
      this.rowLeaf.fill(-1);
    }
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      paired[2 * row] = gradients[row]!;
      paired[2 * row + 1] = hessians[row]!;
      this.rowLeaf[row] = 0;
    }
  }

  /** The hot loop: sums gradients/hessians per (feature, bin) over partition[begin, end). */
  build(histogram: Float64Array, node: number, begin: number, end: number): void {
    const count = end - begin;
    const rows = this.partition;
    const ordered = this.ordered;
    // The paired copy: a row's gradient and hessian share a cache line there.
    const paired = this.rowGradients;
    let sumGradient = 0;
    let sumHessian = 0;
    for (let j = 0; j < count; j++) {
      const row = rows[begin + j]!;
      const gradient = paired[2 * row]!;
      const hessian = paired[2 * row + 1]!;
      ordered[2 * j] = gradient;
      ordered[2 * j + 1] = hessian;
      sumGradient += gradient;
      sumHessian += hessian;
    }
    const bins = this.matrix.bins;
    const rowCount = this.matrix.rowCount;
    const offsets = this.featureOffset;

    // Sparse features: skip the dominant bin (a well-predicted branch) and fill it in from the
    // node totals afterwards (LightGBM's most_freq_bin trick).
    for (let a = 0; a < this.sparseCount; a++) {
      const f = this.sparseFeatures[a]!;
      const first = 2 * offsets[f]!;
      const last = 2 * offsets[f + 1]!;
      histogram.fill(0, first, last);
      const base = f * rowCount;
      const skipped = this.mostFrequentBin[f]!;
      const otherRows = this.otherBinRows[f]!;
      if (otherRows.length < count) {
        // Fewer rows outside the dominant bin than rows in the node: walk those, keep this node's.
        const otherBins = this.otherBins[f]!;
        const rowLeaf = this.rowLeaf;
        for (let k = 0; k < otherRows.length; k++) {
          const row = otherRows[k]!;
          if (rowLeaf[row] === node) {
            const slot = first + 2 * otherBins[k]!;
            histogram[slot] = histogram[slot]! + paired[2 * row]!;
            histogram[slot + 1] = histogram[slot + 1]! + paired[2 * row + 1]!;
          }
        }
      } else {
        for (let j = 0; j < count; j++) {
          const bin = bins[base + rows[begin + j]!]!;
          if (bin !== skipped) {
            const slot = first + 2 * bin;
            histogram[slot] = histogram[slot]! + ordered[2 * j]!;
            histogram[slot + 1] = histogram[slot + 1]! + ordered[2 * j + 1]!;
          }
        }
      }
      this.fillSkippedBin(histogram, f, sumGradient, sumHessian);
    }

    if (this.denseRowSlots) this.buildDenseByRow(histogram, begin, count);
    else this.buildDenseByColumn(histogram, begin, count);
  }

  /**
   * Dense features, row by row over a row-major matrix of global histogram slots (XGBoost's
   * GHistIndexMatrix): the gradient pair is read once per row and every feature's slot is one
   * load away. All dense features are summed, including ones this tree does not use.
   */
  private buildDenseByRow(histogram: Float64Array, begin: number, count: number): void {
    const slots = this.denseRowSlots!;
    const width = this.denseAll.length;
    const rows = this.partition;
    const ordered = this.ordered;
    for (let a = 0; a < width; a++) {
      const f = this.denseAll[a]!;
      histogram.fill(0, 2 * this.featureOffset[f]!, 2 * this.featureOffset[f + 1]!);
    }
    for (let j = 0; j < count; j++) {
      const gradient = ordered[2 * j]!;
      const hessian = ordered[2 * j + 1]!;
      const base = rows[begin + j]! * width;
      let a = 0;
      for (; a + 4 <= width; a += 4) {
        const s0 = 2 * slots[base + a]!;
        const s1 = 2 * slots[base + a + 1]!;
        const s2 = 2 * slots[base + a + 2]!;
        const s3 = 2 * slots[base + a + 3]!;
        histogram[s0] = histogram[s0]! + gradient;
        histogram[s0 + 1] = histogram[s0 + 1]! + hessian;
        histogram[s1] = histogram[s1]! + gradient;
        histogram[s1 + 1] = histogram[s1 + 1]! + hessian;
        histogram[s2] = histogram[s2]! + gradient;
        histogram[s2 + 1] = histogram[s2 + 1]! + hessian;
        histogram[s3] = histogram[s3]! + gradient;
        histogram[s3 + 1] = histogram[s3 + 1]! + hessian;
      }
      for (; a < width; a++) {
        const slot = 2 * slots[base + a]!;
        histogram[slot] = histogram[slot]! + gradient;
        histogram[slot + 1] = histogram[slot + 1]! + hessian;
      }
    }
  }

  /**
   * Dense features column by column (used when the row-major slot matrix is over budget).
   * Two features per pass share the row-index and gradient loads; even and odd rows go to two
   * copies of the histogram (the second is `evenOddScratch`), so a run of rows in the same bin
   * does not serialise every update on one memory slot.
   */
  private buildDenseByColumn(histogram: Float64Array, begin: number, count: number): void {
    const rows = this.partition;
    const ordered = this.ordered;
    const odd = this.evenOddScratch;
    const bins = this.matrix.bins;
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
    const paired = this.rowGradients;
    const offsets = this.featureOffset;
    for (let a = 0; a < this.activeCount; a++) {
      const f = this.activeFeatures[a]!;
      const first = 2 * offsets[f]!;
      const last = 2 * offsets[f + 1]!;
      const binCount = this.matrix.binCounts[f]!;
      histogram.fill(0, first, last);
      if (this.isSparse[f]) {
        const otherRows = this.otherBinRows[f]!;
        const otherBins = this.otherBins[f]!;
        for (let k = 0; k < otherRows.length; k++) {
          const row = otherRows[k]!;
          const slot = first + 2 * otherBins[k]!;
          histogram[slot] = histogram[slot]! + paired[2 * row]!;
          histogram[slot + 1] = histogram[slot + 1]! + paired[2 * row + 1]!;
        }
        this.fillSkippedBin(histogram, f, sumGradient, sumHessian);
        continue;
      }
      const byBin = this.rowsByBin[f];
      const starts = this.binStarts[f];
      if (!byBin || !starts) {
        // Over the memory budget for a row order: plain scan of the column.
        const bins = this.matrix.bins;
        const base = f * this.matrix.rowCount;
        for (let row = 0; row < this.matrix.rowCount; row++) {
          const slot = first + 2 * bins[base + row]!;
          histogram[slot] = histogram[slot]! + paired[2 * row]!;
          histogram[slot + 1] = histogram[slot + 1]! + paired[2 * row + 1]!;
        }
        continue;
      }
      for (let bin = 0; bin < binCount; bin++) {
        // Two accumulators per sum so consecutive adds do not wait on each other.
        let gradientA = 0;
        let hessianA = 0;
        let gradientB = 0;
        let hessianB = 0;
        const end = starts[bin + 1]!;
        let k = starts[bin]!;
        for (; k + 1 < end; k += 2) {
          const rowA = byBin[k]!;
          const rowB = byBin[k + 1]!;
          gradientA += paired[2 * rowA]!;
          hessianA += paired[2 * rowA + 1]!;
          gradientB += paired[2 * rowB]!;
          hessianB += paired[2 * rowB + 1]!;
        }
        if (k < end) {
          const row = byBin[k]!;
          gradientA += paired[2 * row]!;
          hessianA += paired[2 * row + 1]!;
        }
        histogram[first + 2 * bin] = gradientA + gradientB;
        histogram[first + 2 * bin + 1] = hessianA + hessianB;
      }
    }
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
