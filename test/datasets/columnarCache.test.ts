import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintSources, loadColumnarCache, loadDatasetCached, saveColumnarCache } from '../../lib/datasets/columnarCache.ts';
import type { FeatureTable } from '../../lib/datasets/featureTable.ts';
import { loadDataset } from '../../lib/datasets/loadDataset.ts';
import { CIC_HEAD300, KDD_TRAIN, UNSW_TRAINING } from './sharedData.ts';

const dir = mkdtempSync(join(tmpdir(), 'netguard-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bit-level equality (so NaN == NaN and -0 != 0), column by column. */
function expectSameTable(actual: FeatureTable, expected: FeatureTable): void {
  const { columns: a, labelCodes: la, ...metaA } = actual;
  const { columns: b, labelCodes: lb, ...metaB } = expected;
  expect(metaA).toEqual(metaB);
  expect(a).toHaveLength(b.length);
  a.forEach((column, j) => expect(Buffer.from(column.buffer, column.byteOffset, column.byteLength).equals(Buffer.from(b[j]!.buffer, b[j]!.byteOffset, b[j]!.byteLength)), expected.featureNames[j]).toBe(true));
  expect(Buffer.from(la.buffer, la.byteOffset, la.byteLength).equals(Buffer.from(lb.buffer, lb.byteOffset, lb.byteLength))).toBe(true);
}

describe('columnar cache', () => {
  it('round-trips KDDTrain+ bit-exactly and loads much faster than parsing', async () => {
    const parsed = await loadDataset([KDD_TRAIN]);
    const fingerprint = await fingerprintSources([KDD_TRAIN]);
    const path = join(dir, 'kdd.ngtable');
    await saveColumnarCache(path, parsed.table, parsed.report, fingerprint);
    expect(statSync(path).size).toBeGreaterThan(125973 * 42 * 4);

    const started = performance.now();
    const cached = await loadColumnarCache(path, fingerprint);
    const cacheMs = performance.now() - started;
    expect(cached).not.toBeNull();
    expectSameTable(cached!.table, parsed.table);
    expect(cached!.report).toEqual(parsed.report);
    const rowsPerSecond = (125973 / cacheMs) * 1000;
    console.log(`cache load: ${cacheMs.toFixed(1)} ms (${Math.round(rowsPerSecond)} rows/s) vs CSV parse ${parsed.report.elapsedMs.toFixed(0)} ms`);
    expect(cacheMs).toBeLessThan(parsed.report.elapsedMs / 3);
  });

  it('round-trips NaN cells (CIC Infinity) and categorical dictionaries (UNSW)', async () => {
    for (const source of [CIC_HEAD300, UNSW_TRAINING]) {
      const parsed = await loadDataset([source]);
      const path = join(dir, 'other.ngtable');
      await saveColumnarCache(path, parsed.table, parsed.report, 'fp');
      const cached = await loadColumnarCache(path);
      expectSameTable(cached!.table, parsed.table);
    }
  });

  it('a stale fingerprint is a miss; damage is an error; loadDatasetCached reuses a fresh cache', async () => {
    const cachePath = join(dir, 'head300.ngtable');
    const first = await loadDatasetCached([CIC_HEAD300], { cachePath });
    expect(first.fromCache).toBe(false);
    const second = await loadDatasetCached([CIC_HEAD300], { cachePath });
    expect(second.fromCache).toBe(true);
    expectSameTable(second.table, first.table);

    // Options that change the output change the fingerprint.
    expect(await fingerprintSources([CIC_HEAD300], { infinity: 'keep' })).not.toBe(first.fingerprint);
    const third = await loadDatasetCached([CIC_HEAD300], { cachePath, infinity: 'keep' });
    expect(third.fromCache).toBe(false);
    expect(await loadColumnarCache(cachePath, first.fingerprint)).toBeNull();

    // Same bytes under another name: same fingerprint. One byte changed: different.
    const copy = join(dir, 'copy.csv.gz');
    copyFileSync(CIC_HEAD300, copy);
    expect(await fingerprintSources([copy])).toBe(first.fingerprint);
    const bytes = readFileSync(copy);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(copy, bytes);
    expect(await fingerprintSources([copy])).not.toBe(first.fingerprint);

    truncateSync(cachePath, statSync(cachePath).size - 4);
    await expect(loadColumnarCache(cachePath)).rejects.toMatchObject({ code: 'BAD_CACHE' });
    writeFileSync(cachePath, 'Flow ID,Label\n');
    await expect(loadColumnarCache(cachePath)).rejects.toMatchObject({ code: 'BAD_CACHE', message: expect.stringContaining('magic') });
    expect(await loadColumnarCache(join(dir, 'absent.ngtable'))).toBeNull();
  });
});
