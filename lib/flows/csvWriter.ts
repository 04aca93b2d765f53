import { javaDouble, javaLong } from './cellText.ts';
import type { FeatureFormat, TextContext } from './featureFormat.ts';
import type { FlowView } from './flowView.ts';

/** Anything with a Node-style write(string); a fs.WriteStream or process.stdout fits. */
export interface TextSink {
  write(chunk: string): unknown;
}

export interface FlowCsvWriterOptions {
  /** Minutes east of UTC for Timestamp cells. Default 0 (UTC); CIC-IDS2017 itself used -180. */
  utcOffsetMinutes?: number;
  /** Label cell text. Default: the format's ("NeedManualLabel"). */
  label?: string;
  /** Characters buffered before one write to the sink. Default 256 KiB. */
  flushThreshold?: number;
}

/**
 * Writes flows as CSV in a format's layout: the dataset's exact header line, then one line per
 * accepted flow, integers plain and doubles as Java printed them (so files read like the datasets
 * and every value parses back to the same double). Lines end in "\n" like the Java tools'.
 */
export class FlowCsvWriter {
  rowsWritten = 0;
  private readonly row: Float64Array;
  private readonly context: TextContext;
  private buffer = '';
  private readonly flushThreshold: number;

  constructor(
    readonly format: FeatureFormat,
    private readonly sink: TextSink,
    options: FlowCsvWriterOptions = {},
  ) {
    this.row = new Float64Array(format.columns.length);
    this.context = {
      rowNumber: 0,
      utcOffsetMinutes: options.utcOffsetMinutes ?? 0,
      label: options.label ?? format.defaultLabel,
    };
    this.flushThreshold = options.flushThreshold ?? 256 * 1024;
  }

  writeHeader(): void {
    this.buffer += `${this.format.headerLine}\n`;
  }

  /** Writes the flow if the format accepts it; returns whether a line was written. */
  writeFlow(flow: FlowView): boolean {
    if (!this.format.accepts(flow)) return false;
    this.context.rowNumber = this.rowsWritten + 1;
    this.buffer += `${formatFlowLine(this.format, flow, this.row, this.context)}\n`;
    this.rowsWritten++;
    if (this.buffer.length >= this.flushThreshold) this.flush();
    return true;
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    this.sink.write(this.buffer);
    this.buffer = '';
  }
}

/** One CSV line (no newline) for a flow; `row` is scratch space of format.columns.length. */
export function formatFlowLine(format: FeatureFormat, flow: FlowView, row: Float64Array, context: TextContext): string {
  format.fillRow(flow, row);
  const columns = format.columns;
  let line = '';
  for (let c = 0; c < columns.length; c++) {
    const kind = columns[c]!.kind;
    const cell = kind === 'text' ? format.text(flow, c, context) : kind === 'integer' ? javaLong(row[c]!) : javaDouble(row[c]!);
    line += c === 0 ? cell : `,${cell}`;
  }
  return line;
}
