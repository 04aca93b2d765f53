/**
 * The whole training workflow behind `netguard train` and `npm run train:shipped`: load labelled
 * files → map labels to the target (binary / family / multiclass) → hold out a stratified test
 * split (or load separate test files) → train → export model.onnx → score every test set with
 * the exported model through onnxruntime (so the metrics are those of the shipped artefact, and
 * `netguard evaluate` on the same file reproduces them) → write model.json (scorer metadata +
 * target, fine classes, threshold, data sources, metrics) and metrics.json.
 *
 * The output directory is filled from a sibling `<out>.partial` directory, file by file with
 * rename, so a watcher never reads half a model.
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fingerprintSources } from '../../datasets/columnarCache.ts';
import type { FeatureTable } from '../../datasets/featureTable.ts';
import type { DatasetFormatName } from '../../datasets/formats.ts';
import { loadDataset, type LoadReport } from '../../datasets/loadDataset.ts';
import { DECISION_THRESHOLD_KEY, type DecisionThreshold } from '../score/decisionThreshold.ts';
import { evaluatePredictions, type EvaluationReport } from '../evaluate/evaluation.ts';
import { featureImportance, type FeatureImportance } from '../evaluate/importance.ts';
import type { ModelMetadata } from '../export/modelMetadata.ts';
import { buildModelMetadata, modelToOnnx } from '../export/onnxExport.ts';
import { Scorer } from '../score/scorer.ts';
import { inModelFeatureOrder, scoreTable, truthCodes } from '../evaluate/scoreTable.ts';
import type { TargetMetadata } from './targetMetadata.ts';
import type { TrainConfigInput } from './trainConfig.ts';
import type { RoundInfo, TrainedModel } from './trainedModel.ts';
import { stratifiedSplit, trainGbdt } from './trainGbdt.ts';
import { benignClassOf, retargetTable, targetClassFamilies, type TargetKind } from './trainingTarget.ts';

/** Name of the test set cut from the training files when no test files are given. */
export const HELD_OUT_TEST_SET = 'held-out';

/** Offset from the config seed for the test split, so it is not the validation split's draw. */
const TEST_SPLIT_SEED_OFFSET = 7919;

export interface TestSetSpec {
  /** Shown in reports and used as the key in metrics.json, e.g. 'KDDTest+'. */
  name: string;
  paths: string[];
}

/** What a decision-threshold recipe (e.g. noveltyThreshold.ts) gets to choose its threshold from. */
export interface ThresholdContext {
  /** The training rows with their fine labels (attack families can be derived from them). */
  fineTable: FeatureTable;
  /** The same rows labelled with the target classes. */
  table: FeatureTable;
  /** Rows the model is trained on (the held-out test rows excluded). */
  trainRows: Int32Array;
  config: TrainConfigInput;
  benignClass: string;
}

/** A fixed threshold, or a recipe that picks one from the training data only. */
export type DecisionThresholdSource = DecisionThreshold | ((context: ThresholdContext) => DecisionThreshold);

export interface TrainingRunOptions {
  trainPaths: string[];
  /** Dataset format of every file ('auto' detects). */
  format?: 'auto' | DatasetFormatName;
  target: TargetKind;
  /** Trainer parameters (lib/model/train/trainConfig.ts). */
  config?: TrainConfigInput;
  /** Separate test files; when empty, `testFraction` of the training rows is held out instead. */
  testSets?: TestSetSpec[];
  /** Stratified, seeded share of the training rows held out as the test set (default 0.2). */
  testFraction?: number;
  outDir: string;
  /** Replace the model files of a non-empty `outDir`. */
  force?: boolean;
  /**
   * Flag a row when 1 − P(benign) ≥ threshold (decisionThreshold.ts). Stored in model.json
   * (`metrics.decisionThreshold`) so every scorer of the model applies the same rule, and used
   * for the reported metrics. null/undefined = argmax.
   */
  decisionThreshold?: DecisionThresholdSource | null;
  /** Metadata timestamp (tests fix it; the ONNX bytes never depend on it). */
  createdAt?: Date;
  onRound?(info: RoundInfo): void;
  /** Called after each dataset load ('train' or a test set name). */
  onLoaded?(what: string, report: LoadReport): void;
}

