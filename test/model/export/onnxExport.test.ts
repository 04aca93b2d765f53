import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { familyOf } from '../../../lib/datasets/families.ts';
import { classificationReport } from '../../../lib/model/evaluate/metrics.ts';
import { modelMetadataSchema } from '../../../lib/model/export/modelMetadata.ts';
import { exportModel, modelToOnnx } from '../../../lib/model/export/onnxExport.ts';
import { predictProbabilities, toRowMajor } from '../../../lib/model/train/predict.ts';
import { trainGbdt } from '../../../lib/model/train/trainGbdt.ts';
import type { FeatureTable } from '../../../lib/datasets/featureTable.ts';
import { binaryNormalVsAttack, cicMulticlass, everyNth, kddSlice, withMissing } from '../fixtures.ts';

const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

/** Trains on 2/3 of the rows, returns ORT and trainer probabilities on the other third. */
async function parityOn(table: FeatureTable, config: Parameters<typeof trainGbdt>[1]) {
  const heldOut = everyNth(table.rowCount, 3, 1, true);
  const model = trainGbdt(table, config, { rows: everyNth(table.rowCount, 3, 1, false) });
  const input = toRowMajor(table.columns, heldOut);
  const session = await ort.InferenceSession.create(modelToOnnx(model));
  const output = await session.run({ input: new ort.Tensor('float32', input, [heldOut.length, table.featureNames.length]) });
  await session.release();
  return {
    model, heldOut, input,
    onnxProbabilities: output.probabilities!.data as Float32Array,
    onnxLabels: output.label!.data as BigInt64Array,
    ownProbabilities: predictProbabilities(model, input),
  };
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('ONNX export', () => {
  it('binary: onnxruntime probabilities equal predict() within 1e-5 on held-out rows with NaN', async () => {
    // Missing values in training (every 5th src_bytes) and in the held-out rows that get scored.
    const table = withMissing(binaryNormalVsAttack(await kddSlice(15000)), 4, 5);
    const { input, heldOut, onnxProbabilities, onnxLabels, ownProbabilities, model } = await parityOn(table, { trees: 40, maxDepth: 6, learningRate: 0.2 });
    let rowsWithNaN = 0;
    for (let i = 0; i < heldOut.length; i++) if (Number.isNaN(input[i * model.featureNames.length + 4]!)) rowsWithNaN++;
    expect(rowsWithNaN).toBeGreaterThan(100);
    expect(onnxProbabilities.length).toBe(heldOut.length * 2);
    expect(maxAbsDifference(onnxProbabilities, ownProbabilities)).toBeLessThan(1e-5);
    for (let i = 0; i < heldOut.length; i++) {
      const own = ownProbabilities[2 * i + 1]! > ownProbabilities[2 * i]! ? 1 : 0;
      // Ties at exactly 0.5 are the only place the two may legitimately differ.
      if (Math.abs(ownProbabilities[2 * i + 1]! - 0.5) > 1e-5) expect(Number(onnxLabels[i])).toBe(own);
    }
  });

  it('multiclass: onnxruntime probabilities and labels equal predict() on held-out CIC-IDS2017 rows', async () => {
    const table = withMissing(await cicMulticlass(), 10, 7);
    const { heldOut, onnxProbabilities, onnxLabels, ownProbabilities } = await parityOn(table, {
      trees: 20, maxDepth: 5, learningRate: 0.3, growth: 'leafwise', maxLeaves: 16, subsample: 0.8, colsampleByTree: 0.8,
    });
    const classCount = table.labelNames.length;
    expect(onnxProbabilities.length).toBe(heldOut.length * classCount);
    expect(maxAbsDifference(onnxProbabilities, ownProbabilities)).toBeLessThan(1e-5);
    let disagreements = 0;
    for (let i = 0; i < heldOut.length; i++) {
      let best = 0;
      for (let k = 1; k < classCount; k++) if (ownProbabilities[i * classCount + k]! > ownProbabilities[i * classCount + best]!) best = k;
      if (Number(onnxLabels[i]) !== best) disagreements++;
    }
    expect(disagreements).toBe(0);
  });

  it('writes the documented graph: one TreeEnsembleClassifier, opsets, input/outputs, no ZipMap', async () => {
    const table = binaryNormalVsAttack(await kddSlice(3000));
    const model = trainGbdt(table, { trees: 3, maxDepth: 3 });
    const decoded = onnxProto.onnx.ModelProto.decode(modelToOnnx(model));
    expect(Number(decoded.irVersion)).toBeGreaterThanOrEqual(8);
    const opsets = Object.fromEntries(decoded.opsetImport.map((opset) => [opset.domain, Number(opset.version)]));
    expect(opsets).toEqual({ '': 17, 'ai.onnx.ml': 3 });
    const graph = onnxProto.onnx.GraphProto.fromObject(decoded.graph!);
    expect(graph.node.map((node) => `${node.domain}:${node.opType}`)).toEqual(['ai.onnx.ml:TreeEnsembleClassifier']);
    expect(graph.input.map((input) => input.name)).toEqual(['input']);
    expect(graph.output.map((output) => output.name)).toEqual(['label', 'probabilities']);
    const attribute = (name: string) => onnxProto.onnx.AttributeProto.fromObject(graph.node[0]!.attribute!.find((entry) => entry.name === name)!);
    expect(new TextDecoder().decode(attribute('post_transform').s!)).toBe('LOGISTIC');
    expect(attribute('classlabels_int64s').ints.map(Number)).toEqual([0, 1]);
    expect(attribute('nodes_modes').strings.map((s) => new TextDecoder().decode(s)).filter((mode) => mode !== 'LEAF' && mode !== 'BRANCH_LT')).toEqual([]);
  });

  it('writes model.onnx and a schema-valid model.json with families, encodings, metrics and fingerprint', async () => {
    const table = await kddSlice(6000);
    const model = trainGbdt(table, { trees: 5, maxDepth: 4, validationFraction: 0.2 });
    const directory = await mkdtemp(join(tmpdir(), 'netguard-model-'));
    directories.push(directory);
    const classFamilies = Object.fromEntries(
      table.labelNames.map((name) => {
        const { family, threatCategory } = familyOf(name, 'nsl-kdd');
        return [name, { family, threatCategory }];
      }),
    );
    const validation = toRowMajor(table.columns, model.validationRows);
    const truth = model.validationRows.map((row) => table.labelCodes[row]!);
    const report = classificationReport(truth, predictProbabilities(model, validation), table.labelNames.length);
    const exported = await exportModel(model, table, directory, { classFamilies, metrics: { validation: report } });
    const metadata = modelMetadataSchema.parse(JSON.parse(await readFile(exported.metadataPath, 'utf8')));
    expect(metadata.featureNames).toEqual(table.featureNames);
    expect(metadata.featureFormat).toBe('kdd');
    expect(metadata.classNames).toEqual(table.labelNames);
    expect(metadata.classFamilies['neptune']).toEqual({ family: 'DoS', threatCategory: 'Network' });
    expect(metadata.categories['service']).toEqual(table.categories['service']);
    expect(metadata.trainingData.rowCount + metadata.trainingData.validationRowCount).toBe(6000);
    expect(metadata.trainingData.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(metadata.trainer.config['trees']).toBe(5);
    expect((metadata.metrics['validation'] as { accuracy: number }).accuracy).toBe(report.accuracy);
    // Same data → same fingerprint; one changed value → a different one.
    const again = await exportModel(model, table, directory, { classFamilies });
    expect(again.metadata.trainingData.fingerprint).toBe(metadata.trainingData.fingerprint);
    const changed = { ...table, columns: table.columns.map((column, j) => (j === 0 ? column.map((v, i) => (i === model.trainRows[0] ? v + 1 : v)) : column)) };
    const otherModel = { ...model };
    expect((await exportModel(otherModel, changed, directory)).metadata.trainingData.fingerprint).not.toBe(metadata.trainingData.fingerprint);
    const session = await ort.InferenceSession.create(exported.onnxPath);
    expect(session.inputNames).toEqual(['input']);
    await session.release();
  });
});
