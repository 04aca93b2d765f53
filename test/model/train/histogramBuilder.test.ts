import { describe, expect, it } from 'vitest';
import { BinMapper } from '../../../lib/model/train/binning.ts';
import { HistogramBuilder } from '../../../lib/model/train/histogramBuilder.ts';
import { createObjective } from '../../../lib/model/train/objectives.ts';
import { kddSlice } from '../fixtures.ts';

/** Straightforward per-(feature, bin) sums over the given rows: the reference. */
function naiveHistogram(bins: Uint8Array, binCounts: Int32Array, rowCount: number, rows: ArrayLike<number>, g: Float64Array, h: Float64Array): Float64Array {
  const offsets = [0];
  for (let f = 0; f < binCounts.length; f++) offsets.push(offsets[f]! + binCounts[f]!);
  const out = new Float64Array(2 * offsets[binCounts.length]!);
  for (let f = 0; f < binCounts.length; f++) {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const slot = 2 * (offsets[f]! + bins[f * rowCount + row]!);
      out[slot] += g[row]!;
      out[slot + 1] += h[row]!;
    }
  }
  return out;
}

function maxRelativeError(actual: Float64Array, expected: Float64Array, activeSlots: (slot: number) => boolean): number {
  let worst = 0;
  for (let s = 0; s < expected.length; s++) {
    if (!activeSlots(s)) continue;
    worst = Math.max(worst, Math.abs(actual[s]! - expected[s]!) / Math.max(1, Math.abs(expected[s]!)));
  }
  return worst;
}

describe('HistogramBuilder', () => {
  it('root, node and subtracted histograms equal plain sums on real KDD rows (sparse and dense features, subsampled)', async () => {
    const table = await kddSlice(20000);
    const matrix = BinMapper.fit(table.columns, 255).transform(table.columns);
    const rowCount = matrix.rowCount;
    const labels = table.labelCodes.map((code) => (code === 0 ? 0 : 1));
    const gradients = new Float64Array(rowCount);
    const hessians = new Float64Array(rowCount);
    const scores = Float64Array.from(table.columns[22]!, (value) => Math.log1p(value) - 2);
    createObjective('binary', 2).gradients(scores, labels, new Float32Array(rowCount).fill(1), gradients, hessians);

    const builder = new HistogramBuilder(matrix);
    // A subsample (every row not divisible by 3) and every feature but two.
    const sampled = Int32Array.from({ length: rowCount }, (_, i) => i).filter((i) => i % 3 !== 0);
    const active = Int32Array.from({ length: matrix.featureCount }, (_, f) => f).filter((f) => f !== 5 && f !== 30 && matrix.binCounts[f]! > 2);
    builder.beginTree(gradients, hessians, sampled, active, active.length);
    expect(Array.from(builder.partition.subarray(0, sampled.length))).toEqual(Array.from(sampled));
    const isActiveSlot = (slot: number) => {
      const bin = slot >> 1;
      return active.some((f) => bin >= builder.featureOffset[f]! && bin < builder.featureOffset[f + 1]!);
    };
    let sumGradient = 0;
    let sumHessian = 0;
    for (const row of sampled) {
      sumGradient += gradients[row]!;
      sumHessian += hessians[row]!;
    }
    const root = new Float64Array(builder.histogramLength);
    builder.buildRoot(root, sumGradient, sumHessian);
    const expectedRoot = naiveHistogram(matrix.bins, matrix.binCounts, rowCount, sampled, gradients, hessians);
    expect(maxRelativeError(root, expectedRoot, isActiveSlot)).toBeLessThan(1e-9);

    // Split the root on src_bytes below its median bin (stable partition, rowLeaf updated) and
    // build both children: one directly, one by subtraction.
    const feature = table.featureNames.indexOf('src_bytes');
    const leftRows = sampled.filter((row) => matrix.bins[feature * rowCount + row]! <= 20);
    const rightRows = sampled.filter((row) => matrix.bins[feature * rowCount + row]! > 20);
    expect(leftRows.length).toBeGreaterThan(100);
    expect(rightRows.length).toBeGreaterThan(100);
    const middle = builder.partitionRange(0, sampled.length, feature, 20, false, 1, 2);
    expect(middle).toBe(leftRows.length);
    expect(Array.from(builder.partition.subarray(0, sampled.length))).toEqual([...leftRows, ...rightRows]);
    expect(leftRows.every((row) => builder.rowLeaf[row] === 1) && rightRows.every((row) => builder.rowLeaf[row] === 2)).toBe(true);
    expect(builder.rowLeaf[0]).toBe(-1); // row 0 is outside the sample
    const left = new Float64Array(builder.histogramLength);
    builder.build(left, 1, 0, leftRows.length);
    expect(maxRelativeError(left, naiveHistogram(matrix.bins, matrix.binCounts, rowCount, leftRows, gradients, hessians), isActiveSlot)).toBeLessThan(1e-9);
    const right = new Float64Array(builder.histogramLength);
    builder.build(right, 2, leftRows.length, sampled.length);
    const expectedRight = naiveHistogram(matrix.bins, matrix.binCounts, rowCount, rightRows, gradients, hessians);
    expect(maxRelativeError(right, expectedRight, isActiveSlot)).toBeLessThan(1e-9);
    builder.subtract(root, left);
    expect(maxRelativeError(root, expectedRight, isActiveSlot)).toBeLessThan(1e-9);
  });
});
