import { describe, expect, it } from 'vitest';
import { BinMapper, distinctValues, MISSING_BIN } from '../../../lib/model/train/binning.ts';
import { cicMulticlass, kddSlice, withMissing } from '../fixtures.ts';

describe('BinMapper', () => {
  it('keeps every feature within maxBins value bins plus the missing bin, and agrees with the float test', async () => {
    const table = await cicMulticlass();
    for (const maxBins of [16, 255]) {
      const mapper = BinMapper.fit(table.columns, maxBins);
      const matrix = mapper.transform(table.columns);
      for (let f = 0; f < table.columns.length; f++) {
        const { thresholds, binCount } = mapper.features[f]!;
        expect(binCount).toBeLessThanOrEqual(maxBins + 1);
        for (let t = 1; t < thresholds.length; t++) expect(thresholds[t]!).toBeGreaterThan(thresholds[t - 1]!);
        const column = table.columns[f]!;
        let outOfRange = 0;
        let disagreements = 0;
        for (let i = 0; i < column.length; i += 7) {
          const bin = matrix.bins[f * table.rowCount + i]!;
          if (bin < 1 || bin >= binCount) outOfRange++;
          // "bin ≤ b" must be exactly "value < thresholds[b - 1]" — the test exported trees use.
          for (let b = 1; b <= thresholds.length; b++) if (bin <= b !== column[i]! < thresholds[b - 1]!) disagreements++;
        }
        expect(outOfRange).toBe(0);
        expect(disagreements).toBe(0);
      }
    }
  });

  it('gives a feature with few distinct values one bin per value', async () => {
    const table = await kddSlice(5000);
    const protocol = table.featureNames.indexOf('protocol_type');
    const distinct = new Set(table.columns[protocol]).size;
    const mapper = BinMapper.fit(table.columns, 255);
    expect(mapper.features[protocol]!.binCount).toBe(distinct + 1);
  });

  it('sends NaN to the missing bin and learns edges from present values only', async () => {
    const table = withMissing(await kddSlice(5000), 4, 3);
    const mapper = BinMapper.fit(table.columns, 255);
    const matrix = mapper.transform(table.columns);
    for (let i = 0; i < table.rowCount; i++) {
      const missing = Number.isNaN(table.columns[4]![i]!);
      expect(matrix.bins[4 * table.rowCount + i] === MISSING_BIN).toBe(missing);
    }
    expect(mapper.binOf(4, NaN)).toBe(MISSING_BIN);
    const restored = BinMapper.fromJSON(JSON.parse(JSON.stringify(mapper.toJSON())));
    expect(restored.transform(table.columns).bins).toEqual(matrix.bins);
  });

  it('finds the distinct values and counts of every real column, counted (few values) or sorted (many), −0 and +0 as one', async () => {
    const columns = [...(await cicMulticlass()).columns, ...(await kddSlice(20000)).columns];
    // Some zeros written as −0, as a CSV cell "-0" parses.
    const signedZeros = Float32Array.from(columns[columns.length - 1]!, (value, i) => (value === 0 && i % 3 === 0 ? -0 : value));
    let many = 0;
    for (const column of [...columns, signedZeros]) {
      const present = column.filter((value) => !Number.isNaN(value));
      const expected = new Map<number, number>();
      for (const value of present) expected.set(value, (expected.get(value) ?? 0) + 1); // Map keys treat −0 as 0
      const keys = [...expected.keys()].sort((a, b) => a - b);
      const { distinct, counts, distinctCount, total } = distinctValues(present.slice());
      expect(total).toBe(present.length);
      expect(Array.from(distinct.subarray(0, distinctCount))).toEqual(keys.map((key) => (key === 0 && present.some((v) => Object.is(v, -0)) ? -0 : key)));
      expect(Array.from(counts.subarray(0, distinctCount))).toEqual(keys.map((key) => expected.get(key)));
      if (distinctCount > 4096) many++;
    }
    expect(many).toBeGreaterThan(0); // the sorted path ran too
  });

  it('refuses more than 255 value bins', () => {
    expect(() => BinMapper.fit([new Float32Array(4)], 256)).toThrow(/maxBins/);
  });
});
