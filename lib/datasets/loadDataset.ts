/**
 * Streams dataset CSVs (plain or gzip) through papaparse into a FeatureTable: format detected from
 * the first line, features named as the live flow engine names them, categorical text and labels
 * as dictionary codes, bad rows dropped and counted with their line numbers. Memory besides the
 * output table is one parser chunk.
 */
import { promises as fs } from 'node:fs';
import Papa from 'papaparse';
import { canonicalHeader, detectFileFormat, detectFormat, type DetectedFormat } from './detectFormat.ts';
import { DatasetError, DatasetErrorCode } from './errors.ts';
import type { FeatureTable } from './featureTable.ts';
import { CellKind, parseCell, parsedCell } from './featureValues.ts';
import { datasetFormats, type DatasetFormat, type DatasetFormatName } from './formats.ts';
import { cleanLabel, isAttemptedLabel } from './labels.ts';
import { BadRowLedger } from './badRows.ts';
import type { DropReason, DroppedRowSample, FileLoadReport, LoadReport } from './loadReport.ts';
import { TableBuilder } from './tableBuilder.ts';
import { openTextSource } from './textSource.ts';

export type { DropReason, DroppedRowSample, FileLoadReport, LoadReport } from './loadReport.ts';
export { MIN_TOLERATED_BAD_ROWS } from './badRows.ts';

export interface LoadProgress {
  /** Raw (on-disk, so compressed for .gz) bytes read over all files so far. */
  bytesRead: number;
  totalBytes: number;
  /** Rows kept so far. */
  rows: number;
  file: string;
}

export interface LoadOptions {
  /** 'auto' (default) detects from the first line; a name makes any other layout an error. */
  format?: 'auto' | DatasetFormatName;
  onProgress?: (progress: LoadProgress) => void;
  /** Stop after this many kept rows (over all files); the report says `truncated`. */
  maxRows?: number;
  /** ±Infinity cells: stored as NaN ('missing', default) or as ±Infinity ('keep'). */
  infinity?: 'missing' | 'keep';
  /** Existing dictionaries (e.g. a model's): their codes are kept, new values are appended. */
  categories?: Readonly<Record<string, readonly string[]>>;
  /** Existing label names: their codes are kept, new labels are appended. */
  labelNames?: readonly string[];
  /**
   * Malformed rows tolerated per file before the load fails, as a fraction of the file's data
   * rows read (default 0.01). Up to MIN_TOLERATED_BAD_ROWS (10) bad rows are always tolerated.
   */
  maxBadRowFraction?: number;
}

/** Rows read before the bad-row fraction is checked mid-file (fail fast on garbage). */
const EARLY_CHECK_ROWS = 1000;

/** Everything one file needs to append rows; built after its first line is read. */
interface FileLayout {
  detected: DetectedFormat;
  format: DatasetFormat;
  /** fieldOfFeature[j] = field index in this file of builder feature j. */
  fieldOfFeature: Int32Array;
  numericFeatures: Int32Array;
  categoricalFeatures: Int32Array;
  labelField: number;
  /** Line number of the first data row. */
  firstDataLine: number;
}

class LoadState {
  builder: TableBuilder | null = null;
  format: DatasetFormat | null = null;
  firstDetected: DetectedFormat | null = null;
  readonly missingCounts: Float64Array[] = [];
  readonly badRows: BadRowLedger;
  /** Raw label text → label code; negative codes mark rows to drop. */
  readonly labelCodeByRaw = new Map<string, number>();
  readonly relabelled: Record<string, string> = {};
  truncated = false;
  bytesBeforeFile = 0;

  constructor(readonly options: LoadOptions, readonly totalBytes: number) {
    this.badRows = new BadRowLedger(options.maxBadRowFraction);
  }
}

/** A label not seen before: registered only once the row proved valid, so dropped rows add no class. */
const LABEL_NEW = -1;
const LABEL_REPEATED_HEADER = -2;
const LABEL_EMPTY = -3;

