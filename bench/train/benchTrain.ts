/**
 * `npm run bench:train`: our histogram GBDT against python3-xgboost (tree_method hist) at equal
 * settings, in one process tree, one after the other (never concurrently, the box has 2 cores).
 *   NSL-KDD   binary, trained on KDDTrain+ only; accuracy on KDDTest+ / KDDTest-21 at 0.5 and at
 *             the leave-family-out novelty threshold (lib/model/train/noveltyRecipe.ts), for both.
 *   CIC-IDS2017 improved samples: multiclass on the fine labels, stratified 80/20 hash split
 *             (seed 42, lib/model/train/rowHash.ts = xgboostBaseline.py mix32) → macro-F1.
 *   ONNX      scoring rows/s of the exported NSL-KDD model through the Scorer, in batches.
 * Options: --trees N --depth N --eta X --xgb-threads N (default 1: our trainer is single-threaded)
 *          --skip-novelty (faster: no fold training) --only nsl|cic
 * Data loading is excluded from every training time.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadDataset } from '../../lib/datasets/loadDataset.ts';
import type { FeatureTable } from '../../lib/datasets/featureTable.ts';
import { applyDecisionThreshold, DECISION_THRESHOLD_KEY } from '../../lib/model/score/decisionThreshold.ts';
import { classificationReport } from '../../lib/model/evaluate/metrics.ts';
import { rowFamilies, toBenignVsAttack } from '../../lib/model/train/noveltyRecipe.ts';
import { chooseNoveltyThreshold, noveltyFolds, scoreNoveltyFolds } from '../../lib/model/train/noveltyThreshold.ts';
import { exportModel } from '../../lib/model/export/onnxExport.ts';
import { predictProbabilities, toRowMajor } from '../../lib/model/train/predict.ts';
import { stratifiedHoldout } from '../../lib/model/train/rowHash.ts';
import { Scorer } from '../../lib/model/score/scorer.ts';
import { trainGbdt } from '../../lib/model/train/trainGbdt.ts';
import type { TrainConfigInput } from '../../lib/model/train/trainConfig.ts';

const run = promisify(execFile);
const DATASETS = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
const XGBOOST_SCRIPT = fileURLToPath(new URL('./xgboostBaseline.py', import.meta.url));
const NSL = {
  train: join(DATASETS, 'nsl-kdd/KDDTrain+.txt.gz'),
  tests: { 'KDDTest+': join(DATASETS, 'nsl-kdd/KDDTest+.txt.gz'), 'KDDTest-21': join(DATASETS, 'nsl-kdd/KDDTest-21.txt.gz') },
};
const CIC_DIR = join(DATASETS, 'cic-ids2017/improved-cicids2017-rnd5000');
const SPLIT_SEED = 42;
/** Second operating point: at most 2 % of held-out normal rows flagged in validation. */
const FALSE_ALARM_BUDGET = 0.02;

interface Options { trees: number; depth: number; eta: number; xgbThreads: number; novelty: boolean; only: string | null }

function parseOptions(argv: string[]): Options {
  const options: Options = { trees: 100, depth: 6, eta: 0.3, xgbThreads: 1, novelty: true, only: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined || Number.isNaN(Number(next)) && arg !== '--only') throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--trees') options.trees = Number(value());
    else if (arg === '--depth') options.depth = Number(value());
    else if (arg === '--eta') options.eta = Number(value());
    else if (arg === '--xgb-threads') options.xgbThreads = Number(value());
    else if (arg === '--skip-novelty') options.novelty = false;
    else if (arg === '--only') options.only = value();
    else throw new Error(`Unknown option '${arg}'. Options: --trees N --depth N --eta X --xgb-threads N --skip-novelty --only nsl|cic`);
  }
  return options;
}

function pythonWithXgboost(): string | null {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (candidate.startsWith('/') && !existsSync(candidate)) continue;
    return candidate;
  }
  return null;
}

async function xgboost(args: string[], options: Options): Promise<Record<string, unknown> | null> {
  const python = pythonWithXgboost();
  if (!python) return null;
  const common = ['--trees', String(options.trees), '--depth', String(options.depth), '--eta', String(options.eta), '--bins', '256', '--threads', String(options.xgbThreads), '--seed', String(SPLIT_SEED)];
  try {
    const { stdout } = await run(python, [XGBOOST_SCRIPT, ...args, ...common], { maxBuffer: 16 << 20 });
    return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  } catch (error) {
    const message = (error as { stderr?: string }).stderr ?? (error as Error).message;
    console.error(`xgboost reference not run (${python} ${XGBOOST_SCRIPT}): ${message.trim().split('\n').pop()}`);
    return null;
  }
}

