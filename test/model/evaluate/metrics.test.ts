import { describe, expect, it } from 'vitest';
import { accuracy, classificationReport, confusionMatrix, logloss, macroF1, perClassMetrics, rocAuc } from '../../../lib/model/evaluate/metrics.ts';
import { predictProbabilities, toRowMajor } from '../../../lib/model/train/predict.ts';
import { trainGbdt } from '../../../lib/model/train/trainGbdt.ts';
import { binaryNormalVsAttack, everyNth, kddSlice } from '../fixtures.ts';

describe('metrics', () => {
  it('computes precision, recall, F1 and accuracy from the confusion matrix', () => {
    // truth:     0 0 0 1 1 2
    // predicted: 0 1 0 1 0 2
    const truth = Int32Array.of(0, 0, 0, 1, 1, 2);
    const predicted = Int32Array.of(0, 1, 0, 1, 0, 2);
    const confusion = confusionMatrix(truth, predicted, 3);
    expect(confusion).toEqual([[2, 1, 0], [1, 1, 0], [0, 0, 1]]);
    const perClass = perClassMetrics(confusion);
    expect(perClass[0]).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 });
    expect(perClass[1]!.precision).toBe(0.5);
    expect(perClass[1]!.recall).toBe(0.5);
    expect(perClass[2]!.f1).toBe(1);
    expect(macroF1(perClass)).toBeCloseTo((2 / 3 + 0.5 + 1) / 3, 12);
    expect(accuracy(truth, predicted)).toBeCloseTo(4 / 6, 12);
    expect(logloss(Int32Array.of(1), Float32Array.of(0.5, 0.5), 2)).toBeCloseTo(Math.log(2), 6);
  });

  it('ROC AUC equals the pairwise definition on a real model\'s held-out scores', async () => {
    const table = binaryNormalVsAttack(await kddSlice(4000));
    const heldOut = everyNth(table.rowCount, 4, 0, true);
    const model = trainGbdt(table, { trees: 3, maxDepth: 2 }, { rows: everyNth(table.rowCount, 4, 0, false) });
    const probabilities = predictProbabilities(model, toRowMajor(table.columns, heldOut));
    const truth = heldOut.map((row) => table.labelCodes[row]!);
    const scores = new Float32Array(heldOut.length);
    const positive = new Uint8Array(heldOut.length);
    for (let i = 0; i < heldOut.length; i++) {
      scores[i] = probabilities[2 * i + 1]!;
      positive[i] = truth[i] === 1 ? 1 : 0;
    }
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < scores.length; i++) {
      if (!positive[i]) continue;
      for (let j = 0; j < scores.length; j++) {
        if (positive[j]) continue;
        pairs++;
        wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
      }
    }
    expect(rocAuc(positive, scores)).toBeCloseTo(wins / pairs, 12);
    const report = classificationReport(truth, probabilities, 2);
    expect(report.rocAuc).toBeCloseTo(wins / pairs, 6);
    expect(report.confusion.flat().reduce((sum, count) => sum + count, 0)).toBe(heldOut.length);
  });
});