export interface TrainingRunResult {
  outDir: string;
  metadata: ModelMetadata & TargetMetadata;
  /** Test set name → evaluation of the exported model. */
  metrics: Record<string, EvaluationReport>;
  importance: FeatureImportance[];
  model: TrainedModel;
  trainReport: LoadReport;
  timings: { loadMs: number; trainMs: number; evaluateMs: number; totalMs: number };
}

/** Files a training run writes; with --force only these are replaced in an existing directory. */
export const MODEL_FILES = ['model.onnx', 'model.json', 'metrics.json'] as const;

export async function runTraining(options: TrainingRunOptions): Promise<TrainingRunResult> {
  const started = performance.now();
  await checkOutputDirectory(options.outDir, options.force ?? false);
  const testSets = options.testSets ?? [];
  const testFraction = options.testFraction ?? 0.2;
  if (testSets.length === 0 && !(testFraction > 0 && testFraction < 1)) {
    throw new Error(`testFraction must be above 0 and below 1 when no test files are given, got ${testFraction}`);
  }

  const loaded = await loadDataset(options.trainPaths, { format: options.format ?? 'auto' });
  options.onLoaded?.('train', loaded.report);
  const { table, fineClasses } = retargetTable(loaded.table, options.target);
  if (table.labelNames.length < 2) {
    throw new Error(`The training data has one ${options.target} class only (${table.labelNames.join(', ')}); a classifier needs at least two`);
  }
  const format = table.sourceFormat as DatasetFormatName;
  const seed = options.config?.seed ?? 42;

  let trainRows: Int32Array | undefined;
  const tests: { name: string; table: FeatureTable; rows?: Int32Array; files: { file: string; bytes: number }[] }[] = [];
  if (testSets.length === 0) {
    const all = new Int32Array(table.rowCount);
    for (let i = 0; i < all.length; i++) all[i] = i;
    const split = stratifiedSplit(table.labelCodes, all, testFraction, seed + TEST_SPLIT_SEED_OFFSET, table.labelNames.length);
    trainRows = split.trainRows;
    // The fine-label table: test truth is always mapped from the dataset's own labels.
    tests.push({ name: HELD_OUT_TEST_SET, table: loaded.table, rows: split.validationRows, files: [] });
  } else {
    for (const spec of testSets) {
      // The model's dictionaries keep their codes; values new to the test file are appended.
      const test = await loadDataset(spec.paths, { format, categories: table.categories });
      options.onLoaded?.(spec.name, test.report);
      tests.push({ name: spec.name, table: inModelFeatureOrder(test.table, table.featureNames), files: await describeFiles(spec.paths) });
    }
  }
  const loadMs = performance.now() - started;

  const benignClass = benignClassOf(format);
  let decision: DecisionThreshold | null = null;
  if (typeof options.decisionThreshold === 'function') {
    const rows = trainRows ?? Int32Array.from({ length: table.rowCount }, (_, i) => i);
    decision = options.decisionThreshold({ fineTable: loaded.table, table, trainRows: rows, config: options.config ?? {}, benignClass });
  } else if (options.decisionThreshold) {
    decision = options.decisionThreshold;
  }
  if (decision && !table.labelNames.includes(decision.benignClass)) {
    throw new Error(`The decision threshold's benign class '${decision.benignClass}' is not a class of this model (${table.labelNames.join(', ')})`);
  }

  const model = trainGbdt(table, options.config ?? {}, { rows: trainRows, onRound: options.onRound });
  const trainMs = model.trainingMs;

  const evaluateStarted = performance.now();
  const onnxBytes = modelToOnnx(model);
  const target: TargetMetadata = {
    target: { kind: options.target, fineClasses },
    dataSources: {
      fingerprint: await fingerprintSources(options.trainPaths, { format: options.format ?? 'auto' }),
      train: await describeFiles(options.trainPaths),
      tests: Object.fromEntries(tests.map((test) => [test.name, test.files])),
    },
  };
  const classFamilies = targetClassFamilies(model.classNames, fineClasses, options.target);
  const staging = `${options.outDir.replace(/\/+$/, '')}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const writeMetadata = async (evaluations: Record<string, EvaluationReport>) => {
    const metrics: Record<string, unknown> = { ...evaluations };
    if (decision) metrics[DECISION_THRESHOLD_KEY] = decision;
    const metadata = {
      ...buildModelMetadata(model, table, onnxBytes, { classFamilies, metrics, createdAt: options.createdAt }),
      ...target,
    };
    await writeFile(join(staging, 'model.json'), `${JSON.stringify(metadata, null, 2)}\n`);
    return metadata;
  };
  await writeFile(join(staging, 'model.onnx'), onnxBytes);
  await writeMetadata({});

  const metrics: Record<string, EvaluationReport> = {};
  const scorer = await Scorer.load(staging);
  try {
    for (const test of tests) {
      const probabilities = await scoreTable(scorer, test.table, test.rows);
      const { truth, unmatched } = truthCodes(test.table, model.classNames, options.target, test.rows);
      metrics[test.name] = evaluatePredictions({ truth, probabilities, classNames: model.classNames, decision, unmatchedLabels: unmatched });
    }
  } finally {
    await scorer.close();
  }
  const metadata = await writeMetadata(metrics);
  const importance = featureImportance(model);
  await writeFile(join(staging, 'metrics.json'), `${JSON.stringify(metricsFile(metadata, metrics, importance, loaded.report, decision), null, 2)}\n`);
  await publish(staging, options.outDir);
  const evaluateMs = performance.now() - evaluateStarted;
  return {
    outDir: options.outDir,
    metadata,
    metrics,
    importance,
    model,
    trainReport: loaded.report,
    timings: { loadMs, trainMs, evaluateMs, totalMs: performance.now() - started },
  };
}

function metricsFile(
  metadata: ModelMetadata & TargetMetadata,
  metrics: Record<string, EvaluationReport>,
  importance: FeatureImportance[],
  trainReport: LoadReport,
  decision: DecisionThreshold | null,
) {
  return {
    versionId: metadata.versionId,
    createdAt: metadata.createdAt,
    target: metadata.target.kind,
    classNames: metadata.classNames,
    decisionThreshold: decision,
    training: {
      files: metadata.dataSources.train,
      rowsLoaded: trainReport.rows,
      rowsDropped: trainReport.rowsDropped,
      trainRows: metadata.trainingData.rowCount,
      validationRows: metadata.trainingData.validationRowCount,
      classCounts: metadata.trainingData.classCounts,
      rounds: metadata.trainer.rounds,
      roundsTrained: metadata.trainer.roundsTrained,
      trainingMs: Math.round(metadata.trainer.trainingMs),
      config: metadata.trainer.config,
    },
    testSets: metrics,
    topFeatures: importance.slice(0, 15),
  };
}

async function describeFiles(paths: readonly string[]): Promise<{ file: string; bytes: number }[]> {
  return Promise.all(paths.map(async (path) => ({ file: basename(path), bytes: (await stat(path)).size })));
}

/** Refuses a non-empty output directory unless forced, before any time is spent training. */
async function checkOutputDirectory(outDir: string, force: boolean): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(outDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new Error(`Output ${outDir} is a file, not a directory`);
    throw error;
  }
  if (entries.length > 0 && !force) {
    const what = entries.includes('model.json') ? 'already holds a model' : `is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''})`;
    throw new Error(`Output directory ${outDir} ${what}; choose another --out or pass --force to replace its model files`);
  }
}

/** Moves the staged files into `outDir` one rename each (other files there are left alone). */
async function publish(staging: string, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  for (const name of MODEL_FILES) await rename(join(staging, name), join(outDir, name));
  await rm(staging, { recursive: true, force: true });
}
