/**
 * The measurements behind FINDINGS.md: the live recipe and its variants (classes kept or dropped,
 * benign share, excluded features put back), each judged on the leave-one-scenario-out figures
 * of the lab train scenarios and the CIC held-out macro-F1 — never on the eval scenarios. Eval
 * figures are printed for the record only (they are computed by every run anyway).
 *
 *   npx tsx research/live-model/variants.ts [variant ...]     (default: all; models go to /tmp/live-variants)
 *   npx tsx research/live-model/variants.ts domain            which features tell CIC benign flows from lab benign flows
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';
import { featureImportance } from '../../lib/model/evaluate/importance.ts';
import { findLabScenarios } from '../../lib/model/train/labFlows.ts';
import { SEVERITY_CUTS, type DetectionFigures } from '../../lib/model/train/liveFigures.ts';
import { LIVE_CLASS_OF_CIC_FAMILY, loadLiveData } from '../../lib/model/train/liveData.ts';
import { type LiveRecipe, trainLiveModel } from '../../lib/model/train/liveTraining.ts';
import { predictProbabilities, toRowMajor } from '../../lib/model/train/predict.ts';
import { trainGbdt } from '../../lib/model/train/trainGbdt.ts';
import { LAB_DIRECTORY, LIVE_RECIPE } from '../../scripts/trainLive.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const improvedDir = fileURLToPath(new URL('../../../shared/datasets/cic-ids2017/improved-cicids2017-rnd5000/', import.meta.url));
const cicPaths = readdirSync(improvedDir).filter((name) => name.endsWith('.csv.gz') && !name.startsWith('data_header')).sort().map((name) => join(improvedDir, name));

const variants: Record<string, LiveRecipe> = {
  recipe: LIVE_RECIPE,
  'keep-botnet-webattack': { ...LIVE_RECIPE, classOfCicFamily: { ...LIVE_CLASS_OF_CIC_FAMILY, Botnet: 'Botnet', WebAttack: 'WebAttack' } },
  'webattack-as-bruteforce': { ...LIVE_RECIPE, classOfCicFamily: { ...LIVE_CLASS_OF_CIC_FAMILY, WebAttack: 'BruteForce' } },
  'keep-heartbleed-infiltration': { ...LIVE_RECIPE, classOfCicFamily: { ...LIVE_CLASS_OF_CIC_FAMILY, Heartbleed: 'Heartbleed', Infiltration: 'Infiltration' } },
  'with-httpflood-attack-flows': { ...LIVE_RECIPE, attackFlowsNotTrained: [] },
  'benign-share-0.5': { ...LIVE_RECIPE, benignShare: 0.5 },
  'benign-share-0.97': { ...LIVE_RECIPE, benignShare: 0.97 },
  'restore-ports-windows': { ...LIVE_RECIPE, restoreFeatures: ['Dst Port', 'FWD Init Win Bytes', 'Bwd Init Win Bytes', 'Fwd Seg Size Min', 'Fwd Header Length', 'Bwd Header Length'] },
};

const percent = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${(100 * value).toFixed(1)}`);

function summary(figures: Record<string, DetectionFigures>): string {
  return Object.entries(figures)
    .map(([name, f]) => `${name}: atk ${SEVERITY_CUTS.map((cut) => percent(f.attackFlagged[String(cut)])).join('/')} ben ${SEVERITY_CUTS.map((cut) => percent(f.benignFlagged[String(cut)])).join('/')} fam ${percent(f.familyAccuracy)}`)
    .join('\n    ');
}

async function runVariant(name: string): Promise<void> {
  const recipe = variants[name];
  if (!recipe) throw new Error(`unknown variant ${name}; known: ${Object.keys(variants).join(', ')}, domain`);
  const labScenarios = await findLabScenarios(LAB_DIRECTORY);
  const result = await trainLiveModel({ recipe, cicPaths, labScenarios, outDir: join('/tmp/live-variants', name) });
  const heldOut = result.calibrationChoice?.heldOut;
  const line = {
    variant: name,
    at: new Date().toISOString(),
    scenarios: labScenarios.map((s) => `${s.truth.scenario}:${s.truth.split}`),
    cicMacroF1: result.cicTest.macroF1,
    calibration: result.calibrationChoice?.chosen ?? null,
    brier: heldOut ? Object.fromEntries(Object.entries(heldOut).map(([method, judged]) => [method, Number(judged.brier.toFixed(5))])) : null,
    ece: heldOut ? Object.fromEntries(Object.entries(heldOut).map(([method, judged]) => [method, Number(judged.ece.toFixed(5))])) : null,
    leaveOneScenarioOutRaw: result.leaveOneOutRaw,
    leaveOneScenarioOut: result.leaveOneOut,
    evalScenarios: result.evaluation,
    topFeatures: result.importance.slice(0, 10).map((f) => `${f.feature} ${(100 * f.share).toFixed(1)}%`),
  };
  appendFileSync(join(here, 'experiments.jsonl'), `${JSON.stringify(line)}\n`);
  process.stdout.write(`== ${name}: CIC macro-F1 ${result.cicTest.macroF1.toFixed(4)}, calibration ${line.calibration} Brier ${JSON.stringify(line.brier)} ECE ${JSON.stringify(line.ece)}\n`);
  process.stdout.write(`  LOSO (attack flagged / benign flagged at ${SEVERITY_CUTS.join('/')}, %):\n    ${summary(result.leaveOneOut)}\n`);
  process.stdout.write(`  eval (record only):\n    ${summary(result.evaluation)}\n`);
  process.stdout.write(`  top features: ${line.topFeatures.join(', ')}\n`);
}

/**
 * A lab-identification check: a binary model told to separate CIC benign flows from lab train
 * benign flows on the live features. What it needs to do that is what differs between the two
 * networks; if one feature did it alone, that feature would identify a lab.
 */
async function domainCheck(): Promise<void> {
  const labScenarios = (await findLabScenarios(LAB_DIRECTORY)).filter((s) => s.truth.split === 'train');
  const data = await loadLiveData({ cicPaths, labScenarios, maxAttackFlowsPerScenario: 3000, maxBenignFlowsPerScenario: 20000, cicTestFraction: 0.2, seed: 42 });
  const benignRows = Array.from(data.table.labelCodes.keys()).filter((row) => data.table.labelCodes[row] === 0);
  const rows = Int32Array.from(benignRows);
  const labelCodes = new Int32Array(data.table.rowCount);
  for (const row of benignRows) labelCodes[row] = data.groupOfRow[row] === 0 ? 0 : 1;
  const table = { ...data.table, labelCodes, labelNames: ['cic', 'lab'] };
  const even = rows.filter((_, i) => i % 2 === 0);
  const odd = rows.filter((_, i) => i % 2 === 1);
  const model = trainGbdt(table, { trees: 30, maxDepth: 3, learningRate: 0.3, seed: 42 }, { rows: even });
  const probabilities = predictProbabilities(model, toRowMajor(table.columns, odd));
  let right = 0;
  odd.forEach((row, i) => { if ((probabilities[i * 2 + 1]! >= 0.5 ? 1 : 0) === labelCodes[row]) right++; });
  process.stdout.write(`CIC benign vs lab benign: ${even.length} training rows, held-out accuracy ${(100 * right / odd.length).toFixed(2)} % on ${odd.length}\n`);
  for (const f of featureImportance(model).slice(0, 10)) process.stdout.write(`  ${f.feature.padEnd(28)} ${(100 * f.share).toFixed(1)} % (${f.splits} splits)\n`);
}

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(variants)) {
  if (name === 'domain') await domainCheck();
  else await runVariant(name);
}
