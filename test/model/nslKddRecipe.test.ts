import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeatureTable } from '../../lib/datasets/featureTable.ts';
import { loadDataset } from '../../lib/datasets/loadDataset.ts';
import { applyDecisionThreshold, decisionThresholdOf, DECISION_THRESHOLD_KEY } from '../../lib/model/score/decisionThreshold.ts';
import { rowFamilies, toBenignVsAttack, trainWithNoveltyThreshold, type NoveltyRecipeResult } from '../../lib/model/train/noveltyRecipe.ts';
import { noveltyFolds } from '../../lib/model/train/noveltyThreshold.ts';
import { exportModel } from '../../lib/model/export/onnxExport.ts';
import { predictProbabilities, toRowMajor } from '../../lib/model/train/predict.ts';
import { rowKey, stratifiedHoldout } from '../../lib/model/train/rowHash.ts';
import { Scorer } from '../../lib/model/score/scorer.ts';
import { sharedDataset } from '../sharedDatasets.ts';

const nsl = (relative: string): string => sharedDataset(`nsl-kdd/${relative}`);
const XGBOOST_SCRIPT_DIR = fileURLToPath(new URL('../../bench/train/', import.meta.url));
const PYTHON = '/usr/bin/python3';

let fine: FeatureTable;
let test: FeatureTable;
let recipe: NoveltyRecipeResult;

beforeAll(async () => {
  fine = (await loadDataset([nsl('KDDTrain+_20Percent.txt.gz')])).table;
  test = (await loadDataset([nsl('KDDTest+.txt.gz')], { categories: fine.categories, labelNames: fine.labelNames })).table;
  recipe = trainWithNoveltyThreshold(fine, { trees: 30, maxDepth: 6, learningRate: 0.3 });
}, 120_000);

describe('novelty folds on KDDTrain+ (20 %)', () => {
  it('hold out each attack family whole, and disjoint fifths of the normal rows', () => {
    const { families, familyOfRow } = rowFamilies(fine);
    expect(families).toEqual(['DoS', 'Probe', 'R2L', 'U2R']);
    const folds = noveltyFolds(familyOfRow, families, 42);
    const normalSeen = new Uint8Array(fine.rowCount);
    let normals = 0;
    for (let i = 0; i < fine.rowCount; i++) if (familyOfRow[i] === -1) normals++;
    folds.forEach((fold, k) => {
      expect(fold.trainRows.length + fold.validationRows.length).toBe(fine.rowCount);
      let heldFamilyInTraining = 0;
      for (const row of fold.trainRows) if (familyOfRow[row] === k) heldFamilyInTraining++;
      let otherFamilyHeld = 0;
      let normalHeldTwice = 0;
      let foldNormals = 0;
      for (const row of fold.validationRows) {
        const family = familyOfRow[row]!;
        if (family !== k && family !== -1) otherFamilyHeld++;
        if (family === -1) {
          if (normalSeen[row]) normalHeldTwice++;
          normalSeen[row] = 1;
          foldNormals++;
        }
      }
      expect({ heldFamilyInTraining, otherFamilyHeld, normalHeldTwice }).toEqual({ heldFamilyInTraining: 0, otherFamilyHeld: 0, normalHeldTwice: 0 });
      expect(Math.abs(foldNormals / normals - 0.2)).toBeLessThan(0.02);
    });
  });

  it.runIf(existsSync(PYTHON))('are the same rows the xgboost reference uses (row hash and folds agree with the Python side)', () => {
    const labels = fine.labelCodes.reduce<string[]>((out, code) => (out.push(fine.labelNames[code]!), out), []);
    const { families, familyOfRow } = rowFamilies(fine);
    const folds = noveltyFolds(familyOfRow, families, 42);
    const holdout = stratifiedHoldout(fine.labelCodes, fine.labelNames.length, 1, 42);
    const program = [
      'import sys, json',
      `sys.path.insert(0, ${JSON.stringify(XGBOOST_SCRIPT_DIR)})`,
      'import numpy as np',
      'from xgboostBaseline import row_keys, novelty_folds, stratified_holdout',
      'labels = np.array(json.load(sys.stdin))',
      'codes = np.unique(labels, return_inverse=True)[1]',
      'print(json.dumps({"keys": row_keys(1000, 42).tolist(),',
      '  "folds": [[name, va.tolist()] for name, tr, va in novelty_folds(labels, 42)],',
      '  "held": np.flatnonzero(stratified_holdout(codes, 1, 42)).tolist()}))',
    ].join('\n');
    const python = JSON.parse(execFileSync(PYTHON, ['-c', program], { input: JSON.stringify(labels), maxBuffer: 64 << 20 }).toString()) as {
      keys: number[]; folds: [string, number[]][]; held: number[];
    };
    expect(python.keys).toEqual(Array.from({ length: 1000 }, (_, i) => rowKey(i, 42)));
    expect(python.folds.map(([name]) => name)).toEqual(folds.map((fold) => fold.family));
    python.folds.forEach(([, validation], k) => expect(validation).toEqual(Array.from(folds[k]!.validationRows)));
    expect(python.held).toEqual(Array.from(holdout.heldOutRows));
  });
});

