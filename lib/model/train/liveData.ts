/**
 * The live model's data: the improved CIC-IDS2017 per-class samples plus the lab captures
 * (datasets/lab), as one pool of rows with the live classes, only the live features
 * (liveFeatures.ts), and a group per row (CIC, or the lab scenario) so folds can leave a whole
 * scenario out. Eval scenarios are in the pool for scoring but never among the training rows.
 */
import type { FeatureTable } from '../../datasets/featureTable.ts';
import { familyOf } from '../../datasets/families.ts';
import { loadDataset, type LoadReport } from '../../datasets/loadDataset.ts';
import { type LabScenario, labFlowTable } from './labFlows.ts';
import type { LabTruth } from './labTruth.ts';
import { liveFeatureNames, selectFeatures } from './liveFeatures.ts';
import { SeededRandom } from './random.ts';
import { stratifiedSplit } from './trainGbdt.ts';

export const LIVE_BENIGN_CLASS = 'BENIGN';

/**
 * CIC-IDS2017 family → live class; null = the rows are left out. DDoS and the slow-HTTP DoS tools
 * are one DoS class (the lab's SYN, UDP, ICMP and HTTP floods and slowloris are "DoS" too, and the
 * monitor groups both by victim). Only families the lab can check are kept; chosen by measurement
 * (research/live-model/FINDINGS.md):
 * - Heartbleed (11 rows) and Infiltration (36): too few rows to learn anything but their lab's
 *   hosts; 'balanced' weights on Heartbleed's 11 rows made the CIC model call plain downloads
 *   Heartbleed.
 * - Botnet (736 rows, one Ares C2 polling pattern) and WebAttack (104 rows against one DVWA):
 *   no lab scenario can check them, and Botnet was the old model's most frequent false alarm on
 *   lab benign traffic. Keeping them changed no scenario's detection (measured both ways), so
 *   the classes the monitor cannot verify are left out.
 */
export const LIVE_CLASS_OF_CIC_FAMILY: Readonly<Record<string, string | null>> = {
  BENIGN: LIVE_BENIGN_CLASS,
  PortScan: 'PortScan',
  DoS: 'DoS',
  DDoS: 'DoS',
  BruteForce: 'BruteForce',
  WebAttack: null,
  Botnet: null,
  Infiltration: null,
  Heartbleed: null,
  Attempted: null,
};

/** The live classes in model order: benign first, then the lab families, then CIC-only ones. */
export function liveClassNames(classOfCicFamily: Readonly<Record<string, string | null>>): string[] {
  const names = [LIVE_BENIGN_CLASS, 'PortScan', 'DoS', 'BruteForce'];
  for (const name of Object.values(classOfCicFamily)) if (name !== null && !names.includes(name)) names.push(name);
  return names;
}

export interface LiveGroup {
  /** 'cic' or the lab scenario name. */
  name: string;
  split: 'cic' | 'train' | 'eval';
  truth: LabTruth | null;
  /** Every row of the group in the pool. */
  rows: Int32Array;
  /** The rows a model may train on (lab: after the per-scenario caps; CIC: minus the test split; eval: none). */
  trainableRows: Int32Array;
  attackFlows: number;
  benignFlows: number;
  files: string[];
}

export interface LiveData {
  /** All rows; labelNames = live classes, benign first; featureNames = the live features. */
  table: FeatureTable;
  groupOfRow: Int32Array;
  groups: LiveGroup[];
  /** The stratified CIC test split (as the CIC model's), never trained on. */
  cicTestRows: Int32Array;
  /** CIC fine labels kept and the class each became (for model.json's target block). */
  cicFineClasses: { label: string; class: string; family: string; threatCategory: string }[];
  cicReport: LoadReport;
  /** CIC rows left out because their family has no live class. */
  cicDropped: Record<string, number>;
}

