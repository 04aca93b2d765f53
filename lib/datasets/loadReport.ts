/** What a dataset load reports: rows, labels, dropped rows and why, non-finite cells per column. */
import type { DatasetFormatName, FeatureFormatName } from './formats.ts';

export type DropReason = 'wrong-field-count' | 'non-numeric-value' | 'missing-label' | 'repeated-header';

export interface DroppedRowSample {
  file: string;
  /** 1-based physical line in the (decompressed) file, header included. */
  line: number;
  /** Column name the problem is in, or null when the whole row is wrong. */
  column: string | null;
  detail: string;
}

export interface FileLoadReport {
  path: string;
  variant: string;
  gzip: boolean;
  /** On-disk bytes. */
  bytes: number;
  /** Data rows seen (blank lines not counted). */
  rowsRead: number;
  rowsKept: number;
  rowsDropped: number;
}

export interface LoadReport {
  format: DatasetFormatName;
  /** Variant of the first file (all files must share the feature columns). */
  variant: string;
  featureFormat: FeatureFormatName | null;
  files: FileLoadReport[];
  /** Rows in the table. */
  rows: number;
  /** Feature columns in the table. */
  columns: number;
  /** Kept rows per cleaned label, in label-code order. */
  labelCounts: Record<string, number>;
  /** Labels of the improved CIC-IDS2017 "<attack> - Attempted" kind present in the table. */
  attemptedLabels: string[];
  /** Raw label → cleaned label, for every raw spelling the cleaning changed. */
  relabelled: Record<string, string>;
  rowsDropped: number;
  dropped: Partial<Record<DropReason, { count: number; samples: DroppedRowSample[] }>>;
  /** Per feature with any: cells that were empty/NaN (missing) and ±Infinity (infinite). */
  nonFinite: Record<string, { missing: number; infinite: number }>;
  /** File columns that are not features (identifiers, label, side labels). */
  excludedColumns: string[];
  /** Columns of the format the files lack (e.g. Destination Port in the 78-column CIC sample). */
  missingColumns: string[];
  infinity: 'missing' | 'keep';
  /** maxRows stopped the load early. */
  truncated: boolean;
  elapsedMs: number;
  rowsPerSecond: number;
}

