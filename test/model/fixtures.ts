/** Real dataset slices shared by the model tests, loaded through lib/datasets. */
import { loadDataset } from '../../lib/datasets/loadDataset.ts';
import type { FeatureTable } from '../../lib/datasets/featureTable.ts';
import { sharedDataset } from '../sharedDatasets.ts';

export const KDD_TRAIN = sharedDataset('nsl-kdd/KDDTrain+.txt.gz');
export const CIC_IMPROVED = (file: string) => sharedDataset(`cic-ids2017/improved-cicids2017-rnd5000/${file}`);

/** First `rows` rows of KDDTrain+ (23-ish fine labels). */
export async function kddSlice(rows: number): Promise<FeatureTable> {
  return (await loadDataset([KDD_TRAIN], { maxRows: rows })).table;
}

/** The same rows relabelled normal / attack (class 0 = normal, 1 = attack). */
export function binaryNormalVsAttack(table: FeatureTable): FeatureTable {
  const normal = table.labelNames.indexOf('normal');
  const labelCodes = new Int32Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) labelCodes[i] = table.labelCodes[i] === normal ? 0 : 1;
  return { ...table, labelCodes, labelNames: ['normal', 'attack'] };
}

/** Improved CIC-IDS2017 per-class samples: benign plus a few attacks, one rare. */
export async function cicMulticlass(): Promise<FeatureTable> {
  const files = ['BENIGN_5000.csv.gz', 'Botnet_736.csv.gz', 'Portscan_5000.csv.gz', 'DoS_Slowloris_3859.csv.gz', 'Web_Attack_-_Brute_Force_73.csv.gz'];
  return (await loadDataset(files.map(CIC_IMPROVED))).table;
}

/** Every `step`-th row (offset `phase`) as a row list: a deterministic held-out split. */
export function everyNth(rowCount: number, step: number, phase: number, keep: boolean): Int32Array {
  const rows: number[] = [];
  for (let i = 0; i < rowCount; i++) if ((i % step === phase) === keep) rows.push(i);
  return Int32Array.from(rows);
}

/** A copy of the table where feature `feature` is missing (NaN) in every `step`-th row. */
export function withMissing(table: FeatureTable, feature: number, step: number): FeatureTable {
  const columns = table.columns.slice();
  const column = columns[feature]!.slice();
  for (let i = 0; i < column.length; i += step) column[i] = NaN;
  columns[feature] = column;
  return { ...table, columns };
}
