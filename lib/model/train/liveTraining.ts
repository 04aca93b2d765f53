/**
 * The live model's recipe (npm run train:live): CIC-IDS2017 improved samples + lab train
 * scenarios (liveData.ts), live features only (liveFeatures.ts), benign-heavy class weights,
 * then
 *  1. leave-one-scenario-out: per lab train scenario, a model trained on everything else scores
 *     that scenario's flows (out-of-fold scores);
 *  2. calibration of 1 − P(benign) on those out-of-fold scores only: isotonic and Platt are both
 *     fitted, compared by expected calibration error (and Brier score, recorded) when each
 *     scenario's scores are calibrated by a fit on the other scenarios, and the better method is
 *     refitted on all of them;
 *  3. the shipped model on all training rows, exported to ONNX, and scored through onnxruntime on
 *     the CIC test split and on every eval scenario (never trained on, never calibrated with).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { THREAT_CATEGORY_OF_FAMILY } from '../../datasets/families.ts';
import {
  type AttackCalibration, brierScore, calibrateAttackProbability, expectedCalibrationError, fitIsotonic, fitPlatt,
  type ReliabilityBin, reliabilityTable,
} from '../score/calibration.ts';
import { evaluatePredictions, type EvaluationReport } from '../evaluate/evaluation.ts';
import { featureImportance, type FeatureImportance } from '../evaluate/importance.ts';
import { type LabScenario } from './labFlows.ts';
import { LIVE_EXCLUDED_FEATURES } from './liveFeatures.ts';
import { type DetectionFigures, detectionFigures } from './liveFigures.ts';
import { LIVE_BENIGN_CLASS, type LiveData, loadLiveData, priorClassWeights, trainingRows } from './liveData.ts';
import type { ModelMetadata } from '../export/modelMetadata.ts';
import { buildModelMetadata, modelToOnnx } from '../export/onnxExport.ts';
import { predictProbabilities, toRowMajor } from './predict.ts';
import { Scorer } from '../score/scorer.ts';
import type { TargetMetadata } from './targetMetadata.ts';
import { parseTrainConfig, type TrainConfigInput } from './trainConfig.ts';
import type { TrainedModel } from './trainedModel.ts';
import { stratifiedSplit, trainGbdt } from './trainGbdt.ts';

export interface LiveRecipe {
  /** Trainer parameters; classWeights are set by the recipe (benignShare). */
  config: TrainConfigInput;
  /** Share of the total training weight carried by benign rows. */
  benignShare: number;
  maxAttackFlowsPerScenario: number;
  maxBenignFlowsPerScenario: number;
  cicTestFraction: number;
  classOfCicFamily?: Readonly<Record<string, string | null>>;
  /** Research only: excluded features put back (liveFeatures.ts); the shipped recipe has none. */
  restoreFeatures?: readonly string[];
  /** Train scenarios whose attack flows are not trained on or calibrated with (liveData.ts). */
  attackFlowsNotTrained?: readonly string[];
  /** Calibrations compared on the held-out folds; the one with the lowest expected calibration error is shipped. */
  calibrationCandidates: readonly CalibrationCandidate[];
}

export interface LiveTrainingOptions {
  recipe: LiveRecipe;
  cicPaths: string[];
  labScenarios: LabScenario[];
  outDir: string;
  createdAt?: Date;
  log?(line: string): void;
}

/** A calibration method with its settings, as compared on the held-out folds. */
export interface CalibrationCandidate {
  /** e.g. 'isotonic', 'isotonic, ≥ 100 rows per step', 'platt'. */
  name: string;
  method: AttackCalibration['method'];
  /** Isotonic only: smallest number of out-of-fold rows a step may rest on. */
  minRowsPerStep?: number;
}

export interface CalibrationChoice {
  /** The candidate chosen (lowest held-out expected calibration error). */
  chosen: string;
  method: AttackCalibration['method'];
  /** How each candidate (and the raw score) did when every scenario was calibrated by a fit without it. */
  heldOut: Record<string, { brier: number; ece: number; reliability: ReliabilityBin[] }>;
  /** The chosen calibration refitted on all out-of-fold scores, and its reliability there. */
  reliability: ReliabilityBin[];
  rows: number;
  scenarios: string[];
  weighting: string;
}

