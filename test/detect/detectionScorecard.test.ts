/**
 * The fast part of the detection scorecard (the full one is `npm run eval:detection`): every lab
 * scenario the shipped live model never trained on (split "eval") goes through the monitor's path
 * and must reach the floors:
 *   - an attack raises an alert of the right family naming the attacker within 10 s of its start;
 *   - at least 90 % of the attack's flows are flagged;
 *   - a benign-only capture raises no alert at Medium or above and flags at most 0.5 % of its flows.
 * Also: a capture without benign flows (or without attack flows) scores without dividing by zero.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { labCaptures, sharedCaptures } from '../../bench/detection/groundTruth.ts';
import { formatScorecard } from '../../bench/detection/formatScorecard.ts';
import { scoreCapture, share } from '../../bench/detection/scorecard.ts';
import { sharedDatasetsDirectory } from '../sharedDatasets.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const model = join(repo, 'trained_models/live-corrected-family');
const evalScenarios = labCaptures(join(repo, 'datasets/lab')).filter((capture) => capture.truth.split === 'eval');

describe('detection scorecard: lab scenarios the live model never trained on', () => {
  it('has eval scenarios of every family and benign-only ones', () => {
    const families = new Set(evalScenarios.map((capture) => capture.truth.family));
    expect([...families].sort()).toEqual(['BruteForce', 'DoS', 'PortScan', null].sort());
  });

  for (const capture of evalScenarios) {
    const { truth } = capture;
    it(`${truth.scenario}: ${truth.description}`, async () => {
      const score = await scoreCapture(capture, model);
      const summary = JSON.stringify(score);
      if (truth.family === null) {
        expect(score.alertsMediumOrAbove, summary).toBe(0);
        expect(score.benignFlows, summary).toBeGreaterThan(0);
        expect(share(score.benignFlaggedAny, score.benignFlows)!, summary).toBeLessThanOrEqual(0.005);
        return;
      }
      expect(score.firstRightAlert, summary).not.toBeNull();
      expect(score.firstRightAlert!.namesAttacker).toBe(true);
      expect(score.firstRightAlert!.secondsFromStart!, summary).toBeLessThanOrEqual(10);
      expect(score.attackFlows, summary).toBeGreaterThan(0);
      expect(share(score.attackFlowsFlagged, score.attackFlows)!, summary).toBeGreaterThanOrEqual(0.9);
    }, 120_000);
  }
});

describe('detection scorecard: bad input', () => {
  it('a capture with no benign flows, and one with no attack flows, score and print without dividing by zero', async () => {
    const shared = sharedCaptures(sharedDatasetsDirectory());
    const attackOnly = shared.find((capture) => capture.truth.scenario === 'shared-ppa-portscan')!;
    const benignOnly = shared.find((capture) => capture.truth.scenario === 'shared-benign-http-google')!;
    const scores = [await scoreCapture(attackOnly, model), await scoreCapture(benignOnly, model)];
    expect(scores[0]!.benignFlows).toBe(0);
    expect(share(scores[0]!.benignFlaggedAny, scores[0]!.benignFlows)).toBeNull();
    expect(scores[1]!.attackFlows).toBe(0);
    expect(share(scores[1]!.attackFlowsFlagged, scores[1]!.attackFlows)).toBeNull();
    const text = formatScorecard(scores, { model, date: 'test' });
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(text).toContain('| shared-ppa-portscan | PortScan | 29 |');
  }, 60_000);
});
