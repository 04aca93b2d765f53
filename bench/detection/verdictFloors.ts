/**
 * How the model's per-flow attack probabilities fall on benign and attack flows, per capture
 * group (lab train scenarios, lab eval scenarios, shared real captures): the share over each
 * candidate floor, and the most benign flows over it from one host in one capture. This is what
 * fusion.flowFloor was chosen from (lib/detect/README.md).
 *
 *   npx tsx bench/detection/verdictFloors.ts [MODEL_DIR]
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Evidence } from '../../lib/detect/evidence.ts';
import { FlowTruth, labCaptures, sharedCaptures, type TruthCapture } from './groundTruth.ts';
import { replayThroughMonitor } from './scorecard.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const model = process.argv[2] ?? join(repo, 'trained_models/live-corrected-family');
const captures = [...labCaptures(join(repo, 'datasets/lab')), ...sharedCaptures(process.env.NETGUARD_DATASETS ?? join(repo, '../shared/datasets'))];
const FLOORS = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

/** Every flow's verdict (fusion floor 0, so nothing is held back) through the monitor's path. */
function verdicts(capture: TruthCapture): Promise<Evidence[]> {
  return replayThroughMonitor(capture.capturePath, model, { flowFloor: 0 }, (_store, _session, evidence) => evidence.filter((item) => item.detector === 'model'));
}

for (const group of ['train', 'eval', 'shared'] as const) {
  const benignOver = FLOORS.map(() => 0);
  const attackOver = FLOORS.map(() => 0);
  const worstHost = FLOORS.map(() => 0);
  let benign = 0;
  let attack = 0;
  for (const capture of captures.filter((c) => (c.origin === 'shared' ? 'shared' : c.truth.split) === group)) {
    const truth = new FlowTruth(capture.truth);
    const perHost = new Map<string, number[]>();
    for (const verdict of await verdicts(capture)) {
      const timeUs = verdict.time * 1000;
      if (truth.isAttack(verdict.attacker, verdict.target, timeUs, timeUs)) {
        attack++;
        FLOORS.forEach((floor, i) => { if (verdict.confidence >= floor) attackOver[i]!++; });
      } else {
        benign++;
        FLOORS.forEach((floor, i) => { if (verdict.confidence >= floor) benignOver[i]!++; });
        perHost.set(verdict.attacker, [...(perHost.get(verdict.attacker) ?? []), verdict.confidence]);
      }
    }
    for (const probabilities of perHost.values()) {
      FLOORS.forEach((floor, i) => { worstHost[i] = Math.max(worstHost[i]!, probabilities.filter((p) => p >= floor).length); });
    }
  }
  console.log(`${group}: ${benign} benign flows, ${attack} attack flows`);
  FLOORS.forEach((floor, i) => {
    const pct = (part: number, whole: number) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(2)} %`);
    console.log(`  p ≥ ${floor}: benign ${pct(benignOver[i]!, benign)} (most from one host in one capture: ${worstHost[i]}), attack ${pct(attackOver[i]!, attack)}`);
  });
}