export interface LiveTrainingResult {
  metadata: ModelMetadata & TargetMetadata;
  calibration: AttackCalibration | null;
  calibrationChoice: CalibrationChoice | null;
  /** Lab train scenario → its out-of-fold figures (calibrated by a fit without it). */
  leaveOneOut: Record<string, DetectionFigures>;
  /** The same on the raw attack probability 1 − P(benign). */
  leaveOneOutRaw: Record<string, DetectionFigures>;
  /** Eval scenario → figures of the shipped model (final calibration). */
  evaluation: Record<string, DetectionFigures>;
  cicTest: EvaluationReport;
  importance: FeatureImportance[];
  timings: { loadMs: number; foldsMs: number; trainMs: number; totalMs: number };
}

export const LIVE_MODEL_FILES = ['model.onnx', 'model.json', 'metrics.json'] as const;

export async function trainLiveModel(options: LiveTrainingOptions): Promise<LiveTrainingResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const { recipe } = options;
  const seed = recipe.config.seed ?? 42;
  const data = await loadLiveData({
    cicPaths: options.cicPaths,
    labScenarios: options.labScenarios,
    classOfCicFamily: recipe.classOfCicFamily,
    maxAttackFlowsPerScenario: recipe.maxAttackFlowsPerScenario,
    maxBenignFlowsPerScenario: recipe.maxBenignFlowsPerScenario,
    cicTestFraction: recipe.cicTestFraction,
    restoreFeatures: recipe.restoreFeatures,
    attackFlowsNotTrained: recipe.attackFlowsNotTrained,
    seed,
    onScenario: (name, attack, benign, ms) => log(`lab ${name}: ${attack} attack + ${benign} benign flows (${(ms / 1000).toFixed(1)} s)`),
  });
  const { table } = data;
  const classNames = table.labelNames;
  const loadMs = performance.now() - started;
  log(`pool: ${table.rowCount} rows × ${table.featureNames.length} features; classes ${classNames.join(', ')}`);

  // 1. Leave one lab train scenario out.
  const foldsStarted = performance.now();
  const labTrain = data.groups.filter((group) => group.split === 'train');
  const outOfFold = new Map<string, Float32Array>();
  for (const group of labTrain) {
    const rows = trainingRows(data, [group.name]);
    const model = train(data, rows, recipe);
    outOfFold.set(group.name, predictProbabilities(model, toRowMajor(table.columns, group.rows)));
    log(`fold without ${group.name}: ${rows.length} training rows, ${(model.trainingMs / 1000).toFixed(1)} s`);
  }
  const foldsMs = performance.now() - foldsStarted;

  // 2. Calibration on the out-of-fold scores of the rows the folds would have trained on.
  let calibration: AttackCalibration | null = null;
  let calibrationChoice: CalibrationChoice | null = null;
  const leaveOneOut: Record<string, DetectionFigures> = {};
  const leaveOneOutRaw: Record<string, DetectionFigures> = {};
  for (const group of labTrain) leaveOneOutRaw[group.name] = detectionFigures(outOfFold.get(group.name)!, labels(data, group.rows), classNames, null);
  if (labTrain.length >= 2) {
    const fit = calibrationRows(data, outOfFold, recipe.benignShare);
    const choice = chooseCalibration(fit, recipe.calibrationCandidates);
    const chosen = recipe.calibrationCandidates.find((candidate) => candidate.name === choice.chosen)!;
    const shipped = fitCandidate(chosen, fit);
    choice.reliability = reliabilityTable(Array.from(fit.raw, (p) => calibrateAttackProbability(shipped, p)), fit.isAttack, fit.weight);
    calibration = shipped;
    calibrationChoice = choice;
    for (const group of labTrain) {
      // Each scenario's figures use a calibration fitted without it, like its scores.
      const others = selectRows(fit, (s) => fit.scenarioNames[s] !== group.name);
      leaveOneOut[group.name] = detectionFigures(outOfFold.get(group.name)!, labels(data, group.rows), classNames, fitCandidate(chosen, others));
    }
  } else {
    for (const group of labTrain) leaveOneOut[group.name] = detectionFigures(outOfFold.get(group.name)!, labels(data, group.rows), classNames, null);
    log(`only ${labTrain.length} lab train scenario(s): no calibration`);
  }

  // 3. The shipped model.
  const trainStarted = performance.now();
  const allRows = trainingRows(data);
  const model = train(data, allRows, recipe);
  const trainMs = performance.now() - trainStarted;
  log(`final model: ${allRows.length} training rows, ${model.rounds} rounds, ${(model.trainingMs / 1000).toFixed(1)} s`);
  const onnxBytes = modelToOnnx(model);
  const staging = `${options.outDir.replace(/\/+$/, '')}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await writeFile(join(staging, 'model.onnx'), onnxBytes);
  const classFamilies = Object.fromEntries(classNames.map((name) => [name, { family: name, threatCategory: THREAT_CATEGORY_OF_FAMILY[name] ?? 'Unknown' }]));
  const target = await targetMetadata(data, options);
  const metadataOf = (metrics: Record<string, unknown>) => ({
    ...buildModelMetadata(model, table, onnxBytes, { classFamilies, metrics, createdAt: options.createdAt }),
    ...(calibration ? { attackCalibration: calibration } : {}),
    ...target,
  });
  await writeFile(join(staging, 'model.json'), `${JSON.stringify(metadataOf({}), null, 2)}\n`);

  // Scored through the exported artefact, as the monitor will score.
  const evaluation: Record<string, DetectionFigures> = {};
  const scorer = await Scorer.load(staging);
  let cicTest: EvaluationReport;
  try {
    const cicProbabilities = (await scorer.score(toRowMajor(table.columns, data.cicTestRows), table.featureNames)).probabilities;
    cicTest = evaluatePredictions({ truth: labels(data, data.cicTestRows), probabilities: cicProbabilities, classNames });
    for (const group of data.groups.filter((candidate) => candidate.split === 'eval')) {
      const { probabilities } = await scorer.score(toRowMajor(table.columns, group.rows), table.featureNames);
      evaluation[group.name] = detectionFigures(probabilities, labels(data, group.rows), classNames, calibration);
    }
  } finally {
    await scorer.close();
  }
  const importance = featureImportance(model);
  const weights = priorClassWeights(table.labelCodes, model.trainRows, classNames, recipe.benignShare);
  const liveMetrics = {
    'held-out': cicTest,
    calibration: calibrationChoice,
    leaveOneScenarioOut: leaveOneOut,
    leaveOneScenarioOutRaw: leaveOneOutRaw,
    evalScenarios: evaluation,
    recipe: {
      benignShare: recipe.benignShare,
      classWeights: weights,
      maxAttackFlowsPerScenario: recipe.maxAttackFlowsPerScenario,
      maxBenignFlowsPerScenario: recipe.maxBenignFlowsPerScenario,
      excludedFeatures: LIVE_EXCLUDED_FEATURES,
      cicRowsLeftOut: data.cicDropped,
    },
    scenarios: data.groups.map((group) => ({
      name: group.name, split: group.split, network: group.truth?.network ?? null, family: group.truth?.family ?? null,
      attackFlows: group.attackFlows, benignFlows: group.benignFlows, trainableRows: group.trainableRows.length,
    })),
  };
  const metadata = metadataOf(liveMetrics);
  await writeFile(join(staging, 'model.json'), `${JSON.stringify(metadata, null, 2)}\n`);
  await writeFile(join(staging, 'metrics.json'), `${JSON.stringify({
    versionId: metadata.versionId,
    createdAt: metadata.createdAt,
    target: 'family',
    classNames,
    attackCalibration: calibration,
    // The registry and the /models page read `testSets` (lib/registry/modelVersion.ts).
    testSets: { 'held-out': cicTest },
    training: {
      rows: metadata.trainingData.rowCount,
      validationRows: metadata.trainingData.validationRowCount,
      classCounts: metadata.trainingData.classCounts,
      rounds: model.rounds,
      trainingMs: Math.round(model.trainingMs),
      config: model.config,
    },
    calibration: liveMetrics.calibration,
    leaveOneScenarioOut: liveMetrics.leaveOneScenarioOut,
    leaveOneScenarioOutRaw: liveMetrics.leaveOneScenarioOutRaw,
    evalScenarios: liveMetrics.evalScenarios,
    recipe: liveMetrics.recipe,
    scenarios: liveMetrics.scenarios,
    topFeatures: importance.slice(0, 15),
  }, null, 2)}\n`);
  await mkdir(options.outDir, { recursive: true });
  for (const name of LIVE_MODEL_FILES) await rename(join(staging, name), join(options.outDir, name));
  await rm(staging, { recursive: true, force: true });
  return {
    metadata,
    calibration,
    calibrationChoice,
    leaveOneOut,
    leaveOneOutRaw,
    evaluation,
    cicTest,
    importance,
    timings: { loadMs, foldsMs, trainMs, totalMs: performance.now() - started },
  };
}

function train(data: LiveData, rows: Int32Array, recipe: LiveRecipe): TrainedModel {
  // Weights from the rows trees grow on: trainGbdt's own validation split, drawn the same way.
  const config = parseTrainConfig(recipe.config);
  const { trainRows } = stratifiedSplit(data.table.labelCodes, rows, config.validationFraction, config.seed, data.table.labelNames.length);
  const classWeights = priorClassWeights(data.table.labelCodes, trainRows, data.table.labelNames, recipe.benignShare);
  return trainGbdt(data.table, { ...recipe.config, classWeights }, { rows });
}

function labels(data: LiveData, rows: Int32Array): Int32Array {
  return Int32Array.from(rows, (row) => data.table.labelCodes[row]!);
}

interface CalibrationRows {
  raw: Float64Array;
  isAttack: Float64Array;
  weight: Float64Array;
  scenario: Int32Array;
  scenarioNames: string[];
}

/**
 * The out-of-fold rows calibration learns from: each train scenario's trainable rows (the caps
 * keep a flood from outweighing everything), weighted like training so benign rows carry
 * `benignShare` of the weight — the calibrated value is then the attack share under that prior.
 */
function calibrationRows(data: LiveData, outOfFold: Map<string, Float32Array>, benignShare: number): CalibrationRows {
  const classCount = data.table.labelNames.length;
  const raw: number[] = [];
  const isAttack: number[] = [];
  const scenario: number[] = [];
  const scenarioNames: string[] = [];
  for (const group of data.groups.filter((candidate) => candidate.split === 'train')) {
    const probabilities = outOfFold.get(group.name)!;
    const positionOf = new Map<number, number>();
    group.rows.forEach((row, i) => positionOf.set(row, i));
    const s = scenarioNames.push(group.name) - 1;
    for (const row of group.trainableRows) {
      const i = positionOf.get(row)!;
      raw.push(Math.max(0, 1 - probabilities[i * classCount]!));
      isAttack.push(data.table.labelCodes[row] === 0 ? 0 : 1);
      scenario.push(s);
    }
  }
  const attack = isAttack.reduce((sum, y) => sum + y, 0);
  const benign = isAttack.length - attack;
  const benignWeight = benign > 0 ? (benignShare * isAttack.length) / benign : 0;
  const attackWeight = attack > 0 ? ((1 - benignShare) * isAttack.length) / attack : 0;
  return {
    raw: Float64Array.from(raw),
    isAttack: Float64Array.from(isAttack),
    weight: Float64Array.from(isAttack, (y) => (y === 1 ? attackWeight : benignWeight)),
    scenario: Int32Array.from(scenario),
    scenarioNames,
  };
}

function selectRows(rows: CalibrationRows, keep: (scenario: number) => boolean): CalibrationRows {
  const indices: number[] = [];
  for (let i = 0; i < rows.raw.length; i++) if (keep(rows.scenario[i]!)) indices.push(i);
  return {
    raw: Float64Array.from(indices, (i) => rows.raw[i]!),
    isAttack: Float64Array.from(indices, (i) => rows.isAttack[i]!),
    weight: Float64Array.from(indices, (i) => rows.weight[i]!),
    scenario: Int32Array.from(indices, (i) => rows.scenario[i]!),
    scenarioNames: rows.scenarioNames,
  };
}

function fitCandidate(candidate: CalibrationCandidate, rows: CalibrationRows): AttackCalibration {
  return candidate.method === 'isotonic'
    ? fitIsotonic(rows.raw, rows.isAttack, rows.weight, LIVE_BENIGN_CLASS, candidate.minRowsPerStep ?? 1)
    : fitPlatt(rows.raw, rows.isAttack, rows.weight, LIVE_BENIGN_CLASS);
}

/**
 * Every candidate, each scenario calibrated by a fit on the others. The lowest held-out expected
 * calibration error wins (the severity tiers promise reliability: 0.85 should mean 85 %); the
 * Brier score, which also rewards sharpness, is recorded beside it, as is the raw score's.
 */
function chooseCalibration(rows: CalibrationRows, candidates: readonly CalibrationCandidate[]): CalibrationChoice {
  if (candidates.length === 0) throw new Error('the recipe names no calibration candidates');
  const predicted = new Map<string, Float64Array>(candidates.map((candidate) => [candidate.name, new Float64Array(rows.raw.length)]));
  rows.scenarioNames.forEach((_, s) => {
    const others = selectRows(rows, (scenario) => scenario !== s);
    for (const candidate of candidates) {
      const calibration = fitCandidate(candidate, others);
      const out = predicted.get(candidate.name)!;
      for (let i = 0; i < rows.raw.length; i++) if (rows.scenario[i] === s) out[i] = calibrateAttackProbability(calibration, rows.raw[i]!);
    }
  });
  const judge = (scores: Float64Array) => {
    const reliability = reliabilityTable(scores, rows.isAttack, rows.weight);
    return { brier: brierScore(scores, rows.isAttack, rows.weight), ece: expectedCalibrationError(reliability), reliability };
  };
  const heldOut: CalibrationChoice['heldOut'] = { raw: judge(rows.raw) };
  for (const candidate of candidates) heldOut[candidate.name] = judge(predicted.get(candidate.name)!);
  const best = candidates.reduce((winner, candidate) => (heldOut[candidate.name]!.ece < heldOut[winner.name]!.ece ? candidate : winner));
  return {
    chosen: best.name,
    method: best.method,
    heldOut,
    reliability: [],
    rows: rows.raw.length,
    scenarios: rows.scenarioNames,
    weighting: 'out-of-fold rows of the lab train scenarios (after the per-scenario caps), benign rows weighted to the recipe\'s benign share',
  };
}

async function targetMetadata(data: LiveData, options: LiveTrainingOptions): Promise<TargetMetadata> {
  const labFine = data.groups
    .filter((group) => group.split === 'train' && group.truth?.family)
    .map((group) => ({ label: `lab:${group.name}`, class: group.truth!.family!, family: group.truth!.family!, threatCategory: THREAT_CATEGORY_OF_FAMILY[group.truth!.family!] ?? 'Unknown' }));
  const trainFiles = [...options.cicPaths, ...data.groups.filter((group) => group.split === 'train').flatMap((group) => group.files)];
  const evalFiles = data.groups.filter((group) => group.split === 'eval').flatMap((group) => group.files);
  return {
    target: { kind: 'family', fineClasses: [...data.cicFineClasses, ...labFine] },
    dataSources: {
      fingerprint: await fingerprintFiles(trainFiles),
      train: await describeFiles(trainFiles),
      tests: { 'held-out': [], ...(evalFiles.length > 0 ? { 'lab eval scenarios': await describeFiles(evalFiles) } : {}) },
    },
  };
}

async function describeFiles(paths: readonly string[]): Promise<{ file: string; bytes: number }[]> {
  return Promise.all(paths.map(async (path) => ({ file: basename(path), bytes: (await stat(path)).size })));
}

/** sha256 over each file's name and bytes, in order. */
async function fingerprintFiles(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) {
    hash.update(`${basename(path)}\n`);
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