function ourConfig(options: Options): TrainConfigInput {
  // maxBins 255 value bins + 1 missing bin ≈ xgboost max_bin 256; lambda/minChildWeight are both sides' defaults.
  return { trees: options.trees, maxDepth: options.depth, learningRate: options.eta, maxBins: 255, lambda: 1, minChildWeight: 1, seed: SPLIT_SEED };
}

/** Accuracy of "attack when P(attack) ≥ threshold", and the share of benign rows flagged. */
function binaryOutcome(probabilities: Float32Array, table: FeatureTable, benignCode: number, threshold: number): { accuracy: number; benignFlagged: number } {
  let correct = 0;
  let benignRows = 0;
  let benignFlagged = 0;
  for (let i = 0; i < table.rowCount; i++) {
    const flagged = probabilities[i * 2 + 1]! >= threshold;
    const benign = table.labelCodes[i] === benignCode;
    if (flagged !== benign) correct++;
    if (benign) {
      benignRows++;
      if (flagged) benignFlagged++;
    }
  }
  return { accuracy: correct / table.rowCount, benignFlagged: benignRows > 0 ? benignFlagged / benignRows : NaN };
}

type Row = [string, string, string, string, string, string, string, string, string, string, string];

/** Wall and CPU seconds of a synchronous call: CPU time says more than wall time on a shared box. */
function timed<T>(work: () => T): { value: T; wall: number; cpu: number } {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const value = work();
  const cpu = process.cpuUsage(cpuStarted);
  return { value, wall: (performance.now() - started) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}
const rows: Row[] = [];
const fmt = (value: number | undefined, digits = 4) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? '—' : (a / b).toFixed(2));

