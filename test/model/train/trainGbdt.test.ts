import { describe, expect, it } from 'vitest';
import { featureImportance } from '../../../lib/model/evaluate/importance.ts';
import { classificationReport } from '../../../lib/model/evaluate/metrics.ts';
import { predictProbabilities, toRowMajor } from '../../../lib/model/train/predict.ts';
import { parseTrainConfig, type TrainConfigInput } from '../../../lib/model/train/trainConfig.ts';
import { trainGbdt } from '../../../lib/model/train/trainGbdt.ts';
import type { TrainedModel } from '../../../lib/model/train/trainedModel.ts';
import { binaryNormalVsAttack, everyNth, kddSlice, withMissing } from '../fixtures.ts';

function forestBytes(model: TrainedModel): Buffer {
  const f = model.forest;
  return Buffer.concat(
    [f.treeOutput, f.nodeOffset, f.feature, f.threshold, f.left, f.right, f.defaultLeft, f.leafValue, f.baseScores].map((array) =>
      Buffer.from(array.buffer, array.byteOffset, array.byteLength),
    ),
  );
}

describe('trainGbdt', () => {
  it('decreases the training loss every round (binary and multiclass, depthwise and leafwise)', async () => {
    const table = await kddSlice(8000);
    for (const [data, growth] of [[binaryNormalVsAttack(table), 'depthwise'], [table, 'leafwise']] as const) {
      const rounds: number[] = [];
      const model = trainGbdt(data, { trees: 25, maxDepth: 5, maxLeaves: growth === 'leafwise' ? 12 : 0, growth, learningRate: 0.2 }, {
        onRound: (info) => rounds.push(info.trainLoss),
      });
      expect(rounds.length).toBe(25);
      for (let r = 1; r < rounds.length; r++) expect(rounds[r]!).toBeLessThan(rounds[r - 1]!);
      expect(model.history.map((info) => info.round)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      if (growth === 'leafwise') {
        for (let t = 0; t < model.forest.treeCount; t++) {
          const nodes = model.forest.nodeOffset[t + 1]! - model.forest.nodeOffset[t]!;
          expect((nodes + 1) / 2).toBeLessThanOrEqual(12); // leaves of a binary tree
        }
      }
    }
  });

  it('respects maxDepth', async () => {
    const model = trainGbdt(binaryNormalVsAttack(await kddSlice(5000)), { trees: 5, maxDepth: 3 });
    const { forest } = model;
    for (let t = 0; t < forest.treeCount; t++) {
      const base = forest.nodeOffset[t]!;
      const depthOf = (node: number): number =>
        forest.feature[base + node]! < 0 ? 0 : 1 + Math.max(depthOf(forest.left[base + node]!), depthOf(forest.right[base + node]!));
      expect(depthOf(0)).toBeLessThanOrEqual(3);
    }
  });

  it('is deterministic for a seed and changes with the seed when subsampling', async () => {
    const table = await kddSlice(6000);
    const config = { trees: 8, maxDepth: 4, subsample: 0.7, colsampleByTree: 0.6, validationFraction: 0.1, seed: 7 };
    const first = forestBytes(trainGbdt(table, config));
    const second = forestBytes(trainGbdt(table, config));
    expect(first.equals(second)).toBe(true);
    const otherSeed = forestBytes(trainGbdt(table, { ...config, seed: 8 }));
    expect(first.equals(otherSeed)).toBe(false);
  });

  it('raises a minority class recall when that class is weighted up', async () => {
    const table = await kddSlice(20000);
    const heldOut = everyNth(table.rowCount, 3, 0, true);
    const trainRows = everyNth(table.rowCount, 3, 0, false);
    const input = toRowMajor(table.columns, heldOut);
    const truth = heldOut.map((row) => table.labelCodes[row]!);
    const minority = table.labelNames.indexOf('warezclient');
    const recallOf = (classWeights: TrainConfigInput['classWeights']) => {
      // A deliberately small model, so the minority class is not already learned perfectly.
      const model = trainGbdt(table, { trees: 6, maxDepth: 2, learningRate: 0.3, classWeights }, { rows: trainRows });
      return classificationReport(truth, predictProbabilities(model, input), table.labelNames.length).perClass[minority]!.recall;
    };
    const plain = recallOf('none');
    expect(plain).toBeLessThan(1);
    expect(recallOf({ warezclient: 20 })).toBeGreaterThan(plain);
    expect(recallOf('balanced')).toBeGreaterThan(plain);
  });

  it('stops early when validation loss stalls and keeps the best round', async () => {
    const table = binaryNormalVsAttack(await kddSlice(6000));
    const model = trainGbdt(table, { trees: 400, maxDepth: 6, learningRate: 0.5, earlyStoppingRounds: 5, validationFraction: 0.2 });
    expect(model.stoppedEarly).toBe(true);
    expect(model.roundsTrained).toBeLessThan(400);
    expect(model.roundsTrained - model.rounds).toBe(5);
    const best = Math.min(...model.history.map((info) => info.validLoss));
    expect(model.history[model.rounds - 1]!.validLoss).toBe(best);
    expect(model.forest.treeCount).toBe(model.rounds);
    expect(model.validationRows.length + model.trainRows.length).toBe(table.rowCount);
  });

  it('learns a default direction for missing values and uses it', async () => {
    const table = withMissing(binaryNormalVsAttack(await kddSlice(6000)), table0Feature('src_bytes'), 4);
    const model = trainGbdt(table, { trees: 10, maxDepth: 4 });
    const srcBytes = table.featureNames.indexOf('src_bytes');
    const splitsOnIt = Array.from(model.forest.feature).filter((f) => f === srcBytes).length;
    expect(splitsOnIt).toBeGreaterThan(0);
    const probabilities = predictProbabilities(model, toRowMajor(table.columns));
    const report = classificationReport(table.labelCodes, probabilities, 2);
    expect(report.accuracy).toBeGreaterThan(0.95);
  });

  it('ranks features by gain and shares sum to 1', async () => {
    const model = trainGbdt(binaryNormalVsAttack(await kddSlice(5000)), { trees: 10, maxDepth: 3 });
    const importance = featureImportance(model);
    expect(importance.length).toBe(model.featureNames.length);
    expect(importance.reduce((sum, entry) => sum + entry.share, 0)).toBeCloseTo(1, 9);
    for (let i = 1; i < importance.length; i++) expect(importance[i]!.gain).toBeLessThanOrEqual(importance[i - 1]!.gain);
    const totalSplits = Array.from(model.forest.feature).filter((f) => f >= 0).length;
    expect(importance.reduce((sum, entry) => sum + entry.splits, 0)).toBe(totalSplits);
  });

  it('validates the config with messages naming the parameter', () => {
    expect(() => parseTrainConfig({ learningRate: 0 })).toThrow(/learningRate/);
    expect(() => parseTrainConfig({ maxBins: 256 })).toThrow(/maxBins/);
    expect(() => parseTrainConfig({ earlyStoppingRounds: 5 })).toThrow(/validationFraction/);
    expect(() => parseTrainConfig({ objective: 'poisson' as 'binary' })).toThrow(/objective/);
    expect(parseTrainConfig({}).trees).toBe(100);
  });

  it('refuses class weights for unknown classes', async () => {
    const table = binaryNormalVsAttack(await kddSlice(1000));
    expect(() => trainGbdt(table, { trees: 1, classWeights: { Botnet: 3 } })).toThrow(/unknown class 'Botnet'.*normal, attack/);
  });
});

function table0Feature(name: string): number {
  // KDD feature order is fixed by the loader; look the index up by name rather than assume it.
  return ['duration', 'protocol_type', 'service', 'flag', 'src_bytes'].indexOf(name);
}
