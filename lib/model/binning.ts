/**
 * Quantile binning, learned once from the training rows and kept with the model (LightGBM's
 * BinMapper). Bin 0 of every feature is the missing-value (NaN) bin; value bins are 1..binCount-1.
 * Value bin b holds values in [thresholds[b-2], thresholds[b-1]), so "bin ≤ b goes left" is exactly
 * "value < thresholds[b-1]" — the float test the exported trees use.
 */

export const MISSING_BIN = 0;

/** Bin edges of one feature. */
export interface FeatureBins {
  /** Ascending float32-representable cut points; value bins = thresholds.length + 1. */
  thresholds: Float32Array;
  /** Missing bin + value bins; ≤ 256 so a bin fits a Uint8. */
  binCount: number;
}

/** The binned training matrix the tree learner reads: uint8 bins, column-major. */
export interface BinnedMatrix {
  rowCount: number;
  featureCount: number;
  /** bins[feature * rowCount + row]. */
  bins: Uint8Array;
  /** binCount per feature (missing bin included). */
  binCounts: Int32Array;
}

/** Rows sampled for finding edges; quantiles of 200k values are as good as of all of them. */
const EDGE_SAMPLE_ROWS = 200_000;

export class BinMapper {
  readonly features: FeatureBins[];

  constructor(features: FeatureBins[]) {
    this.features = features;
  }

  /** Learns edges for every column from the given rows (all rows when `rows` is omitted). */
  static fit(columns: Float32Array[], maxBins: number, rows?: Int32Array): BinMapper {
    if (maxBins < 2 || maxBins > 255) throw new RangeError(`maxBins must be in 2..255, got ${maxBins}`);
    return new BinMapper(columns.map((column) => findFeatureBins(column, maxBins, rows)));
  }

  /** Bin of one value of feature `feature`. */
  binOf(feature: number, value: number): number {
    if (value !== value) return MISSING_BIN;
    const thresholds = this.features[feature]!.thresholds;
    // Binary search for the count of thresholds ≤ value.
    let low = 0;
    let high = thresholds.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (value >= thresholds[middle]!) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  }

  /** Bins the given rows of `columns` (all rows when omitted) into a column-major uint8 matrix. */
  transform(columns: Float32Array[], rows?: Int32Array): BinnedMatrix {
    const featureCount = columns.length;
    const rowCount = rows ? rows.length : featureCount > 0 ? columns[0]!.length : 0;
    const bins = new Uint8Array(rowCount * featureCount);
    const binCounts = new Int32Array(featureCount);
    for (let feature = 0; feature < featureCount; feature++) {
      const column = columns[feature]!;
      const thresholds = this.features[feature]!.thresholds;
      binCounts[feature] = this.features[feature]!.binCount;
      const out = bins.subarray(feature * rowCount, (feature + 1) * rowCount);
      const last = thresholds.length;
      // Neighbouring rows often repeat a value (0 above all): reuse the previous row's bin then.
      let previousValue = NaN;
      let previousBin = MISSING_BIN;
      for (let i = 0; i < rowCount; i++) {
        const value = column[rows ? rows[i]! : i]!;
        if (value === previousValue) {
          out[i] = previousBin;
          continue;
        }
        if (value !== value) {
          out[i] = MISSING_BIN;
          continue;
        }
        let low = 0;
        let high = last;
        while (low < high) {
          const middle = (low + high) >>> 1;
          if (value >= thresholds[middle]!) low = middle + 1;
          else high = middle;
        }
        out[i] = low + 1;
        previousValue = value;
        previousBin = low + 1;
      }
    }
    return { rowCount, featureCount, bins, binCounts };
  }

  /** Plain-JSON form saved beside the model. */
  toJSON(): { thresholds: number[] }[] {
    return this.features.map((feature) => ({ thresholds: Array.from(feature.thresholds) }));
  }

  static fromJSON(saved: { thresholds: number[] }[]): BinMapper {
    return new BinMapper(
      saved.map((feature) => ({
        thresholds: Float32Array.from(feature.thresholds),
        binCount: feature.thresholds.length + 2,
      })),
    );
  }
}

/**
 * Greedy quantile edges over the distinct values: each bin aims at (remaining rows / remaining
 * bins), so a value that alone fills several quantiles (typically 0) takes one bin and the rest
 * of the range still gets resolution.
 */
function findFeatureBins(column: Float32Array, maxBins: number, rows?: Int32Array): FeatureBins {
  const available = rows ? rows.length : column.length;
  const stride = available > EDGE_SAMPLE_ROWS ? available / EDGE_SAMPLE_ROWS : 1;
  const sampleSize = Math.min(available, EDGE_SAMPLE_ROWS);
  const sample = new Float32Array(sampleSize);
  let present = 0;
  for (let s = 0; s < sampleSize; s++) {
    const position = Math.floor(s * stride);
    const value = column[rows ? rows[position]! : position]!;
    if (value === value) sample[present++] = value;
  }
  const values = sortFloat32(sample.subarray(0, present));
  // Distinct values and their counts.
  const distinct = new Float64Array(values.length);
  const counts = new Int32Array(values.length);
  let distinctCount = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (distinctCount > 0 && distinct[distinctCount - 1] === value) counts[distinctCount - 1]!++;
    else {
      distinct[distinctCount] = value;
      counts[distinctCount++] = 1;
    }
  }
  const cuts: number[] = [];
  if (distinctCount <= maxBins) {
    for (let i = 1; i < distinctCount; i++) cuts.push(cutBetween(distinct[i - 1]!, distinct[i]!));
  } else {
    let remainingRows = values.length;
    let remainingBins = maxBins;
    let filled = 0;
    for (let i = 0; i < distinctCount - 1 && remainingBins > 1; i++) {
      filled += counts[i]!;
      const target = remainingRows / remainingBins;
      // Close the bin when it is full, or when adding the next value would overshoot by more.
      if (filled >= target || filled + counts[i + 1]! - target > target - filled) {
        cuts.push(cutBetween(distinct[i]!, distinct[i + 1]!));
        remainingRows -= filled;
        remainingBins--;
        filled = 0;
      }
    }
  }
  return { thresholds: Float32Array.from(cuts), binCount: cuts.length + 2 };
}

/**
 * Ascending in-place sort of NaN-free float32 values: LSD radix sort on order-preserving uint32
 * keys (TypedArray#sort on floats is several times slower, and this runs for every feature).
 */
function sortFloat32(values: Float32Array): Float32Array {
  const n = values.length;
  let keys: Uint32Array = new Uint32Array(values.buffer, values.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const bits = keys[i]!;
    // Negative floats order backwards as integers: flip them all; flip only the sign of the rest.
    keys[i] = bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
  }
  let spare: Uint32Array = new Uint32Array(n);
  const counts = new Int32Array(256);
  for (let shift = 0; shift < 32; shift += 8) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i]! >>> shift) & 0xff]!++;
    if (counts[(keys[0]! >>> shift) & 0xff] === n) continue; // every key shares this byte
    let position = 0;
    for (let b = 0; b < 256; b++) {
      const count = counts[b]!;
      counts[b] = position;
      position += count;
    }
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      spare[counts[(key >>> shift) & 0xff]!++] = key;
    }
    const swap = keys;
    keys = spare;
    spare = swap;
  }
  const out = new Uint32Array(values.buffer, values.byteOffset, n);
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    out[i] = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
  }
  return values;
}

/** A float32 cut c with low < c ≤ high, so "value < c" separates the two in float32 arithmetic. */
function cutBetween(low: number, high: number): number {
  const middle = Math.fround(low + (high - low) / 2);
  return middle > low ? middle : high;
}