export async function loadDataset(paths: readonly string[], options: LoadOptions = {}): Promise<{ table: FeatureTable; report: LoadReport }> {
  if (paths.length === 0) throw new DatasetError(DatasetErrorCode.FILE_NOT_FOUND, 'loadDataset: no dataset files given.');
  checkOptions(options);
  const started = performance.now();
  const sizes = await Promise.all(paths.map(fileSize));
  await checkSameLayout(paths, options);
  const state = new LoadState(options, sizes.reduce((sum, size) => sum + size, 0));
  const files: FileLoadReport[] = [];

  for (const path of paths) {
    if (state.truncated) break;
    files.push(await loadFile(path, state));
  }

  const builder = state.builder;
  const format = state.format;
  const detected = state.firstDetected;
  if (!builder || !format || !detected) throw new DatasetError(DatasetErrorCode.EMPTY_FILE, `No data rows in ${paths.join(', ')}.`);
  if (builder.rowCount === 0) {
    throw new DatasetError(DatasetErrorCode.EMPTY_FILE, `No usable data rows in ${paths.join(', ')} (${state.badRows.total} dropped).`);
  }

  const infinity = options.infinity ?? 'missing';
  const labelCountsByCode = new Float64Array(builder.labels.names.length);
  for (let row = 0; row < builder.rowCount; row++) labelCountsByCode[builder.labelCodes[row]!]! += 1;
  const labelCounts: Record<string, number> = {};
  builder.labels.names.forEach((name, code) => { if (labelCountsByCode[code]! > 0) labelCounts[name] = labelCountsByCode[code]!; });

  const nonFinite: LoadReport['nonFinite'] = {};
  builder.featureNames.forEach((name, j) => {
    const counts = state.missingCounts[j]!;
    if (counts[0]! > 0 || counts[1]! > 0) nonFinite[name] = { missing: counts[0]!, infinite: counts[1]! };
  });

  const table = builder.finish({
    sourceFormat: format.name,
    featureFormat: format.featureFormat,
    sourceVariant: detected.variant,
    infinityAs: infinity,
  });
  const elapsedMs = performance.now() - started;
  const report: LoadReport = {
    format: format.name,
    variant: detected.variant,
    featureFormat: format.featureFormat,
    files,
    rows: table.rowCount,
    columns: table.featureNames.length,
    labelCounts,
    attemptedLabels: Object.keys(labelCounts).filter(isAttemptedLabel),
    relabelled: state.relabelled,
    rowsDropped: state.badRows.total,
    dropped: state.badRows.byReason,
    nonFinite,
    excludedColumns: detected.columnNames.filter((name) => format.nonFeatureColumns.has(name)),
    missingColumns: detected.missingColumns,
    infinity,
    truncated: state.truncated,
    elapsedMs,
    rowsPerSecond: elapsedMs > 0 ? (table.rowCount / elapsedMs) * 1000 : 0,
  };
  return { table, report };
}

function checkOptions(options: LoadOptions): void {
  const { maxRows, maxBadRowFraction } = options;
  if (maxRows !== undefined && !(Number.isInteger(maxRows) && maxRows >= 1)) {
    throw new DatasetError(DatasetErrorCode.INVALID_OPTION, `maxRows must be a whole number ≥ 1, got ${maxRows}.`);
  }
  if (maxBadRowFraction !== undefined && !(maxBadRowFraction >= 0 && maxBadRowFraction <= 1)) {
    throw new DatasetError(DatasetErrorCode.INVALID_OPTION, `maxBadRowFraction must be between 0 and 1, got ${maxBadRowFraction}.`);
  }
}

/**
 * Reads only the first line of every file, so a wrong or mixed file list fails at once instead
 * of after parsing the files before it.
 */
