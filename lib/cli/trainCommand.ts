/**
 * `netguard train`: labelled dataset files → a GBDT model directory (model.onnx, model.json,
 * metrics.json), with per-round progress on standard error and the test metrics on standard output.
 */
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DATASET_FORMAT_NAMES, type DatasetFormatName } from '../datasets/formats.ts';
import { formatEvaluation, formatImportance } from '../model/evaluate/evaluation.ts';
import type { RoundInfo } from '../model/train/trainedModel.ts';
import { runTraining, type TestSetSpec } from '../model/train/trainingRun.ts';
import { TARGET_KINDS, type TargetKind } from '../model/train/trainingTarget.ts';
import type { TrainConfigInput } from '../model/train/trainConfig.ts';
import type { Command } from './commands.ts';
import { expandListOptions } from './repeatedOptions.ts';
import { UsageError, wholeNumberOption } from './usage.ts';

export const trainHelp = `Usage:
  netguard train --dataset <file>... [options]

Trains a gradient-boosted tree model on labelled flow CSVs (NSL-KDD, CIC-IDS2017, improved
CIC-IDS2017, UNSW-NB15; plain or gzip) and writes model.onnx, model.json and metrics.json.

Options:
  --dataset <file>...      training files (one format, same columns)
  --format <name>          auto | ${DATASET_FORMAT_NAMES.join(' | ')} (default auto)
  --target <kind>          binary (benign vs attack) | family (attack families) |
                           multiclass (the dataset's own labels) (default family)
  --test <file>...         separate test files (e.g. KDDTest+); metrics are reported on them
  --test-fraction <f>      without --test: stratified share of the rows held out for the
                           metrics, seeded (default 0.2)
  --trees <n>              boosting rounds (default 100)
  --max-depth <n>          deepest node, root = 0 (default 6)
  --learning-rate <f>      shrinkage (default 0.3)
  --class-weights <w>      balanced | none (default none)
  --validation-fraction <f>  share of the training rows for the validation loss (default 0.1)
  --early-stopping <n>     stop after n rounds without validation improvement (default 0 = off)
  --decision-threshold <p> flag a row as an attack when 1 - P(benign) >= p, then take its most
                           probable attack class (stored in the model; default: argmax)
  --seed <n>               seed of every split and sample (default 42)
  --out <dir>              output directory (default trained_models/<first file>-<target>)
  --force                  replace the model files of a non-empty --out directory
  --quiet                  no progress on standard error
  -h, --help               this text`;

interface TrainArgs {
  trainPaths: string[];
  testPaths: string[];
  format: 'auto' | DatasetFormatName;
  target: TargetKind;
  testFraction: number | undefined;
  config: TrainConfigInput;
  decisionThreshold: number | undefined;
  outDir: string;
  force: boolean;
  quiet: boolean;
}

function fractionOption(name: string, text: string | undefined, min: number, max: number, minInclusive = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || (minInclusive ? value < min : value <= min) || value > max) {
    throw new UsageError(`--${name} must be a number ${minInclusive ? 'from' : 'above'} ${min} ${minInclusive ? 'to' : 'up to'} ${max}, got "${text}"`);
  }
  return value;
}

function firstFileStem(path: string): string {
  return basename(path).replace(/\.gz$/i, '').replace(/\.(csv|txt|arff)$/i, '').replace(/[^A-Za-z0-9_+-]+/g, '_');
}

