/**
 * Top-level trainer: FeatureTable + config → TrainedModel. Splits off a stratified validation set,
 * learns the bins once, weights classes, then runs boosting rounds with early stopping.
 */
import type { FeatureTable } from '../../datasets/featureTable.ts';
import { BinMapper } from './binning.ts';
import { Booster } from './boosting.ts';
import { createObjective, type ObjectiveName } from './objectives.ts';
import { SeededRandom } from './random.ts';
import { parseTrainConfig, type TrainConfig, type TrainConfigInput } from './trainConfig.ts';
import type { RoundInfo, TrainedModel } from './trainedModel.ts';

export interface TrainOptions {
  /** Called after every round. */
  onRound?(info: RoundInfo): void;
  /** Table rows to learn from (default: all). The validation split is drawn from these. */
  rows?: Int32Array;
}

export function trainGbdt(table: FeatureTable, configInput: TrainConfigInput = {}, options: TrainOptions = {}): TrainedModel {
  const started = performance.now();
  const config = parseTrainConfig(configInput);
  checkTable(table);
  const classCount = table.labelNames.length;
  const objectiveName: ObjectiveName = config.objective === 'auto' ? (classCount === 2 ? 'binary' : 'multiclass') : config.objective;
  const objective = createObjective(objectiveName, classCount);

  const candidateRows = options.rows ?? rangeRows(table.rowCount);
  const { trainRows, validationRows } = stratifiedSplit(table.labelCodes, candidateRows, config.validationFraction, config.seed, classCount);
  if (trainRows.length === 0) throw new Error('No training rows left after the validation split');

  const classWeights = resolveClassWeights(config, table.labelNames, table.labelCodes, trainRows);
  const binMapper = BinMapper.fit(table.columns, config.maxBins, trainRows);
  const subset = (rows: Int32Array) => {
    const labels = new Int32Array(rows.length);
    const rowWeights = new Float32Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      labels[i] = table.labelCodes[rows[i]!]!;
      rowWeights[i] = classWeights[labels[i]!]!;
    }
    return { matrix: binMapper.transform(table.columns, rows), labels, rowWeights };
  };
  const booster = new Booster(
    { ...subset(trainRows), validation: validationRows.length > 0 ? subset(validationRows) : undefined },
    objective,
    config,
    binMapper,
  );

  const history: RoundInfo[] = [];
  let bestRound = 0;
  let bestLoss = Infinity;
  let stoppedEarly = false;
  for (let round = 1; round <= config.trees; round++) {
    const { trainLoss, validLoss } = booster.trainOneIteration();
    const info: RoundInfo = { round, trainLoss, validLoss, elapsedMs: performance.now() - started };
    history.push(info);
    options.onRound?.(info);
    if (validLoss < bestLoss) {
      bestLoss = validLoss;
      bestRound = round;
    }
    if (config.earlyStoppingRounds > 0 && round - bestRound >= config.earlyStoppingRounds) {
      stoppedEarly = true;
      break;
    }
  }
  const roundsTrained = history.length;
  const rounds = config.earlyStoppingRounds > 0 && bestRound > 0 ? bestRound : roundsTrained;
  return {
    objective: objectiveName,
    classNames: table.labelNames.slice(),
    featureNames: table.featureNames.slice(),
    forest: booster.forest.build(rounds * objective.outputCount),
    binThresholds: binMapper.features.map((feature) => feature.thresholds.slice()),
    config,
    classWeights,
    rounds,
    roundsTrained,
    stoppedEarly,
    history,
    trainRows,
    validationRows,
    trainingMs: performance.now() - started,
  };
}

function checkTable(table: FeatureTable): void {
  if (table.columns.length !== table.featureNames.length) {
    throw new Error(`Feature table has ${table.columns.length} columns but ${table.featureNames.length} feature names`);
  }
  for (let j = 0; j < table.columns.length; j++) {
    if (table.columns[j]!.length !== table.rowCount) {
      throw new Error(`Column '${table.featureNames[j]}' has ${table.columns[j]!.length} values, expected ${table.rowCount}`);
    }
  }
  if (table.labelCodes.length !== table.rowCount) throw new Error('labelCodes length differs from rowCount');
  if (table.labelNames.length < 2) throw new Error(`Need at least 2 classes to train, got ${table.labelNames.length}`);
  for (let i = 0; i < table.rowCount; i++) {
    const code = table.labelCodes[i]!;
    if (code < 0 || code >= table.labelNames.length) throw new Error(`Row ${i} has label code ${code} outside 0..${table.labelNames.length - 1}`);
  }
}

function rangeRows(count: number): Int32Array {
  const rows = new Int32Array(count);
  for (let i = 0; i < count; i++) rows[i] = i;
  return rows;
}

/**
 * Holds out `fraction` of every class (seeded shuffle within the class), so rare classes are in
 * both parts when they have at least two rows. Both outputs are ascending.
 */
export function stratifiedSplit(
  labels: Int32Array, rows: Int32Array, fraction: number, seed: number, classCount: number,
): { trainRows: Int32Array; validationRows: Int32Array } {
  if (fraction <= 0) return { trainRows: rows.slice().sort(), validationRows: new Int32Array(0) };
  const random = new SeededRandom(seed ^ 0x5a17);
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < rows.length; i++) byClass[labels[rows[i]!]!]!.push(rows[i]!);
  const held = new Uint8Array(labels.length);
  let heldCount = 0;
  for (const members of byClass) {
    for (let i = members.length - 1; i > 0; i--) {
      const j = random.nextInt(i + 1);
      const swap = members[i]!;
      members[i] = members[j]!;
      members[j] = swap;
    }
    const take = members.length >= 2 ? Math.max(1, Math.round(members.length * fraction)) : 0;
    for (let i = 0; i < take; i++) held[members[i]!] = 1;
    heldCount += take;
  }
  const trainRows = new Int32Array(rows.length - heldCount);
  const validationRows = new Int32Array(heldCount);
  const sorted = rows.slice().sort();
  let t = 0;
  let v = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (held[sorted[i]!]) validationRows[v++] = sorted[i]!;
    else trainRows[t++] = sorted[i]!;
  }
  return { trainRows, validationRows };
}

function resolveClassWeights(config: TrainConfig, classNames: string[], labels: Int32Array, rows: Int32Array): Float64Array {
  const weights = new Float64Array(classNames.length).fill(1);
  const setting = config.classWeights;
  if (setting === 'none') return weights;
  if (setting === 'balanced') {
    const counts = new Float64Array(classNames.length);
    for (let i = 0; i < rows.length; i++) counts[labels[rows[i]!]!]!++;
    const present = counts.filter((count) => count > 0).length;
    for (let k = 0; k < classNames.length; k++) {
      weights[k] = counts[k]! > 0 ? rows.length / (present * counts[k]!) : 1;
    }
    return weights;
  }
  for (const [name, weight] of Object.entries(setting)) {
    const k = classNames.indexOf(name);
    if (k < 0) throw new Error(`classWeights names unknown class '${name}'; classes: ${classNames.join(', ')}`);
    weights[k] = weight;
  }
  return weights;
}
