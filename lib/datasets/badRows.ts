/**
 * Bookkeeping of dropped rows: counts per reason, the first few samples with line and column, and
 * the rule that turns "a few bad rows" into "this file is broken".
 */
import { DatasetError, DatasetErrorCode } from './errors.ts';
import type { DropReason, DroppedRowSample, LoadReport } from './loadReport.ts';

/** However small the file, this many bad rows are dropped rather than failing the load. */
export const MIN_TOLERATED_BAD_ROWS = 10;
export const DEFAULT_MAX_BAD_ROW_FRACTION = 0.01;
const SAMPLES_PER_REASON = 5;

export class BadRowLedger {
  total = 0;
  readonly byReason: LoadReport['dropped'] = {};
  /** Of the file being read: */
  private fileDropped = 0;
  private fileFirst: DroppedRowSample | null = null;
  private readonly fileReasons = new Map<DropReason, number>();

  constructor(private readonly maxFraction = DEFAULT_MAX_BAD_ROW_FRACTION) {}

  startFile(): void {
    this.fileDropped = 0;
    this.fileFirst = null;
    this.fileReasons.clear();
  }

  drop(reason: DropReason, sample: DroppedRowSample): void {
    this.total++;
    this.fileDropped++;
    this.fileFirst ??= sample;
    this.fileReasons.set(reason, (this.fileReasons.get(reason) ?? 0) + 1);
    const entry = (this.byReason[reason] ??= { count: 0, samples: [] });
    entry.count++;
    if (entry.samples.length < SAMPLES_PER_REASON) entry.samples.push(sample);
  }

  /** Throws TOO_MANY_BAD_ROWS, naming the file's first bad line and column, past the tolerance. */
  check(path: string, rowsRead: number, atEnd: boolean): void {
    const tolerated = Math.max(MIN_TOLERATED_BAD_ROWS, this.maxFraction * rowsRead);
    if (this.fileDropped <= tolerated) return;
    const first = this.fileFirst;
    const where = first ? ` First: line ${first.line}${first.column ? `, column "${first.column}"` : ''}: ${first.detail}.` : '';
    const reasons = [...this.fileReasons].map(([reason, count]) => `${reason} ${count}`).join(', ');
    throw new DatasetError(
      DatasetErrorCode.TOO_MANY_BAD_ROWS,
      `${path}: ${this.fileDropped} of ${rowsRead} data rows ${atEnd ? '' : 'read so far '}are malformed (${reasons}); `
        + `at most max(${MIN_TOLERATED_BAD_ROWS}, ${this.maxFraction * 100}%) are tolerated.${where}`,
    );
  }
}