async function checkSameLayout(paths: readonly string[], options: LoadOptions): Promise<void> {
  const detections = await Promise.all(paths.map(detectFileFormat));
  const requested = options.format ?? 'auto';
  const first = detections[0]!;
  const featuresOf = (detected: DetectedFormat) => {
    const format = datasetFormats[detected.format];
    return detected.columnNames.filter((name) => !format.nonFeatureColumns.has(name)).sort().join('\u0000');
  };
  detections.forEach((detected, index) => {
    const path = paths[index]!;
    if (requested !== 'auto' && requested !== detected.format) {
      throw new DatasetError(DatasetErrorCode.FORMAT_MISMATCH, `${path}: expected ${requested} but the first line is ${detected.format} (${detected.variant}).`);
    }
    if (detected.format !== first.format) {
      throw new DatasetError(DatasetErrorCode.MIXED_FORMATS, `${path} is ${detected.format} but ${paths[0]} is ${first.format}; load each format separately.`);
    }
    if (featuresOf(detected) !== featuresOf(first)) {
      const have = new Set(detected.columnNames);
      const had = new Set(first.columnNames);
      const extra = detected.columnNames.filter((name) => !had.has(name));
      const lacking = first.columnNames.filter((name) => !have.has(name));
      throw new DatasetError(
        DatasetErrorCode.MIXED_FORMATS,
        `${path} (${detected.variant}) has different columns than ${paths[0]} (${first.variant}):`
          + `${extra.length ? ` extra ${extra.join(', ')};` : ''}${lacking.length ? ` lacking ${lacking.join(', ')};` : ''} load them separately.`,
      );
    }
  });
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await fs.stat(path)).size;
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DatasetError(DatasetErrorCode.FILE_NOT_FOUND, `Dataset file not found: ${path}`, { cause });
    throw new DatasetError(DatasetErrorCode.FILE_UNREADABLE, `Cannot read dataset file ${path}: ${String(cause)}`, { cause });
  }
}

async function loadFile(path: string, state: LoadState): Promise<FileLoadReport> {
  const source = await openTextSource(path);
  state.badRows.startFile();
  const report: FileLoadReport = { path, variant: '', gzip: source.isGzip, bytes: source.fileBytes, rowsRead: 0, rowsKept: 0, rowsDropped: 0 };
  let layout: FileLayout | null = null;
  /** Lines consumed so far, blank ones and the header included. */
  let line = 0;
  let sawAnyLine = false;
  let fatal: unknown = null;

  const handleRows = (rows: string[][]): boolean => {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      line++;
      if (row.length === 1 && row[0]!.trim() === '') continue;
      if (layout === null) {
        sawAnyLine = true;
        layout = prepareLayout(path, row, state);
        report.variant = layout.detected.variant;
        if (layout.detected.hasHeader) continue;
      }
      report.rowsRead++;
      if (appendRow(row, line, layout, state, path, report)) {
        report.rowsKept++;
        if (state.options.maxRows !== undefined && state.builder!.rowCount >= state.options.maxRows) {
          state.truncated = true;
          return false;
        }
      }
    }
    if (report.rowsRead >= EARLY_CHECK_ROWS) state.badRows.check(path, report.rowsRead, false);
    return true;
  };

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error: unknown) => {
      if (settled) return;
      settled = true;
      source.close();
      if (error) reject(error);
      else resolve();
    };
    Papa.parse<string[]>(source.text, {
      delimiter: ',',
      header: false,
      dynamicTyping: false,
      skipEmptyLines: false,
      chunk: (results, parser) => {
        let goOn = false;
        try {
          goOn = handleRows(results.data);
        } catch (error) {
          fatal = error;
        }
        state.options.onProgress?.({
          bytesRead: state.bytesBeforeFile + source.bytesRead(),
          totalBytes: state.totalBytes,
          rows: state.builder?.rowCount ?? 0,
          file: path,
        });
        if (fatal || !goOn) {
          parser.abort();
          settle(fatal);
        }
      },
      complete: () => settle(fatal ?? source.failure()),
      error: (error: Error) => {
        // The gzip pipeline records its own, more precise error just after the stream fails.
        setImmediate(() => settle(source.failure() ?? new DatasetError(DatasetErrorCode.FILE_UNREADABLE, `Error reading ${path}: ${error.message}`, { cause: error })));
      },
    });
  });

  state.bytesBeforeFile += source.fileBytes;
  if (!sawAnyLine) throw new DatasetError(DatasetErrorCode.EMPTY_FILE, `Dataset file ${path} has no lines${source.isGzip ? ' after gunzip' : ''}.`);
  state.badRows.check(path, report.rowsRead, true);
  return report;
}

