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

/** log2 of the slots in transform's value → bin cache. */
const BIN_CACHE_BITS = 10;
const CANONICAL_NAN_BITS = 0x7fc00000;

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
    const cacheKeys = new Uint32Array(1 << BIN_CACHE_BITS);
    const cacheBins = new Uint8Array(1 << BIN_CACHE_BITS);
    for (let feature = 0; feature < featureCount; feature++) {
      const column = columns[feature]!;
      const thresholds = this.features[feature]!.thresholds;
      binCounts[feature] = this.features[feature]!.binCount;
      const out = bins.subarray(feature * rowCount, (feature + 1) * rowCount);
      const last = thresholds.length;
      const valueBits = new Uint32Array(column.buffer, column.byteOffset, column.length);
      // Most columns repeat a few values (0 above all): remember recent value → bin answers in a
      // small direct-mapped cache keyed by the float's bits. Empty slots hold a NaN pattern with
      // the missing bin, which is the right answer for that key anyway.
      cacheKeys.fill(CANONICAL_NAN_BITS);
      cacheBins.fill(MISSING_BIN);
      for (let i = 0; i < rowCount; i++) {
        const index = rows ? rows[i]! : i;
        const key = valueBits[index]!;
        const slot = Math.imul(key, 0x9e3779b1) >>> (32 - BIN_CACHE_BITS);
        if (cacheKeys[slot] === key) {
          out[i] = cacheBins[slot]!;
          continue;
        }
        const value = column[index]!;
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
        cacheKeys[slot] = key;
        cacheBins[slot] = low + 1;
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
  const { distinct, counts, distinctCount, total } = distinctValues(sample.subarray(0, present));
  const cuts: number[] = [];
  if (distinctCount <= maxBins) {
    for (let i = 1; i < distinctCount; i++) cuts.push(cutBetween(distinct[i - 1]!, distinct[i]!));
  } else {
    let remainingRows = total;
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

export interface DistinctValues {
  /** Ascending distinct values (−0 and +0 count as one, −0 if the sample had one). */
  distinct: Float64Array;
  counts: Int32Array;
  distinctCount: number;
  /** Values counted. */
  total: number;
}

/** Ascending distinct values of a NaN-free sample with their counts (reorders `values`). */
export function distinctValues(values: Float32Array): DistinctValues {
  return countDistinct(values) ?? sortedDistinct(sortFloat32(values));
}

/** Up to this many distinct values are counted in a hash table; past it, the sample is sorted. */
const HASHED_DISTINCT_LIMIT = 4096;
const DISTINCT_HASH_SLOTS = 8192;
const NEGATIVE_ZERO_BITS = 0x80000000;

/**
 * Distinct values and counts of a NaN-free sample by hashing float bits, or null when it holds
 * more than HASHED_DISTINCT_LIMIT values. Most columns (flags, rates, counters) hold far fewer
 * distinct values than rows, and counting them costs one probe per value where sorting the
 * sample costs four radix passes.
 */
function countDistinct(values: Float32Array): DistinctValues | null {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const keys = new Uint32Array(DISTINCT_HASH_SLOTS);
  const slotCounts = new Int32Array(DISTINCT_HASH_SLOTS); // 0 = empty slot
  const mask = DISTINCT_HASH_SLOTS - 1;
  let size = 0;
  let negativeZero = false;
  for (let i = 0; i < bits.length; i++) {
    let key = bits[i]!;
    if (key === NEGATIVE_ZERO_BITS) {
      key = 0;
      negativeZero = true;
    }
    let slot = Math.imul(key, 0x9e3779b1) >>> 19;
    while (slotCounts[slot] !== 0 && keys[slot] !== key) slot = (slot + 1) & mask;
    if (slotCounts[slot] === 0) {
      if (++size > HASHED_DISTINCT_LIMIT) return null;
      keys[slot] = key;
    }
    slotCounts[slot]!++;
  }
  const distinctKeys = new Uint32Array(size);
  const distinctCounts = new Int32Array(size);
  let k = 0;
  for (let slot = 0; slot < DISTINCT_HASH_SLOTS; slot++) {
    if (slotCounts[slot] !== 0) distinctKeys[k++] = keys[slot]!;
  }
  const sorted = new Float32Array(distinctKeys.buffer).sort();
  const sortedBits = new Uint32Array(sorted.buffer);
  const distinct = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const key = sortedBits[i]!;
    let slot = Math.imul(key, 0x9e3779b1) >>> 19;
    while (keys[slot] !== key) slot = (slot + 1) & mask;
    distinctCounts[i] = slotCounts[slot]!;
    distinct[i] = key === 0 && negativeZero ? -0 : sorted[i]!;
  }
  return { distinct, counts: distinctCounts, distinctCount: size, total: values.length };
}

/** Distinct values and counts of an ascending sample. */
function sortedDistinct(values: Float32Array): DistinctValues {
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
  return { distinct, counts, distinctCount, total: values.length };
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
