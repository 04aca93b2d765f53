/**
 * Scores a FeatureTable's rows with a loaded Scorer in bounded batches, and maps the table's fine
 * labels to the model's classes (the truth the evaluation compares against).
 */
import type { FeatureTable } from '../../datasets/featureTable.ts';
import type { DatasetFormatName } from '../../datasets/formats.ts';
import { NO_CLASS } from './evaluation.ts';
import { toRowMajor } from '../train/predict.ts';
import type { Scorer } from '../score/scorer.ts';
import { targetClassOf, type TargetKind } from '../train/trainingTarget.ts';

/** Rows per onnxruntime call: bounds the row-major copy (65,536 × 83 floats ≈ 22 MB). */
const BATCH_ROWS = 65_536;

/**
 * The table with its columns in the model's feature order, when it has every model feature (files
 * of one format may order columns differently). Missing features are left for the scorer's
 * check, which names them.
 */
export function inModelFeatureOrder(table: FeatureTable, featureNames: readonly string[]): FeatureTable {
  const index = new Map(table.featureNames.map((name, j) => [name, j]));
  if (featureNames.some((name) => !index.has(name))) return table;
  if (featureNames.length === table.featureNames.length && featureNames.every((name, j) => table.featureNames[j] === name)) return table;
  return { ...table, featureNames: featureNames.slice(), columns: featureNames.map((name) => table.columns[index.get(name)!]!) };
}

/** Probabilities, row-major [rows × classes], for `rows` of `table` (all rows when omitted), in that order. */
export async function scoreTable(scorer: Scorer, table: FeatureTable, rows?: Int32Array): Promise<Float32Array> {
  scorer.checkFeatures(table.featureNames);
  const classCount = scorer.metadata.classNames.length;
  const rowCount = rows ? rows.length : table.rowCount;
  const out = new Float32Array(rowCount * classCount);
  const batch = new Int32Array(Math.min(BATCH_ROWS, rowCount));
  for (let start = 0; start < rowCount; start += BATCH_ROWS) {
    const end = Math.min(rowCount, start + BATCH_ROWS);
    const batchRows = batch.subarray(0, end - start);
    for (let i = start; i < end; i++) batchRows[i - start] = rows ? rows[i]! : i;
    const result = await scorer.score(toRowMajor(table.columns, batchRows));
    out.set(result.probabilities, start * classCount);
  }
  return out;
}

export interface TruthCodes {
  /** Model class index of each requested row, or NO_CLASS. */
  truth: Int32Array;
  /** Fine label → rows whose class the model does not have. */
  unmatched: Record<string, number>;
}

/** The model class of each row's fine label under `kind`; labels with no such class get NO_CLASS. */
export function truthCodes(table: FeatureTable, classNames: readonly string[], kind: TargetKind, rows?: Int32Array): TruthCodes {
  const format = table.sourceFormat as DatasetFormatName;
  const codeOfLabel = table.labelNames.map((label) => classNames.indexOf(targetClassOf(label, kind, format)));
  const rowCount = rows ? rows.length : table.rowCount;
  const truth = new Int32Array(rowCount);
  const unmatched: Record<string, number> = {};
  for (let i = 0; i < rowCount; i++) {
    const label = table.labelCodes[rows ? rows[i]! : i]!;
    const code = codeOfLabel[label]!;
    truth[i] = code >= 0 ? code : NO_CLASS;
    if (code < 0) unmatched[table.labelNames[label]!] = (unmatched[table.labelNames[label]!] ?? 0) + 1;
  }
  return { truth, unmatched };
}