function prepareLayout(path: string, firstRow: string[], state: LoadState): FileLayout {
  let detected: DetectedFormat;
  try {
    detected = detectFormat(firstRow);
  } catch (error) {
    if (error instanceof DatasetError) throw new DatasetError(error.code, `${path} line 1: ${error.message}`, { cause: error });
    throw error;
  }
  const requested = state.options.format ?? 'auto';
  if (requested !== 'auto' && requested !== detected.format) {
    throw new DatasetError(DatasetErrorCode.FORMAT_MISMATCH, `${path}: expected ${requested} but the first line is ${detected.format} (${detected.variant}).`);
  }
  const format = datasetFormats[detected.format];
  const features = detected.columnNames.filter((name) => !format.nonFeatureColumns.has(name));

  if (state.builder === null) {
    state.format = format;
    state.firstDetected = detected;
    state.builder = new TableBuilder(features, format.categoricalColumns, {
      categories: state.options.categories,
      labelNames: state.options.labelNames,
    });
    for (let j = 0; j < features.length; j++) state.missingCounts.push(new Float64Array(2));
  } else {
    if (state.format!.name !== format.name) {
      throw new DatasetError(DatasetErrorCode.MIXED_FORMATS, `${path} is ${format.name} but the earlier file(s) are ${state.format!.name}; load each format separately.`);
    }
    const expected = new Set(state.builder.featureNames);
    const extra = features.filter((name) => !expected.has(name));
    const have = new Set(features);
    const lacking = state.builder.featureNames.filter((name) => !have.has(name));
    if (extra.length > 0 || lacking.length > 0) {
      throw new DatasetError(
        DatasetErrorCode.MIXED_FORMATS,
        `${path} (${detected.variant}) has different feature columns than the earlier file(s) (${state.firstDetected!.variant}):`
          + `${extra.length ? ` extra ${extra.join(', ')};` : ''}${lacking.length ? ` lacking ${lacking.join(', ')};` : ''} load them separately.`,
      );
    }
  }

  const builder = state.builder;
  const fieldIndex = new Map(detected.columnNames.map((name, index) => [name, index]));
  const fieldOfFeature = new Int32Array(builder.featureNames.length);
  const numeric: number[] = [];
  const categorical: number[] = [];
  builder.featureNames.forEach((name, j) => {
    fieldOfFeature[j] = fieldIndex.get(name)!;
    (format.categoricalColumns.has(name) ? categorical : numeric).push(j);
  });
  return {
    detected,
    format,
    fieldOfFeature,
    numericFeatures: Int32Array.from(numeric),
    categoricalFeatures: Int32Array.from(categorical),
    labelField: fieldIndex.get(format.labelColumn)!,
    firstDataLine: detected.hasHeader ? 2 : 1,
  };
}

/** Row-local scratch: which features were missing/infinite, committed only if the row is kept. */
let pendingFeature = new Int32Array(128);
let pendingKind = new Uint8Array(128);

