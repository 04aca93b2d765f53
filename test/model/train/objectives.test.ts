import { describe, expect, it } from 'vitest';
import { createObjective } from '../../../lib/model/train/objectives.ts';
import { kddSlice } from '../fixtures.ts';

describe('objectives', () => {
  it('fails loudly on an unknown name', () => {
    expect(() => createObjective('poisson', 2)).toThrow(/Unknown objective 'poisson'.*binary, multiclass/);
    expect(() => createObjective('binary', 3)).toThrow(/exactly 2 classes/);
  });

  for (const name of ['binary', 'multiclass'] as const) {
    it(`${name}: gradients are the derivative of the loss (finite differences on real labels)`, async () => {
      const table = await kddSlice(300);
      const classCount = name === 'binary' ? 2 : table.labelNames.length;
      const labels = name === 'binary' ? table.labelCodes.map((code) => (code === 0 ? 0 : 1)) : table.labelCodes;
      const objective = createObjective(name, classCount);
      const rowCount = labels.length;
      const weights = new Float32Array(rowCount).fill(1);
      const rows = Int32Array.from({ length: rowCount }, (_, i) => i);
      // Scores from a real feature so they vary with the data.
      const scores = new Float64Array(objective.outputCount * rowCount);
      for (let k = 0; k < objective.outputCount; k++) {
        for (let i = 0; i < rowCount; i++) scores[k * rowCount + i] = Math.log1p(table.columns[22]![i]!) * (k % 3 - 1) * 0.3;
      }
      const gradients = new Float64Array(scores.length);
      const hessians = new Float64Array(scores.length);
      const loss = objective.gradients(scores, labels, weights, gradients, hessians);
      expect(loss).toBeCloseTo(objective.loss(scores, rowCount, labels, weights, rows), 12);
      const step = 1e-5;
      for (const index of [0, 7, Math.min(rowCount + 3, scores.length - 2), scores.length - 1]) {
        const shifted = scores.slice();
        shifted[index] += step;
        const up = objective.loss(shifted, rowCount, labels, weights, rows);
        shifted[index] -= 2 * step;
        const down = objective.loss(shifted, rowCount, labels, weights, rows);
        // loss is a mean over rows, gradients are per row.
        expect(((up - down) / (2 * step)) * rowCount).toBeCloseTo(gradients[index]!, 5);
        expect(hessians[index]!).toBeGreaterThan(0);
      }
    });
  }

  it('binary: the per-round loss (logs taken per run of rows) equals the per-row loss, with class weights and saturated scores', async () => {
    const table = await kddSlice(3000);
    const labels = table.labelCodes.map((code) => (code === 0 ? 0 : 1));
    const rowCount = labels.length;
    const objective = createObjective('binary', 2);
    // Class weights as 'balanced' gives them, one row with its own weight, and scores that include
    // confident mistakes past the probability floor and overflowing exponentials.
    const weights = Float32Array.from(labels, (label) => (label === 1 ? 0.93 : 1.08));
    weights[17] = 2.5;
    const extremes = [-800, -40, -36, 36, 40, 800];
    const scores = Float64Array.from({ length: rowCount }, (_, i) =>
      i % 50 === 0 ? extremes[(i / 50) % extremes.length]! : Math.log1p(table.columns[22]![i]!) - 2);
    const rows = Int32Array.from({ length: rowCount }, (_, i) => i);
    const loss = objective.gradients(scores, labels, weights, new Float64Array(rowCount), new Float64Array(rowCount));
    const expected = objective.loss(scores, rowCount, labels, weights, rows);
    expect(Math.abs(loss - expected) / expected).toBeLessThan(1e-12);
  });
});