export interface LiveDataOptions {
  cicPaths: string[];
  labScenarios: LabScenario[];
  classOfCicFamily?: Readonly<Record<string, string | null>>;
  /** Most attack flows of one lab scenario a model trains on (seeded sample); floods make 10⁵. */
  maxAttackFlowsPerScenario: number;
  /** Most benign flows of one lab scenario a model trains on. */
  maxBenignFlowsPerScenario: number;
  /** Share of the CIC rows held out as its test split (stratified by live class). */
  cicTestFraction: number;
  seed: number;
  /** Research only: excluded features put back (to measure what excluding them changes). */
  restoreFeatures?: readonly string[];
  /**
   * Train scenarios whose attack flows no model trains on (their benign flows still count, and
   * their flows are still scored out of fold): attacks that are a rate across flows, each flow an
   * ordinary request.
   */
  attackFlowsNotTrained?: readonly string[];
  onScenario?(name: string, attackFlows: number, benignFlows: number, elapsedMs: number): void;
}

/** Offset from the seed for the CIC test split: the CIC model's own (trainingRun.ts). */
const CIC_TEST_SPLIT_SEED_OFFSET = 7919;

export async function loadLiveData(options: LiveDataOptions): Promise<LiveData> {
  const classOfCicFamily = options.classOfCicFamily ?? LIVE_CLASS_OF_CIC_FAMILY;
  const classNames = liveClassNames(classOfCicFamily);
  const loaded = await loadDataset(options.cicPaths, { format: 'cic2017-improved' });
  const cic = loaded.table;
  const restore = new Set(options.restoreFeatures ?? []);
  const featureNames = cic.featureNames.filter((name) => restore.has(name) || liveFeatureNames([name]).length === 1);

  // CIC rows: fine label → family → live class (or left out).
  const classOfLabel = cic.labelNames.map((label) => {
    const family = familyOf(label, 'cic2017-improved').family;
    const name = Object.hasOwn(classOfCicFamily, family) ? classOfCicFamily[family]! : null;
    return name === null ? -1 : classNames.indexOf(name);
  });
  const cicDropped: Record<string, number> = {};
  const cicKept: number[] = [];
  for (let row = 0; row < cic.rowCount; row++) {
    if (classOfLabel[cic.labelCodes[row]!]! >= 0) cicKept.push(row);
    else cicDropped[cic.labelNames[cic.labelCodes[row]!]!] = (cicDropped[cic.labelNames[cic.labelCodes[row]!]!] ?? 0) + 1;
  }
  const cicSelected = selectFeatures(cic, featureNames);
  const cicFineClasses = cic.labelNames
    .map((label, code) => ({ label, code }))
    .filter(({ code }) => classOfLabel[code]! >= 0)
    .map(({ label, code }) => {
      const family = familyOf(label, 'cic2017-improved');
      return { label, class: classNames[classOfLabel[code]!]!, family: family.family, threatCategory: family.threatCategory };
    });

  const parts: { columns: Float32Array[]; rows: ArrayLike<number> | null; labels: Int32Array; count: number }[] = [];
  const cicLabels = Int32Array.from(cicKept, (row) => classOfLabel[cic.labelCodes[row]!]!);
  parts.push({ columns: cicSelected.columns, rows: cicKept, labels: cicLabels, count: cicKept.length });

  const groups: LiveGroup[] = [];
  let next = cicKept.length;
  const cicRows = range(0, cicKept.length);
  const split = stratifiedSplit(cicLabels, cicRows, options.cicTestFraction, options.seed + CIC_TEST_SPLIT_SEED_OFFSET, classNames.length);
  groups.push({
    name: 'cic',
    split: 'cic',
    truth: null,
    rows: cicRows,
    trainableRows: split.trainRows,
    attackFlows: cicLabels.filter((code) => code !== 0).length,
    benignFlows: cicLabels.filter((code) => code === 0).length,
    files: options.cicPaths,
  });

  for (const scenario of options.labScenarios) {
    const started = performance.now();
    const lab = await labFlowTable(scenario, featureNames, LIVE_BENIGN_CLASS);
    const labels = Int32Array.from(lab.table.labelCodes, (code) => classNames.indexOf(lab.table.labelNames[code]!));
    parts.push({ columns: lab.table.columns, rows: null, labels, count: lab.table.rowCount });
    const rows = range(next, next + lab.table.rowCount);
    const attackCap = options.attackFlowsNotTrained?.includes(scenario.truth.scenario) ? 0 : options.maxAttackFlowsPerScenario;
    const trainableRows = scenario.truth.split === 'train'
      ? cappedRows(rows, labels, attackCap, options.maxBenignFlowsPerScenario, options.seed)
      : new Int32Array(0);
    groups.push({
      name: scenario.truth.scenario,
      split: scenario.truth.split,
      truth: scenario.truth,
      rows,
      trainableRows,
      attackFlows: lab.attackFlows,
      benignFlows: lab.benignFlows,
      files: [scenario.capturePath, scenario.truthPath],
    });
    next += lab.table.rowCount;
    options.onScenario?.(scenario.truth.scenario, lab.attackFlows, lab.benignFlows, performance.now() - started);
  }

  const rowCount = next;
  const columns = featureNames.map(() => new Float32Array(rowCount));
  const labelCodes = new Int32Array(rowCount);
  const groupOfRow = new Int32Array(rowCount);
  let at = 0;
  parts.forEach((part, groupIndex) => {
    for (let j = 0; j < featureNames.length; j++) {
      const source = part.columns[j]!;
      const target = columns[j]!;
      if (part.rows === null) target.set(source, at);
      else for (let i = 0; i < part.count; i++) target[at + i] = source[part.rows[i]!]!;
    }
    labelCodes.set(part.labels, at);
    groupOfRow.fill(groupIndex, at, at + part.count);
    at += part.count;
  });
  const table: FeatureTable = {
    sourceFormat: 'cic2017-improved',
    featureFormat: 'corrected',
    rowCount,
    featureNames,
    columns,
    categories: {},
    labelCodes,
    labelNames: classNames,
    sourceVariant: 'improved CIC-IDS2017 samples + lab captures (corrected flows)',
    infinityAs: cic.infinityAs,
  };
  return { table, groupOfRow, groups, cicTestRows: split.validationRows, cicFineClasses, cicReport: loaded.report, cicDropped };
}