describe('NSL-KDD novelty-threshold recipe', () => {
  it('chooses a threshold below 0.5 that scores better on KDDTest+ than 0.5 does', () => {
    const { threshold } = recipe.decision;
    expect(threshold).toBeLessThan(0.5);
    expect(recipe.selection.balancedAccuracy).toBeGreaterThan(recipe.selection.balancedAccuracyAtHalf);
    const probabilities = predictProbabilities(recipe.model, toRowMajor(test.columns));
    const normal = test.labelNames.indexOf('normal');
    const accuracyAt = (cut: number) => {
      let correct = 0;
      for (let i = 0; i < test.rowCount; i++) if ((probabilities[i * 2 + 1]! >= cut) === (test.labelCodes[i] !== normal)) correct++;
      return correct / test.rowCount;
    };
    // Chosen on KDDTrain+ folds only; the test file is scored here for the first time.
    expect(accuracyAt(threshold)).toBeGreaterThan(accuracyAt(0.5) + 0.03);
  });

  it('travels in the model metadata and the scorer side applies it to the ONNX probabilities', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'netguard-recipe-'));
    try {
      await exportModel(recipe.model, recipe.binaryTable, directory, { metrics: { [DECISION_THRESHOLD_KEY]: recipe.decision } });
      const scorer = await Scorer.load(directory);
      const decision = decisionThresholdOf(scorer.metadata);
      expect(decision).toEqual(recipe.decision);
      const rows = toRowMajor(test.columns);
      const scored = await scorer.score(rows, test.featureNames);
      await scorer.close();
      const onnxLabels = applyDecisionThreshold(scored.probabilities, scored.classNames, decision!);
      const trainerLabels = applyDecisionThreshold(predictProbabilities(recipe.model, rows), recipe.model.classNames, decision!);
      let differ = 0;
      for (let i = 0; i < onnxLabels.length; i++) if (onnxLabels[i] !== trainerLabels[i]) differ++;
      // Float32 rounding may move a row sitting exactly at the cut; more than a handful is a bug.
      expect(differ).toBeLessThanOrEqual(5);
      // At 0.5 the rule is the ONNX argmax label.
      const atHalf = applyDecisionThreshold(scored.probabilities, scored.classNames, { benignClass: 'normal', threshold: 0.5 });
      let argmaxDiffer = 0;
      for (let i = 0; i < atHalf.length; i++) if (atHalf[i] !== scored.labels[i]) argmaxDiffer++;
      expect(argmaxDiffer).toBeLessThanOrEqual(5);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses a threshold naming a class the model does not have', () => {
    const { binaryTable } = toBenignVsAttack(fine);
    expect(() =>
      decisionThresholdOf({ versionId: 'v', classNames: binaryTable.labelNames, metrics: { [DECISION_THRESHOLD_KEY]: { benignClass: 'BENIGN', threshold: 0.01, method: 'x' } } }),
    ).toThrow(/BENIGN/);
  });
});
