import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../../lib/datasets/loadDataset.ts';
import {
  attackCalibrationOf, attackCalibrationSchema, brierScore, calibrateAttackProbability, calibratedAttackProbability,
  fitIsotonic, fitPlatt, reliabilityTable,
} from '../../../lib/model/score/calibration.ts';
import { modelMetadataSchema } from '../../../lib/model/export/modelMetadata.ts';
import { Scorer } from '../../../lib/model/score/scorer.ts';
import { inModelFeatureOrder, scoreTable } from '../../../lib/model/evaluate/scoreTable.ts';

const repo = (relative: string) => fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
const metadataOf = (name: string) => modelMetadataSchema.parse(JSON.parse(readFileSync(repo(`trained_models/${name}/model.json`), 'utf8')));

/** Raw class probabilities of the shipped CIC model on the real CIC excerpt (432 rows). */
async function realProbabilities() {
  const scorer = await Scorer.load(repo('trained_models/cic2017-corrected-family'));
  try {
    const { table } = await loadDataset([repo('datasets/cic-ids2017-improved/improved_first30_per_class.csv.gz')]);
    const ordered = inModelFeatureOrder(table, scorer.metadata.featureNames);
    const probabilities = await scoreTable(scorer, ordered);
    const benign = ordered.labelNames.indexOf('BENIGN');
    const isAttack = Float64Array.from(ordered.labelCodes, (code) => (code === benign ? 0 : 1));
    return { probabilities, classCount: scorer.metadata.classNames.length, benignClass: scorer.metadata.classNames.indexOf('BENIGN'), isAttack, rows: ordered.rowCount };
  } finally {
    await scorer.close();
  }
}

describe('attack calibration', () => {
  it('is absent from older models, which then score 1 − P(benign) unchanged', async () => {
    const metadata = metadataOf('cic2017-corrected-family');
    expect(attackCalibrationOf(metadata)).toBeNull();
    const { probabilities, classCount, benignClass, rows } = await realProbabilities();
    for (let row = 0; row < rows; row++) {
      expect(calibratedAttackProbability(null, probabilities, row, classCount, benignClass)).toBeCloseTo(1 - probabilities[row * classCount + benignClass]!, 7);
    }
  });

  it('fits monotone isotonic and Platt maps on real scores that stay within [0, 1]', async () => {
    const { probabilities, classCount, benignClass, isAttack, rows } = await realProbabilities();
    const raw = Float64Array.from({ length: rows }, (_, row) => 1 - probabilities[row * classCount + benignClass]!);
    const weight = new Float64Array(rows).fill(1);
    const isotonic = fitIsotonic(raw, isAttack, weight, 'BENIGN');
    expect(attackCalibrationSchema.safeParse(isotonic).success).toBe(true);
    const platt = fitPlatt(raw, isAttack, weight, 'BENIGN');
    for (const calibration of [isotonic, platt]) {
      let previous = -1;
      for (let i = 0; i <= 1000; i++) {
        const value = calibrateAttackProbability(calibration, i / 1000);
        expect(value).toBeGreaterThanOrEqual(previous - 1e-12);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
        previous = value;
      }
    }
    // Isotonic regression minimises the squared error among monotone maps: never worse than the raw scores.
    const calibrated = Array.from(raw, (p) => calibrateAttackProbability(isotonic, p));
    expect(brierScore(calibrated, isAttack, weight)).toBeLessThanOrEqual(brierScore(raw, isAttack, weight) + 1e-12);
    // Its reliability table is exact on the rows it was fitted on: each step's value is its rows' attack share.
    const bins = reliabilityTable(calibrated, isAttack, weight);
    expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(rows);
  });

  it('pools adjacent violators, equal raw scores share a step, and looks steps up by their lower edge', () => {
    // Worked example: y = 1, 0 at rising x violates monotonicity and pools to 0.5.
    const fit = fitIsotonic([0.1, 0.2, 0.3, 0.3, 0.9], [0, 1, 0, 1, 1], [1, 1, 1, 1, 1], 'BENIGN');
    expect(fit.edges).toEqual([0, 0.2, 0.9]);
    expect(fit.values).toEqual([0, 2 / 3, 1]);
    expect(calibrateAttackProbability(fit, 0.05)).toBe(0);
    expect(calibrateAttackProbability(fit, 0.2)).toBeCloseTo(2 / 3, 12);
    expect(calibrateAttackProbability(fit, 0.89)).toBeCloseTo(2 / 3, 12);
    expect(calibrateAttackProbability(fit, 1)).toBe(1);
    expect(attackCalibrationSchema.safeParse({ method: 'isotonic', benignClass: 'BENIGN', edges: [0, 0.5], values: [0.6, 0.2] }).success).toBe(false);
    // With at least 2 rows per step the 1-row first step joins the next one; the last step (1 row) joins its predecessor.
    const merged = fitIsotonic([0.1, 0.2, 0.3, 0.3, 0.9], [0, 1, 0, 1, 1], [1, 1, 1, 1, 1], 'BENIGN', 2);
    expect(merged.edges).toEqual([0]);
    expect(merged.values[0]).toBeCloseTo(3 / 5, 12);
    const kept = fitIsotonic([0.1, 0.15, 0.2, 0.3, 0.3, 0.9, 0.95], [0, 0, 1, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1], 'BENIGN', 2);
    expect(kept.edges).toEqual([0, 0.2, 0.9]);
    expect(kept.values).toEqual([0, 2 / 3, 1]);
  });

  it('the shipped live model carries a calibration that the function applies exactly as stored', () => {
    const metadata = metadataOf('live-corrected-family');
    const calibration = attackCalibrationOf(metadata);
    expect(calibration).not.toBeNull();
    const benignClass = metadata.classNames.indexOf(calibration!.benignClass);
    expect(benignClass).toBe(0);
    const classCount = metadata.classNames.length;
    const row = new Float32Array(classCount);
    if (calibration!.method === 'isotonic') {
      const { edges, values } = calibration!;
      for (let i = 0; i < edges.length; i++) {
        // Just above each step's lower edge (float32 rows), the step's stored value comes back.
        const upper = i + 1 < edges.length ? edges[i + 1]! : 1;
        if (upper - edges[i]! < 1e-5) continue; // narrower than float32 resolution near 1
        row.fill(0);
        const middle = (edges[i]! + upper) / 2;
        row[benignClass] = 1 - middle;
        row[(benignClass + 1) % classCount] = middle;
        const raw = 1 - row[benignClass]!;
        const step = edges.findLastIndex((lower) => lower <= raw);
        expect(step).toBe(i);
        expect(calibratedAttackProbability(calibration, row, 0, classCount, benignClass)).toBe(values[i]);
      }
    }
    let previous = -1;
    for (let i = 0; i <= 200; i++) {
      row.fill(0);
      row[benignClass] = 1 - i / 200;
      const value = calibratedAttackProbability(calibration, row, 0, classCount, benignClass);
      expect(value).toBeGreaterThanOrEqual(previous);
      previous = value;
    }
  });
});
