import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../../lib/datasets/loadDataset.ts';
import { decisionThresholdOf } from '../../../lib/model/score/decisionThreshold.ts';
import { evaluateModel } from '../../../lib/model/evaluate/evaluateModel.ts';
import { NO_CLASS, predictedClasses } from '../../../lib/model/evaluate/evaluation.ts';
import { modelMetadataSchema } from '../../../lib/model/export/modelMetadata.ts';
import { argmaxRows, predictProbabilities, toRowMajor } from '../../../lib/model/train/predict.ts';
import { targetMetadataSchema } from '../../../lib/model/train/targetMetadata.ts';
import { HELD_OUT_TEST_SET, runTraining } from '../../../lib/model/train/trainingRun.ts';
import { retargetTable } from '../../../lib/model/train/trainingTarget.ts';
import { sharedDataset } from '../../sharedDatasets.ts';

const KDD_TRAIN_20 = sharedDataset('nsl-kdd/KDDTrain+_20Percent.txt.gz');
const KDD_TEST = sharedDataset('nsl-kdd/KDDTest+.txt.gz');
const FAMILIES = ['normal', 'DoS', 'Probe', 'R2L', 'U2R'];

const dir = mkdtempSync(join(tmpdir(), 'netguard-training-run-'));
const fast = { trees: 6, maxDepth: 4, validationFraction: 0.1, seed: 7 };

describe('retargetTable', () => {
  it('maps NSL-KDD fine labels to benign-first binary and family classes with the same row counts', async () => {
    const { table, report } = await loadDataset([KDD_TRAIN_20]);
    const binary = retargetTable(table, 'binary');
    expect(binary.table.labelNames).toEqual(['normal', 'attack']);
    let attacks = 0;
    for (const code of binary.table.labelCodes) attacks += code;
    expect(attacks).toBe(report.rows - report.labelCounts.normal!);

    const family = retargetTable(table, 'family');
    expect(family.table.labelNames[0]).toBe('normal');
    expect([...family.table.labelNames].sort()).toEqual([...FAMILIES].sort());
    // Every fine label keeps its class: the rows of each family are the sum of its labels' rows.
    for (const [k, name] of family.table.labelNames.entries()) {
      const expected = family.fineClasses.filter((fine) => fine.class === name).reduce((sum, fine) => sum + report.labelCounts[fine.label]!, 0);
      expect(family.table.labelCodes.filter((code) => code === k).length).toBe(expected);
    }
    expect(family.fineClasses.find((fine) => fine.label === 'neptune')).toMatchObject({ class: 'DoS', threatCategory: 'Network' });
  });
});

