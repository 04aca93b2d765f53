import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureTable } from '../../../lib/datasets/featureTable.ts';
import { exportModel } from '../../../lib/model/export/onnxExport.ts';
import { predictProbabilities, toRowMajor } from '../../../lib/model/train/predict.ts';
import { Scorer, ScorerError } from '../../../lib/model/score/scorer.ts';
import { trainGbdt } from '../../../lib/model/train/trainGbdt.ts';
import type { TrainedModel } from '../../../lib/model/train/trainedModel.ts';
import { binaryNormalVsAttack, kddSlice } from '../fixtures.ts';

let directory: string;
let table: FeatureTable;
let binaryModel: TrainedModel;
let multiclassModel: TrainedModel;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'netguard-scorer-'));
  table = await kddSlice(20000);
  binaryModel = trainGbdt(binaryNormalVsAttack(table), { trees: 30, maxDepth: 6 });
  multiclassModel = trainGbdt(table, { trees: 10, maxDepth: 5 });
  await exportModel(binaryModel, binaryNormalVsAttack(table), join(directory, 'binary'));
  await exportModel(multiclassModel, table, join(directory, 'multiclass'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('Scorer', () => {
  it('scores row-major batches like the trainer does', async () => {
    const scorer = await Scorer.load(join(directory, 'binary'));
    const rows = toRowMajor(table.columns);
    const result = await scorer.score(rows, table.featureNames);
    const own = predictProbabilities(binaryModel, rows);
    let max = 0;
    for (let i = 0; i < own.length; i++) max = Math.max(max, Math.abs(own[i]! - result.probabilities[i]!));
    expect(max).toBeLessThan(1e-5);
    expect(result.labels.length).toBe(table.rowCount);
    expect(result.classNames).toEqual(['normal', 'attack']);
    expect(result.modelVersion).toBe(scorer.metadata.versionId);
    await scorer.close();
  });

  it('refuses rows whose features do not match, naming the missing and extra features', async () => {
    const scorer = await Scorer.load(join(directory, 'binary'));
    const rows = toRowMajor(table.columns, Int32Array.of(0, 1));
    const renamed = table.featureNames.map((name) => (name === 'src_bytes' ? 'Flow Bytes/s' : name));
    await expect(scorer.score(rows, renamed)).rejects.toThrow(/missing 1 feature\(s\): src_bytes; extra 1 feature\(s\): Flow Bytes\/s/);
    const swapped = table.featureNames.slice();
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    await expect(scorer.score(rows, swapped)).rejects.toThrow(/different order \(position 0/);
    try {
      scorer.checkFeatures(table.featureNames.slice(1));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScorerError);
      expect((error as ScorerError).code).toBe('SCHEMA_MISMATCH');
      expect((error as Error).message).toContain('missing 1 feature(s): duration');
    }
    await expect(scorer.score(rows.subarray(0, 5))).rejects.toThrow(/not a whole number of rows/);
    await scorer.close();
  });

  it('swaps to a new model while batches are in flight; running batches finish on the old one', async () => {
    const scorer = await Scorer.load(join(directory, 'binary'));
    const oldVersion = scorer.metadata.versionId;
    const rows = toRowMajor(table.columns);
    const inFlight = Array.from({ length: 4 }, () => scorer.score(rows));
    const swapping = scorer.swap(join(directory, 'multiclass'));
    const alsoInFlight = scorer.score(rows); // issued while the new model loads: old model
    const newMetadata = await swapping;
    const afterSwap = await scorer.score(rows);
    for (const result of await Promise.all([...inFlight, alsoInFlight])) {
      expect(result.modelVersion).toBe(oldVersion);
      expect(result.probabilities.length).toBe(table.rowCount * 2);
    }
    expect(newMetadata.versionId).not.toBe(oldVersion);
    expect(afterSwap.modelVersion).toBe(newMetadata.versionId);
    expect(afterSwap.probabilities.length).toBe(table.rowCount * table.labelNames.length);
    const own = predictProbabilities(multiclassModel, rows);
    let max = 0;
    for (let i = 0; i < own.length; i++) max = Math.max(max, Math.abs(own[i]! - afterSwap.probabilities[i]!));
    expect(max).toBeLessThan(1e-5);
    // A failed swap leaves the current model in place.
    await expect(scorer.swap(join(directory, 'does-not-exist'))).rejects.toThrow(/Cannot read model metadata/);
    expect((await scorer.score(rows.subarray(0, 41))).modelVersion).toBe(newMetadata.versionId);
    await scorer.close();
  });

  it('applies concurrent swaps in call order and scores empty batches', async () => {
    const scorer = await Scorer.load(join(directory, 'binary'));
    const binaryVersion = scorer.metadata.versionId;
    const first = scorer.swap(join(directory, 'multiclass'));
    const second = scorer.swap(join(directory, 'binary'));
    const [firstMetadata, secondMetadata] = await Promise.all([first, second]);
    expect(firstMetadata.versionId).not.toBe(binaryVersion);
    expect(secondMetadata.versionId).toBe(binaryVersion);
    expect(scorer.metadata.versionId).toBe(binaryVersion);
    const empty = await scorer.score(new Float32Array(0), table.featureNames);
    expect(empty.labels.length).toBe(0);
    expect(empty.probabilities.length).toBe(0);
    await scorer.close();
  });

  it('keeps scoring batch after batch at a sane rate (the rate target is measured by npm run bench:train, not here)', async () => {
    const scorer = await Scorer.load(join(directory, 'binary'));
    const batchRows = 16384;
    const all = toRowMajor(table.columns);
    const batch = all.subarray(0, batchRows * table.featureNames.length);
    await scorer.score(batch);
    let rowsScored = 0;
    const started = performance.now();
    while (performance.now() - started < 1500) {
      await scorer.score(batch);
      rowsScored += batchRows;
    }
    const rate = rowsScored / ((performance.now() - started) / 1000);
    console.log(`ONNX scoring in this test: ${Math.round(rate).toLocaleString('en')} rows/s (small ${binaryModel.forest.treeCount}-tree fixture model, batches of ${batchRows})`);
    // A floor that only a broken or stalling scorer misses (the machine is shared with other test files).
    expect(rate).toBeGreaterThan(100_000);
    await scorer.close();
  });
});