async function benchNslKdd(options: Options): Promise<{ model: ReturnType<typeof trainGbdt>; table: FeatureTable; threshold: number | null; benignClass: string }> {
  const { table: fine } = await loadDataset([NSL.train]);
  const tests: Record<string, FeatureTable> = {};
  for (const [name, path] of Object.entries(NSL.tests)) {
    // The training dictionaries keep their codes; values new in the test files are appended.
    tests[name] = (await loadDataset([path], { categories: fine.categories, labelNames: fine.labelNames })).table;
  }
  const config = ourConfig(options);
  const { binaryTable, benignClass } = toBenignVsAttack(fine);
  const { value: model, wall: oursSeconds, cpu: oursCpu } = timed(() => trainGbdt(binaryTable, config));

  let threshold: number | null = null;
  let budgetThreshold: number | null = null;
  let noveltySeconds: number | undefined;
  if (options.novelty) {
    const { families, familyOfRow } = rowFamilies(fine);
    const { value: scored, wall } = timed(() => scoreNoveltyFolds(binaryTable, benignClass, noveltyFolds(familyOfRow, families, SPLIT_SEED), config));
    noveltySeconds = wall;
    const balanced = chooseNoveltyThreshold(scored);
    const budgeted = chooseNoveltyThreshold(scored, { maxBenignFlagged: FALSE_ALARM_BUDGET });
    threshold = balanced.threshold;
    budgetThreshold = budgeted.threshold;
    const folds = (choice: typeof balanced) => choice.folds.map((f) => `${f.family} kept ${f.benignKept.toFixed(3)} flagged ${f.novelFlagged.toFixed(3)}`).join('; ');
    console.log(`ours novelty threshold ${threshold.toExponential(3)}: validation balanced accuracy ${balanced.balancedAccuracy.toFixed(4)} (at 0.5: ${balanced.balancedAccuracyAtHalf.toFixed(4)}); ${folds(balanced)}`);
    console.log(`ours threshold within a ${FALSE_ALARM_BUDGET} false-alarm budget ${budgetThreshold.toExponential(3)}: validation balanced accuracy ${budgeted.balancedAccuracy.toFixed(4)}; ${folds(budgeted)}`);
  }

  const xgbArgs = ['nsl-kdd', '--train', NSL.train, ...Object.values(NSL.tests).flatMap((path) => ['--test', path])];
  if (options.novelty) xgbArgs.push('--novelty-threshold', '--false-alarm-budget', String(FALSE_ALARM_BUDGET));
  const reference = await xgboost(xgbArgs, options);
  interface XgbTest { accuracyAtHalf: number; accuracyAtNoveltyThreshold?: number; normalsFlaggedAtNoveltyThreshold?: number; accuracyAtBudgetThreshold?: number; normalsFlaggedAtBudgetThreshold?: number }
  const xgbTests = (reference?.tests ?? {}) as Record<string, XgbTest>;
  const xgbSeconds = reference?.trainSeconds as number | undefined;
  const xgbCpu = reference?.trainCpuSeconds as number | undefined;
  const xgbNovelty = reference?.novelty as { threshold: number; budgetThreshold?: number; seconds: number } | undefined;
  if (xgbNovelty) console.log(`xgboost novelty threshold ${xgbNovelty.threshold.toExponential(3)}, within the budget ${xgbNovelty.budgetThreshold?.toExponential(3)}`);

  const benign = fine.labelNames.indexOf(benignClass);
  for (const [name, test] of Object.entries(tests)) {
    const probabilities = predictProbabilities(model, toRowMajor(test.columns));
    const ours = binaryOutcome(probabilities, test, benign, 0.5);
    const reference = xgbTests[name];
    rows.push([`NSL-KDD ${name}`, 'accuracy @0.5', fmt(ours.accuracy), fmt(reference?.accuracyAtHalf), ratio(ours.accuracy, reference?.accuracyAtHalf), fmt(oursSeconds, 2), fmt(xgbSeconds, 2), ratio(oursSeconds, xgbSeconds), fmt(oursCpu, 2), fmt(xgbCpu, 2), ratio(oursCpu, xgbCpu)]);
    if (threshold !== null && budgetThreshold !== null) {
      const novel = binaryOutcome(probabilities, test, benign, threshold);
      const budget = binaryOutcome(probabilities, test, benign, budgetThreshold);
      rows.push([`NSL-KDD ${name}`, 'accuracy @novelty thr', fmt(novel.accuracy), fmt(reference?.accuracyAtNoveltyThreshold), ratio(novel.accuracy, reference?.accuracyAtNoveltyThreshold), fmt(noveltySeconds, 1), fmt(xgbNovelty?.seconds, 1), ratio(noveltySeconds, xgbNovelty?.seconds), '', '', '']);
      rows.push([`NSL-KDD ${name}`, '  normals flagged', fmt(novel.benignFlagged), fmt(reference?.normalsFlaggedAtNoveltyThreshold), '', '', '', '', '', '', '']);
      rows.push([`NSL-KDD ${name}`, `accuracy @budget ${FALSE_ALARM_BUDGET}`, fmt(budget.accuracy), fmt(reference?.accuracyAtBudgetThreshold), ratio(budget.accuracy, reference?.accuracyAtBudgetThreshold), '', '', '', '', '', '']);
      rows.push([`NSL-KDD ${name}`, '  normals flagged', fmt(budget.benignFlagged), fmt(reference?.normalsFlaggedAtBudgetThreshold), '', '', '', '', '', '', '']);
    }
  }
  return { model, table: binaryTable, threshold, benignClass };
}

async function benchCic(options: Options): Promise<void> {
  const files = readdirSync(CIC_DIR).filter((name) => name.endsWith('.csv.gz') && !name.startsWith('data_header_reference')).sort().map((name) => join(CIC_DIR, name));
  const { table } = await loadDataset(files);
  const { trainRows, heldOutRows } = stratifiedHoldout(table.labelCodes, table.labelNames.length, 1, SPLIT_SEED);
  const { value: model, wall: oursSeconds, cpu: oursCpu } = timed(() => trainGbdt(table, { ...ourConfig(options), objective: 'multiclass' }, { rows: trainRows }));
  const truth = new Int32Array(heldOutRows.length);
  for (let i = 0; i < truth.length; i++) truth[i] = table.labelCodes[heldOutRows[i]!]!;
  const report = classificationReport(truth, predictProbabilities(model, toRowMajor(table.columns, heldOutRows)), table.labelNames.length);
  const reference = await xgboost(['cic-improved', ...files], options);
  if (reference && (reference.trainRows !== trainRows.length || reference.testRows !== heldOutRows.length)) {
    console.error(`WARNING: split differs: ours ${trainRows.length}/${heldOutRows.length} rows, xgboost ${String(reference.trainRows)}/${String(reference.testRows)}`);
  }
  const xgbSeconds = reference?.trainSeconds as number | undefined;
  const xgbCpu = reference?.trainCpuSeconds as number | undefined;
  rows.push(['CIC-IDS2017 improved', 'macro-F1 (80/20)', fmt(report.macroF1), fmt(reference?.macroF1 as number | undefined), ratio(report.macroF1, reference?.macroF1 as number | undefined), fmt(oursSeconds, 2), fmt(xgbSeconds, 2), ratio(oursSeconds, xgbSeconds), fmt(oursCpu, 2), fmt(xgbCpu, 2), ratio(oursCpu, xgbCpu)]);
  rows.push(['CIC-IDS2017 improved', 'accuracy (80/20)', fmt(report.accuracy), fmt(reference?.accuracy as number | undefined), ratio(report.accuracy, reference?.accuracy as number | undefined), '', '', '', '', '', '']);
}

