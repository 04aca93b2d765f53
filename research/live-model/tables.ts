/**
 * Prints the markdown tables of FINDINGS.md and trained_models/README.md from the shipped live
 * model's metrics.json (so the documents quote the artefact, not a console log).
 *
 *   npx tsx research/live-model/tables.ts [trained_models/live-corrected-family]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ReliabilityBin } from '../../lib/model/calibration.ts';
import type { DetectionFigures } from '../../lib/model/liveFigures.ts';

const dir = resolve(process.argv[2] ?? 'trained_models/live-corrected-family');
const metrics = JSON.parse(readFileSync(`${dir}/metrics.json`, 'utf8'));
const pct = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${(100 * value).toFixed(1)} %`);
const cuts = ['0.5', '0.7', '0.85'];

interface Scenario { name: string; split: string; network: string | null; family: string | null; attackFlows: number; benignFlows: number; trainableRows: number }
const scenarios: Scenario[] = metrics.scenarios;
const out = (line = '') => process.stdout.write(`${line}\n`);

function row(name: string, scenario: Scenario | undefined, f: DetectionFigures): string {
  const attack = cuts.map((cut) => pct(f.attackFlagged[cut])).join(' / ');
  const benign = cuts.map((cut) => pct(f.benignFlagged[cut])).join(' / ');
  return `| ${name} | ${scenario?.network ?? ''} | ${scenario?.family ?? 'benign'} | ${f.attackFlows} | ${f.benignFlows} | ${attack} | ${benign} | ${pct(f.familyAccuracy)} |`;
}

out('### Leave-one-scenario-out (lab train scenarios; out-of-fold scores, calibration fitted without the scenario)');
out();
out('| scenario | network | family | attack flows | benign flows | attack flagged at 0.5 / 0.7 / 0.85 | benign flagged at 0.5 / 0.7 / 0.85 | family right |');
out('|---|---|---|---|---|---|---|---|');
for (const [name, f] of Object.entries(metrics.leaveOneScenarioOut as Record<string, DetectionFigures>)) out(row(name, scenarios.find((s) => s.name === name), f));
out();
out('### Eval scenarios (shipped model and calibration; never trained on or calibrated with)');
out();
out('| scenario | network | family | attack flows | benign flows | attack flagged at 0.5 / 0.7 / 0.85 | benign flagged at 0.5 / 0.7 / 0.85 | family right |');
out('|---|---|---|---|---|---|---|---|');
for (const [name, f] of Object.entries(metrics.evalScenarios as Record<string, DetectionFigures>)) out(row(name, scenarios.find((s) => s.name === name), f));
out();
out('### Leave-one-scenario-out on the raw 1 − P(benign) (no calibration)');
out();
out('| scenario | network | family | attack flows | benign flows | attack flagged at 0.5 / 0.7 / 0.85 | benign flagged at 0.5 / 0.7 / 0.85 | family right |');
out('|---|---|---|---|---|---|---|---|');
for (const [name, f] of Object.entries(metrics.leaveOneScenarioOutRaw as Record<string, DetectionFigures>)) out(row(name, scenarios.find((s) => s.name === name), f));
out();
const calibration = metrics.calibration;
if (calibration) {
  out(`### Calibration: ${calibration.chosen} (${calibration.rows} out-of-fold rows of ${calibration.scenarios.length} scenarios)`);
  out();
  out('| held out by scenario | Brier | ECE |');
  out('|---|---|---|');
  for (const [method, judged] of Object.entries(calibration.heldOut as Record<string, { brier: number; ece: number }>)) out(`| ${method} | ${judged.brier.toFixed(4)} | ${judged.ece.toFixed(4)} |`);
  out();
  const table = (title: string, bins: ReliabilityBin[]) => {
    out(title);
    out();
    out('| bin | mean predicted | observed attack share | rows | weight |');
    out('|---|---|---|---|---|');
    for (const bin of bins) out(`| [${bin.from.toFixed(2)}, ${bin.to.toFixed(2)}${bin.to === 1 ? ']' : ')'} | ${bin.count > 0 ? bin.meanPredicted.toFixed(3) : '—'} | ${bin.count > 0 ? bin.observedAttackShare.toFixed(3) : '—'} | ${bin.count} | ${bin.weight.toFixed(1)} |`);
    out();
  };
  table('Reliability of the shipped calibration on all out-of-fold rows (weighted to the 90 % benign prior):', calibration.reliability);
  table(`Reliability when each scenario is calibrated by a fit without it (${calibration.chosen}):`, calibration.heldOut[calibration.chosen].reliability);
}
out('### Top features by gain');
out();
out('| # | feature | gain share | splits |');
out('|---|---|---|---|');
(metrics.topFeatures as { feature: string; share: number; splits: number }[]).forEach((f, i) => out(`| ${i + 1} | ${f.feature} | ${pct(f.share)} | ${f.splits} |`));
out();
const heldOut = metrics.testSets['held-out'];
out(`CIC held-out 20 %: ${heldOut.rowsEvaluated} rows, accuracy ${pct(heldOut.accuracy)}, macro-F1 ${heldOut.macroF1.toFixed(4)}`);
out(`class weights: ${JSON.stringify(metrics.recipe.classWeights)}; training class counts ${JSON.stringify(metrics.training.classCounts)}`);
