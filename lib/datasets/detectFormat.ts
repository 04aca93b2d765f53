/**
 * Tells which dataset layout a CSV has from its first row: the header names for CIC-IDS2017,
 * the improved CIC-IDS2017 and UNSW-NB15; the field count and protocol column for the headerless
 * NSL-KDD. Unknown layouts fail with the columns that were found, so the user sees why.
 */
import Papa from 'papaparse';
import { DatasetError, DatasetErrorCode } from './errors.ts';
import { CIC2017_MACHINE_LEARNING_CVE_OMITS, datasetFormats, type DatasetFormatName } from './formats.ts';
import { readFirstLine } from './textSource.ts';

export interface DetectedFormat {
  format: DatasetFormatName;
  /** Which flavour of the format, e.g. 'GeneratedLabelledFlows (85 columns)'. */
  variant: string;
  hasHeader: boolean;
  /** Canonical name of each field of a row, in file order (trimmed, BOM gone, duplicates '.1'). */
  columnNames: string[];
  /** Columns of the format this file does not have (e.g. Destination Port in a 78-column CIC copy). */
  missingColumns: string[];
}

const KDD_PROTOCOLS = new Set(['tcp', 'udp', 'icmp']);

/**
 * Header names as the rest of NetGuard writes them: BOM and surrounding spaces removed; the
 * second and later copies of a repeated name get '.1', '.2' (pandas' convention), which turns
 * CIC-IDS2017's second " Fwd Header Length" into "Fwd Header Length.1".
 */
export function canonicalHeader(fields: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return fields.map((field, index) => {
    let name = field.trim();
    if (index === 0 && name.charCodeAt(0) === 0xfeff) name = name.slice(1).trim();
    const copies = seen.get(name) ?? 0;
    seen.set(name, copies + 1);
    return copies === 0 ? name : `${name}.${copies}`;
  });
}

export function detectFormat(firstRow: readonly string[]): DetectedFormat {
  const fields = firstRow.map((field, index) => (index === 0 ? field.replace(/^\uFEFF/, '') : field));

  if ((fields.length === 43 || fields.length === 42) && KDD_PROTOCOLS.has(fields[1]!.trim())
      && fields[0]!.trim() !== '' && Number.isFinite(Number(fields[0]))) {
    const columns = datasetFormats['nsl-kdd'].columns.slice(0, fields.length);
    return {
      format: 'nsl-kdd',
      variant: fields.length === 43 ? 'NSL-KDD (41 features, label, difficulty)' : 'KDD (41 features, label)',
      hasHeader: false,
      columnNames: [...columns],
      missingColumns: fields.length === 43 ? [] : ['difficulty'],
    };
  }

  const names = canonicalHeader(fields);
  let best: { format: DatasetFormatName; matched: number; unknown: string[]; missing: string[] } | null = null;
  for (const format of Object.values(datasetFormats)) {
    if (!format.hasHeader) continue;
    const known = new Set(format.columns);
    const present = new Set(names);
    const unknown = names.filter((name) => !known.has(name));
    const matched = names.length - unknown.length;
    const missing = format.columns.filter((name) => !present.has(name));
    const candidate = { format: format.name, matched, unknown, missing };
    if (!best || matched / format.columns.length > best.matched / datasetFormats[best.format].columns.length) best = candidate;
  }

  const labelColumn = best ? datasetFormats[best.format].labelColumn : '';
  if (best && best.unknown.length === 0 && names.includes(labelColumn) && best.matched >= 10) {
    return {
      format: best.format,
      variant: variantName(best.format, names, best.missing),
      hasHeader: true,
      columnNames: names,
      missingColumns: best.missing,
    };
  }

  const shown = names.slice(0, 12).map((name) => JSON.stringify(name)).join(', ');
  let hint = '';
  if (best && best.matched >= 10) {
    const reasons: string[] = [];
    if (best.unknown.length > 0) reasons.push(`unknown column(s) ${best.unknown.slice(0, 8).map((n) => JSON.stringify(n)).join(', ')}`);
    if (!names.includes(labelColumn)) reasons.push(`no "${labelColumn}" column`);
    hint = ` It is closest to ${best.format} (${best.matched} known columns) but has ${reasons.join(' and ')}.`;
  }
  throw new DatasetError(
    DatasetErrorCode.UNKNOWN_FORMAT,
    `Unrecognised dataset layout: first line has ${names.length} field(s): ${shown}${names.length > 12 ? ', …' : ''}.${hint}`
      + ' Known layouts: NSL-KDD (headerless, 42/43 fields), CIC-IDS2017 GeneratedLabelledFlows/MachineLearningCVE,'
      + ' improved CIC-IDS2017 (91 columns), UNSW-NB15 training/testing set (45 columns).',
  );
}

function variantName(format: DatasetFormatName, names: readonly string[], missing: readonly string[]): string {
  const count = names.length;
  if (format === 'cic2017') {
    if (missing.length === 0) return `GeneratedLabelledFlows (${count} columns)`;
    const omitsExactlyCve = missing.length === CIC2017_MACHINE_LEARNING_CVE_OMITS.length
      && CIC2017_MACHINE_LEARNING_CVE_OMITS.every((name) => missing.includes(name));
    if (omitsExactlyCve) return `MachineLearningCVE (${count} columns)`;
    const extra = missing.filter((name) => !CIC2017_MACHINE_LEARNING_CVE_OMITS.includes(name));
    if (CIC2017_MACHINE_LEARNING_CVE_OMITS.every((name) => missing.includes(name))) {
      return `MachineLearningCVE without ${extra.join(', ')} (${count} columns)`;
    }
    return `partial (${count} columns, without ${missing.join(', ')})`;
  }
  if (missing.length === 0) return `full (${count} columns)`;
  return `partial (${count} columns, without ${missing.join(', ')})`;
}

/** Detects the format of a file from its first line (gzip read transparently). */
export async function detectFileFormat(path: string): Promise<DetectedFormat> {
  const line = await readFirstLine(path);
  if (line.trim() === '') throw new DatasetError(DatasetErrorCode.EMPTY_FILE, `Dataset file ${path} has no first line (empty or blank).`);
  const parsed = Papa.parse<string[]>(line, { delimiter: ',', header: false });
  const firstRow = parsed.data[0] ?? [];
  try {
    return detectFormat(firstRow);
  } catch (error) {
    if (error instanceof DatasetError) throw new DatasetError(error.code, `${path} line 1: ${error.message}`, { cause: error });
    throw error;
  }
}