/** Rows of every train-split group a model may learn from, minus the named groups. */
export function trainingRows(data: LiveData, without: readonly string[] = []): Int32Array {
  const parts = data.groups.filter((group) => group.split !== 'eval' && !without.includes(group.name)).map((group) => group.trainableRows);
  const rows = new Int32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    rows.set(part, at);
    at += part.length;
  }
  return rows.sort();
}

/**
 * Class weights that make the benign rows `benignShare` of the total weight (realistic traffic is
 * mostly benign; the per-class samples are mostly attacks). All attack classes share one weight,
 * so their relative frequencies stay as sampled — no class is blown up as 'balanced' weights did
 * to Heartbleed's 11 rows. Weights are scaled so their sum is the row count.
 */
export function priorClassWeights(labels: Int32Array, rows: Int32Array, classNames: readonly string[], benignShare: number): Record<string, number> {
  let benign = 0;
  for (let i = 0; i < rows.length; i++) if (labels[rows[i]!] === 0) benign++;
  const attack = rows.length - benign;
  if (benign === 0 || attack === 0) throw new Error(`prior weights need benign and attack rows (benign ${benign}, attack ${attack})`);
  const benignWeight = (benignShare * rows.length) / benign;
  const attackWeight = ((1 - benignShare) * rows.length) / attack;
  return Object.fromEntries(classNames.map((name, k) => [name, k === 0 ? benignWeight : attackWeight]));
}

/** Seeded sample of at most `maxAttack` attack and `maxBenign` benign rows, ascending. */
function cappedRows(rows: Int32Array, labels: Int32Array, maxAttack: number, maxBenign: number, seed: number): Int32Array {
  const attack: number[] = [];
  const benign: number[] = [];
  for (let i = 0; i < rows.length; i++) (labels[i] === 0 ? benign : attack).push(rows[i]!);
  const random = new SeededRandom(seed ^ 0x1ab5);
  const sample = (members: number[], cap: number) => {
    if (members.length <= cap) return members;
    for (let i = 0; i < cap; i++) {
      const j = i + random.nextInt(members.length - i);
      const swap = members[i]!;
      members[i] = members[j]!;
      members[j] = swap;
    }
    return members.slice(0, cap);
  };
  return Int32Array.from([...sample(attack, maxAttack), ...sample(benign, maxBenign)]).sort();
}

function range(from: number, to: number): Int32Array {
  const rows = new Int32Array(to - from);
  for (let i = 0; i < rows.length; i++) rows[i] = from + i;
  return rows;
}