describe('runTraining', () => {
  it('writes model.onnx, model.json and metrics.json whose held-out metrics the trainer reproduces', async () => {
    const outDir = join(dir, 'family');
    const result = await runTraining({ trainPaths: [KDD_TRAIN_20], target: 'family', config: fast, testFraction: 0.2, outDir });
    for (const file of ['model.onnx', 'model.json', 'metrics.json']) expect(existsSync(join(outDir, file))).toBe(true);
    expect(existsSync(`${outDir}.partial`)).toBe(false);

    const raw = JSON.parse(readFileSync(join(outDir, 'model.json'), 'utf8'));
    const metadata = modelMetadataSchema.parse(raw);
    const target = targetMetadataSchema.parse(raw);
    expect(target.target.kind).toBe('family');
    expect(metadata.classNames).toEqual(result.model.classNames);
    expect(metadata.classFamilies.Probe).toEqual({ family: 'Probe', threatCategory: 'Reconnaissance' });
    expect(target.target.fineClasses.map((fine) => fine.label)).toContain('smurf');
    expect(target.dataSources.train).toEqual([{ file: 'KDDTrain+_20Percent.txt.gz', bytes: readFileSync(KDD_TRAIN_20).length }]);

    // The trainer's own prediction on the held-out rows gives the same labels the ONNX scores did.
    const { table: fine } = await loadDataset([KDD_TRAIN_20]);
    const { table } = retargetTable(fine, 'family');
    const used = new Uint8Array(table.rowCount);
    for (const row of [...result.model.trainRows, ...result.model.validationRows]) used[row] = 1;
    const testRows = Int32Array.from(Array.from({ length: table.rowCount }, (_, i) => i).filter((i) => used[i] === 0));
    const heldOut = result.metrics[HELD_OUT_TEST_SET]!;
    expect(testRows.length).toBe(heldOut.rows);
    expect(heldOut.rowsEvaluated).toBe(heldOut.rows);
    expect(testRows.length).toBeGreaterThan(0.19 * table.rowCount);
    const probabilities = predictProbabilities(result.model, toRowMajor(table.columns, testRows));
    const predicted = argmaxRows(probabilities, table.labelNames.length);
    let correct = 0;
    for (let i = 0; i < testRows.length; i++) if (predicted[i] === table.labelCodes[testRows[i]!]) correct++;
    expect(heldOut.accuracy).toBe(correct / testRows.length);

    const metricsFile = JSON.parse(readFileSync(join(outDir, 'metrics.json'), 'utf8'));
    expect(metricsFile.testSets[HELD_OUT_TEST_SET].accuracy).toBe(heldOut.accuracy);
    expect(metricsFile.topFeatures).toHaveLength(15);
    expect(metricsFile.versionId).toBe(metadata.versionId);
  });

  it('gives byte-identical model.onnx for the same seed and refuses to overwrite without force', async () => {
    const options = { trainPaths: [KDD_TRAIN_20], target: 'binary' as const, config: { ...fast, trees: 4 }, testFraction: 0.2 };
    await runTraining({ ...options, outDir: join(dir, 'a') });
    await runTraining({ ...options, outDir: join(dir, 'b') });
    await runTraining({ ...options, config: { ...options.config, seed: 8 }, outDir: join(dir, 'c') });
    const bytes = (name: string) => readFileSync(join(dir, name, 'model.onnx'));
    expect(bytes('a').equals(bytes('b'))).toBe(true);
    expect(bytes('a').equals(bytes('c'))).toBe(false);

    await expect(runTraining({ ...options, outDir: join(dir, 'a') })).rejects.toThrow(/already holds a model.*--force/);
    const notes = join(dir, 'a', 'NOTES.txt');
    writeFileSync(notes, 'kept');
    await runTraining({ ...options, config: { ...options.config, seed: 8 }, outDir: join(dir, 'a'), force: true });
    expect(bytes('a').equals(bytes('c'))).toBe(true);
    expect(readFileSync(notes, 'utf8')).toBe('kept');
  });

  it('stores a decision threshold that evaluation applies, and leaves labels the model has no class for out of the metrics', async () => {
    const outDir = join(dir, 'fine');
    const result = await runTraining({
      trainPaths: [KDD_TRAIN_20],
      target: 'multiclass',
      config: fast,
      testSets: [{ name: 'KDDTest+', paths: [KDD_TEST] }],
      outDir,
      decisionThreshold: ({ benignClass }) => ({ benignClass, threshold: 0.05, method: 'test', validation: {} }),
    });
    const report = result.metrics['KDDTest+']!;
    const { report: testLoad } = await loadDataset([KDD_TEST]);
    const { report: trainLoad } = await loadDataset([KDD_TRAIN_20]);
    const unseen = Object.entries(testLoad.labelCounts).filter(([label]) => trainLoad.labelCounts[label] === undefined);
    expect(unseen.length).toBeGreaterThan(0);
    expect(report.rowsWithoutClass).toEqual(Object.fromEntries(unseen));
    expect(report.rowsEvaluated).toBe(testLoad.rows - unseen.reduce((sum, [, n]) => sum + n, 0));
    expect(report.decision).toEqual({ benignClass: 'normal', threshold: 0.05 });

    const evaluation = await evaluateModel(outDir, [KDD_TEST]);
    expect(decisionThresholdOf(evaluation.metadata)?.threshold).toBe(0.05);
    expect(evaluation.report).toEqual(report);
    // The threshold flags more rows than argmax would (0.05 < 0.5 on "not normal").
    const normal = evaluation.metadata.classNames.indexOf('normal');
    const argmax = predictedClasses(evaluation.probabilities, evaluation.metadata.classNames, null);
    const countNormal = (labels: Int32Array) => labels.filter((label) => label === normal).length;
    expect(countNormal(evaluation.predicted)).toBeLessThan(countNormal(argmax));
    expect(evaluation.truth.filter((code) => code === NO_CLASS).length).toBe(testLoad.rows - report.rowsEvaluated);
  });

  it('evaluates a file whose columns are in another order by the model\'s feature names', async () => {
    const improved = (name: string) => sharedDataset(`cic-ids2017/improved-cicids2017-rnd5000/${name}.csv.gz`);
    const outDir = join(dir, 'cic');
    await runTraining({
      trainPaths: [improved('BENIGN_5000'), improved('Botnet_736'), improved('Portscan_5000')],
      target: 'family', config: { ...fast, trees: 3 }, testFraction: 0.2, outDir,
    });
    // The Botnet sample with its Dst Port and Flow Duration columns swapped (header and values).
    const lines = gunzipSync(readFileSync(improved('Botnet_736'))).toString('utf8').trimEnd().split(/\r?\n/);
    const header = lines[0]!.split(',');
    const a = header.indexOf('Dst Port');
    const b = header.indexOf('Flow Duration');
    const swapped = lines.map((line) => {
      const fields = line.split(',');
      [fields[a], fields[b]] = [fields[b]!, fields[a]!];
      return fields.join(',');
    });
    const path = join(dir, 'botnet-swapped.csv');
    writeFileSync(path, `${swapped.join('\n')}\n`);
    const original = await evaluateModel(outDir, [improved('Botnet_736')]);
    const reordered = await evaluateModel(outDir, [path]);
    expect(reordered.table.featureNames).toEqual(original.metadata.featureNames);
    expect(reordered.probabilities).toEqual(original.probabilities);
    expect(reordered.report.rowsEvaluated).toBe(736);
  });
});
