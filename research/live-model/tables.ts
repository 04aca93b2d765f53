/**
 * Prints the markdown tables of FINDINGS.md and trained_models/README.md from the shipped live
 * model's metrics.json (so the documents quote the artefact, not a console log).
 *
 *   npx tsx research/live-model/tables.ts [trained_models/live-corrected-family] [--variants]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ReliabilityBin } from '../../lib/model/score/calibration.ts';
import type { DetectionFigures } from '../../lib/model/train/liveFigures.ts';

const dir = resolve(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 'trained_models/live-corrected-family');
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

/** Train scenario → its eval twin where the names do not say it (the lab's scenario table pairs them). */
const TWINS: Record<string, string> = {
  'benign-lan-a': 'benign-lan-b', 'lo-benign-a': 'lo-benign-b', 'lo-scan-syn': 'lo-scan-connect', 'lo-brute-ssh': 'lo-brute-ftp',
  'brute-ftp-lan-21': 'brute-ftp-lan-2121', 'brute-ssh-lan-22': 'brute-ssh-lan-2222',
};
const short = (value: number | null | undefined) => (value === null || value === undefined ? '—' : (100 * value).toFixed(1));
const cell = (f: DetectionFigures | undefined) => {
  if (!f) return '— | — | —';
  const attack = f.attackFlows > 0 ? cuts.map((cut) => short(f.attackFlagged[cut])).join(' / ') : '—';
  return `${attack} | ${cuts.map((cut) => short(f.benignFlagged[cut])).join(' / ')} | ${short(f.familyAccuracy)}`;
};
const loso = metrics.leaveOneScenarioOut as Record<string, DetectionFigures>;
const evals = metrics.evalScenarios as Record<string, DetectionFigures>;
const paired = new Set<string>();
out('### Side by side: LOSO (train scenario) and eval twin, % of flows flagged at 0.5 / 0.7 / 0.85');
out();
out('| train scenario (LOSO) | attack flagged | benign flagged | family right | eval twin | attack flagged | benign flagged | family right |');
out('|---|---|---|---|---|---|---|---|');
for (const name of Object.keys(loso)) {
  const twin = TWINS[name] ?? Object.keys(evals).find((candidate) => candidate.startsWith(`${name}-`));
  if (twin) paired.add(twin);
  out(`| ${name} | ${cell(loso[name])} | ${twin ?? '—'} | ${cell(twin ? evals[twin] : undefined)} |`);
}
for (const name of Object.keys(evals).filter((candidate) => !paired.has(candidate))) out(`| — | — | — | — | ${name} | ${cell(evals[name])} |`);
out();
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

/**
 * `--variants`: one line per variant from experiments.jsonl (the latest run of each), pooled over
 * the LOSO scenarios: benign flows flagged / all benign flows, and the mean over attack scenarios
 * of the share of attack flows flagged, at 0.5 and 0.85.
 */
if (process.argv.includes('--variants')) {
  const lines = readFileSync(new URL('experiments.jsonl', import.meta.url), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const latest = new Map<string, (typeof lines)[number]>();
  for (const line of lines) if (line.scenarios.length >= 38) latest.set(line.variant, line);
  out();
  out('| variant | CIC macro-F1 | LOSO benign flagged 0.5 / 0.85 | LOSO attack flagged 0.5 / 0.85 (mean over scenarios) | calibration chosen | held-out ECE / Brier | top features |');
  out('|---|---|---|---|---|---|---|');
  for (const [name, line] of latest) {
    const figures = Object.values(line.leaveOneScenarioOut as Record<string, DetectionFigures>);
    const benignFlows = figures.reduce((sum, f) => sum + f.benignFlows, 0);
    const benignAt = (cut: string) => figures.reduce((sum, f) => sum + (f.benignFlagged[cut] ?? 0) * f.benignFlows, 0) / benignFlows;
    const attack = figures.filter((f) => f.attackFlows > 0);
    const attackAt = (cut: string) => attack.reduce((sum, f) => sum + (f.attackFlagged[cut] ?? 0), 0) / attack.length;
    const chosen = line.calibration as string;
    out(`| ${name} | ${line.cicMacroF1.toFixed(4)} | ${pct(benignAt('0.5'))} / ${pct(benignAt('0.85'))} | ${pct(attackAt('0.5'))} / ${pct(attackAt('0.85'))} | ${chosen} | ${line.ece[chosen].toFixed(4)} / ${line.brier[chosen].toFixed(4)} | ${line.topFeatures.slice(0, 3).join(', ')} |`);
  }
}