/** Rows/s through the real scoring path: exported files → Scorer → decision threshold. */
async function benchOnnx(model: ReturnType<typeof trainGbdt>, table: FeatureTable, threshold: number | null, benignClass: string): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'netguard-bench-'));
  try {
    const decision = { benignClass, threshold: threshold ?? 0.5, method: 'bench', validation: {} };
    await exportModel(model, table, directory, { metrics: { [DECISION_THRESHOLD_KEY]: decision } });
    const batchRows = 65_536;
    const all = toRowMajor(table.columns);
    const batch = all.subarray(0, batchRows * table.featureNames.length);
    const labels = new Int32Array(batchRows);
    // 1 intra-op thread is the Scorer's default (a core stays with capture); 2 is the whole box.
    for (const threads of [1, 2]) {
      const scorer = await Scorer.load(directory, { intraOpNumThreads: threads });
      for (let i = 0; i < 3; i++) await scorer.score(batch);
      let scored = 0;
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      while (performance.now() - started < 3000) {
        const result = await scorer.score(batch);
        applyDecisionThreshold(result.probabilities, result.classNames, decision, labels);
        scored += batchRows;
      }
      const rate = scored / ((performance.now() - started) / 1000);
      const cpu = process.cpuUsage(cpuStarted);
      await scorer.close();
      console.log(`ONNX scoring (NSL-KDD binary model, ${model.forest.treeCount} trees, onnxruntime-node via Scorer + threshold, batches of ${batchRows}, `
        + `${threads} intra-op thread${threads > 1 ? 's' : ''}): ${Math.round(rate).toLocaleString('en')} rows/s, `
        + `${((cpu.user + cpu.system) / 1e6 / (scored / 1e6)).toFixed(2)} CPU s per million rows (target 1,000,000 rows/s)`);
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  console.log(`bench:train  trees=${options.trees} depth=${options.depth} eta=${options.eta} bins=255+missing (xgboost max_bin 256) xgboost threads=${options.xgbThreads}, ours single-threaded`);
  if (!pythonWithXgboost()) console.log('python3 not found: xgboost columns stay empty');
  let nsl: Awaited<ReturnType<typeof benchNslKdd>> | null = null;
  if (options.only !== 'cic') nsl = await benchNslKdd(options);
  if (options.only !== 'nsl') await benchCic(options);
  const header: Row = ['dataset', 'metric', 'ours', 'xgboost', 'ratio', 'wall s ours', 'wall s xgb', 'ratio', 'cpu s ours', 'cpu s xgb', 'ratio'];
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => row[c]!.length)));
  console.log('');
  for (const row of [header, ...rows]) console.log(row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  console.log('(NSL-KDD: one model per column; "@novelty thr" = threshold with the best leave-family-out balanced accuracy, "@budget" = the same within the false-alarm budget; wall s on the novelty row = the 4 fold trainings)');
  const speed = rows.filter((row) => row[10] !== '' && row[10] !== '—' && row[1] !== 'accuracy (80/20)');
  const seen = new Set<string>();
  console.log('');
  for (const row of speed) {
    const name = row[0].startsWith('NSL-KDD') ? 'NSL-KDD binary' : row[0];
    if (seen.has(name)) continue;
    seen.add(name);
    console.log(`training CPU time ${name}: ours ${row[8]} s, xgboost ${row[9]} s → ${row[10]}× (target ≤ 2×); wall ${row[5]} s vs ${row[6]} s → ${row[7]}×`);
  }
  if (nsl) await benchOnnx(nsl.model, nsl.table, nsl.threshold, nsl.benignClass);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