function parseTrainArgs(args: string[]): TrainArgs | 'help' {
  const { values, positionals } = parseArgs({
    args: expandListOptions(args, ['dataset', 'test']),
    allowPositionals: true,
    options: {
      dataset: { type: 'string', multiple: true },
      test: { type: 'string', multiple: true },
      format: { type: 'string' },
      target: { type: 'string' },
      'test-fraction': { type: 'string' },
      trees: { type: 'string' },
      'max-depth': { type: 'string' },
      'learning-rate': { type: 'string' },
      'class-weights': { type: 'string' },
      'validation-fraction': { type: 'string' },
      'early-stopping': { type: 'string' },
      'decision-threshold': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; give training files with --dataset`);
  const trainPaths = values.dataset ?? [];
  if (trainPaths.length === 0) throw new UsageError('give at least one training file with --dataset');
  const format = values.format ?? 'auto';
  if (format !== 'auto' && !(DATASET_FORMAT_NAMES as string[]).includes(format)) {
    throw new UsageError(`unknown --format "${format}"; choose auto, ${DATASET_FORMAT_NAMES.join(', ')}`);
  }
  const target = values.target ?? 'family';
  if (!(TARGET_KINDS as readonly string[]).includes(target)) throw new UsageError(`unknown --target "${target}"; choose ${TARGET_KINDS.join(', ')}`);
  const classWeights = values['class-weights'] ?? 'none';
  if (classWeights !== 'balanced' && classWeights !== 'none') throw new UsageError(`--class-weights must be balanced or none, got "${classWeights}"`);
  const testPaths = values.test ?? [];
  const testFraction = fractionOption('test-fraction', values['test-fraction'], 0, 0.5);
  if (testPaths.length > 0 && testFraction !== undefined) throw new UsageError('give either --test files or --test-fraction, not both');
  const decisionThreshold = fractionOption('decision-threshold', values['decision-threshold'], 0, 1);
  if (decisionThreshold === 1) throw new UsageError('--decision-threshold must be below 1');
  const validationFraction = fractionOption('validation-fraction', values['validation-fraction'], 0, 0.5, true) ?? 0.1;
  const earlyStoppingRounds = wholeNumberOption('early-stopping', values['early-stopping'], 0) ?? 0;
  if (earlyStoppingRounds > 0 && validationFraction === 0) throw new UsageError('--early-stopping needs --validation-fraction above 0');
  const learningRate = fractionOption('learning-rate', values['learning-rate'], 0, 1);
  const config: TrainConfigInput = {
    trees: wholeNumberOption('trees', values.trees, 1, 100_000) ?? 100,
    maxDepth: wholeNumberOption('max-depth', values['max-depth'], 1, 64) ?? 6,
    classWeights,
    validationFraction,
    earlyStoppingRounds,
    seed: wholeNumberOption('seed', values.seed, 0, 2 ** 31 - 1) ?? 42,
    ...(learningRate !== undefined ? { learningRate } : {}),
  };
  return {
    trainPaths,
    testPaths,
    format: format as 'auto' | DatasetFormatName,
    target: target as TargetKind,
    testFraction,
    config,
    decisionThreshold,
    outDir: values.out ?? join('trained_models', `${firstFileStem(trainPaths[0]!)}-${target}`),
    force: values.force ?? false,
    quiet: values.quiet ?? false,
  };
}

/** One progress line per second at most, and always the last round. */
function roundReporter(totalRounds: number): (info: RoundInfo) => void {
  let lastPrinted = -Infinity;
  return (info) => {
    if (info.elapsedMs - lastPrinted < 1000 && info.round !== totalRounds && info.round !== 1) return;
    lastPrinted = info.elapsedMs;
    const valid = Number.isNaN(info.validLoss) ? '' : `  valid loss ${info.validLoss.toFixed(5)}`;
    process.stderr.write(`round ${String(info.round).padStart(String(totalRounds).length)}/${totalRounds}  train loss ${info.trainLoss.toFixed(5)}${valid}  ${(info.elapsedMs / 1000).toFixed(1)} s\n`);
  };
}

async function runTrain(args: TrainArgs): Promise<number> {
  const testSets: TestSetSpec[] = args.testPaths.length > 0 ? [{ name: args.testPaths.map((path) => basename(path)).join(' + '), paths: args.testPaths }] : [];
  const totalRounds = args.config.trees ?? 100;
  const result = await runTraining({
    trainPaths: args.trainPaths,
    format: args.format,
    target: args.target,
    config: args.config,
    testSets,
    testFraction: args.testFraction,
    outDir: args.outDir,
    force: args.force,
    decisionThreshold: args.decisionThreshold === undefined
      ? null
      : ({ benignClass }) => ({ benignClass, threshold: args.decisionThreshold!, method: 'given on the command line (--decision-threshold)', validation: {} }),
    onRound: args.quiet ? undefined : roundReporter(totalRounds),
    onLoaded: args.quiet
      ? undefined
      : (what, report) => process.stderr.write(
        `${what}: ${report.rows.toLocaleString('en-US')} rows × ${report.columns} features (${report.format}, ${report.variant})`
          + `${report.rowsDropped > 0 ? `, ${report.rowsDropped} malformed rows dropped` : ''} in ${(report.elapsedMs / 1000).toFixed(1)} s\n`,
      ),
  });
  const { metadata } = result;
  const out: string[] = [];
  out.push(`model ${metadata.versionId}: ${metadata.target.kind} over ${metadata.classNames.length} classes (${metadata.classNames.join(', ')}), `
    + `${metadata.featureNames.length} features (${metadata.featureFormat ?? 'no live'} format)`);
  out.push(`trained on ${metadata.trainingData.rowCount.toLocaleString('en-US')} rows (+${metadata.trainingData.validationRowCount.toLocaleString('en-US')} validation), `
    + `${result.model.rounds} rounds in ${(result.timings.trainMs / 1000).toFixed(1)} s`);
  for (const [name, report] of Object.entries(result.metrics)) {
    out.push('', formatEvaluation(report, `test set: ${name}`));
  }
  out.push('', formatImportance(result.importance, 15));
  const onnxBytes = (await stat(join(args.outDir, 'model.onnx'))).size;
  out.push('', `wrote ${join(args.outDir, 'model.onnx')} (${(onnxBytes / 1024).toFixed(0)} KB), model.json, metrics.json`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

export const trainCommand: Command = {
  help: trainHelp,
  async run(args) {
    const parsed = parseTrainArgs(args);
    if (parsed === 'help') {
      process.stdout.write(`${trainHelp}\n`);
      return 0;
    }
    return runTrain(parsed);
  },
};