function appendRow(row: string[], line: number, layout: FileLayout, state: LoadState, path: string, report: FileLoadReport): boolean {
  const names = layout.detected.columnNames;
  if (row.length !== names.length) {
    drop(state, report, 'wrong-field-count', { file: path, line, column: null, detail: `${row.length} fields, expected ${names.length}` });
    return false;
  }
  const rawLabel = row[layout.labelField]!;
  let labelCode = state.labelCodeByRaw.get(rawLabel);
  if (labelCode === undefined) labelCode = classifyNewLabel(rawLabel, layout, state);
  if (labelCode < LABEL_NEW) {
    const column = layout.format.labelColumn;
    if (labelCode === LABEL_REPEATED_HEADER) drop(state, report, 'repeated-header', { file: path, line, column: null, detail: 'the header line repeated inside the data' });
    else drop(state, report, 'missing-label', { file: path, line, column, detail: `empty "${column}"` });
    return false;
  }

  const builder = state.builder!;
  builder.reserveRow();
  const rowIndex = builder.rowCount;
  const columns = builder.columns;
  const fieldOfFeature = layout.fieldOfFeature;
  const numeric = layout.numericFeatures;
  const keepInfinity = state.options.infinity === 'keep';
  if (pendingFeature.length < fieldOfFeature.length) {
    pendingFeature = new Int32Array(fieldOfFeature.length);
    pendingKind = new Uint8Array(fieldOfFeature.length);
  }
  let pending = 0;

  for (let k = 0; k < numeric.length; k++) {
    const j = numeric[k]!;
    const text = row[fieldOfFeature[j]!]!;
    const kind = parseCell(text);
    if (kind === CellKind.NUMBER) {
      columns[j]![rowIndex] = parsedCell.value;
    } else if (kind === CellKind.INVALID) {
      drop(state, report, 'non-numeric-value', {
        file: path, line, column: builder.featureNames[j]!,
        detail: `${describeCell(text)} is not a number (field ${fieldOfFeature[j]! + 1})`,
      });
      return false;
    } else {
      columns[j]![rowIndex] = kind === CellKind.INFINITE && keepInfinity ? parsedCell.value : NaN;
      pendingFeature[pending] = j;
      pendingKind[pending] = kind === CellKind.MISSING ? 0 : 1;
      pending++;
    }
  }

  const categorical = layout.categoricalFeatures;
  for (let k = 0; k < categorical.length; k++) {
    const j = categorical[k]!;
    const text = row[fieldOfFeature[j]!]!.trim();
    if (text === '') {
      columns[j]![rowIndex] = NaN;
      pendingFeature[pending] = j;
      pendingKind[pending] = 0;
      pending++;
    } else {
      columns[j]![rowIndex] = builder.dictionaries.get(builder.featureNames[j]!)!.codeOf(text);
    }
  }

  for (let p = 0; p < pending; p++) state.missingCounts[pendingFeature[p]!]![pendingKind[p]!]! += 1;
  if (labelCode === LABEL_NEW) labelCode = registerLabel(rawLabel, state);
  builder.labelCodes[rowIndex] = labelCode;
  builder.rowCount = rowIndex + 1;
  return true;
}

/** Marks header repeats and empty labels for good; anything else is LABEL_NEW until registered. */
function classifyNewLabel(rawLabel: string, layout: FileLayout, state: LoadState): number {
  let code = LABEL_NEW;
  if (layout.detected.hasHeader && canonicalHeader([rawLabel])[0] === layout.format.labelColumn) code = LABEL_REPEATED_HEADER;
  else if (cleanLabel(rawLabel) === '') code = LABEL_EMPTY;
  if (code !== LABEL_NEW) state.labelCodeByRaw.set(rawLabel, code);
  return code;
}

function registerLabel(rawLabel: string, state: LoadState): number {
  const label = cleanLabel(rawLabel);
  const code = state.builder!.labels.codeOf(label);
  if (label !== rawLabel) state.relabelled[rawLabel] = label;
  state.labelCodeByRaw.set(rawLabel, code);
  return code;
}

function describeCell(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}

function drop(state: LoadState, report: FileLoadReport, reason: DropReason, sample: DroppedRowSample): void {
  report.rowsDropped++;
  state.badRows.drop(reason, sample);
}
