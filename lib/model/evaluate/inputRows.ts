/**
 * Lines up the rows of a loaded FeatureTable with the data rows of the files they came from, so
 * a per-row output (evaluate --predictions) can have one line per input row even when the loader
 * dropped malformed rows. An input row is what the loader counts in `rowsRead`: a non-blank line
 * after the header (a repeated header line inside the data is a dropped row).
 *
 * Without drops the table rows are the input rows. With drops, the loader's report locates them
 * by file and line (its first samples per reason); the files are re-read to number their lines
 * the way the loader does. When the report could not list every dropped row, the alignment is
 * refused rather than guessed.
 */
import Papa from 'papaparse';
import { detectFormat } from '../../datasets/detectFormat.ts';
import type { LoadReport } from '../../datasets/loadDataset.ts';
import { openTextSource } from '../../datasets/textSource.ts';

export interface InputRowAlignment {
  /** tableRow[i] = table row of input row i, or -1 when the loader dropped it. */
  tableRow: Int32Array;
  /** Input row index → the loader's drop reason and detail. */
  dropped: Map<number, string>;
}

export async function alignInputRows(paths: readonly string[], report: LoadReport): Promise<InputRowAlignment> {
  if (report.truncated) throw new Error('The dataset load stopped early (maxRows); its rows cannot stand for every input row');
  if (report.rowsDropped === 0) {
    const tableRow = new Int32Array(report.rows);
    for (let i = 0; i < tableRow.length; i++) tableRow[i] = i;
    return { tableRow, dropped: new Map() };
  }
  const droppedAt = new Map<string, string>();
  for (const [reason, entry] of Object.entries(report.dropped)) {
    if (entry.samples.length < entry.count) {
      const first = entry.samples[0];
      throw new Error(
        `The loader dropped ${entry.count} rows as ${reason} but locates only the first ${entry.samples.length}, so predictions cannot be lined up `
          + `with the input rows${first ? ` (first: ${first.file}:${first.line} ${first.detail})` : ''}; fix or remove those lines`,
      );
    }
    for (const sample of entry.samples) droppedAt.set(`${sample.file}\n${sample.line}`, `${reason}: ${sample.detail}`);
  }
  const tableRows: number[] = [];
  const dropped = new Map<number, string>();
  let nextTableRow = 0;
  for (const path of paths) {
    for (const line of await dataRowLines(path)) {
      const reason = droppedAt.get(`${path}\n${line}`);
      if (reason !== undefined) {
        dropped.set(tableRows.length, reason);
        tableRows.push(-1);
      } else {
        tableRows.push(nextTableRow++);
      }
    }
  }
  if (nextTableRow !== report.rows || dropped.size !== report.rowsDropped) {
    throw new Error(`Re-reading ${paths.join(', ')} found ${nextTableRow} kept and ${dropped.size} dropped rows, but the load had ${report.rows} and ${report.rowsDropped}; did a file change?`);
  }
  return { tableRow: Int32Array.from(tableRows), dropped };
}

/** Line numbers (1-based, as the loader counts parsed rows) of a file's data rows. */
async function dataRowLines(path: string): Promise<number[]> {
  const source = await openTextSource(path);
  const lines: number[] = [];
  let line = 0;
  let sawFirst = false;
  try {
    await new Promise<void>((resolve, reject) => {
      Papa.parse<string[]>(source.text, {
        delimiter: ',',
        header: false,
        dynamicTyping: false,
        skipEmptyLines: false,
        chunk: (results) => {
          for (const row of results.data) {
            line++;
            if (row.length === 1 && row[0]!.trim() === '') continue;
            if (!sawFirst) {
              sawFirst = true;
              if (detectFormat(row).hasHeader) continue;
            }
            lines.push(line);
          }
        },
        complete: () => {
          const failure = source.failure();
          if (failure) reject(failure);
          else resolve();
        },
        error: (error: Error) => reject(error),
      });
    });
  } finally {
    source.close();
  }
  return lines;
}
