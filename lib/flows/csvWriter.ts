import { javaDouble, javaLong } from './cellText.ts';
import { ByteLine, MAX_NUMBER_CELL_BYTES, writeJavaDouble, writeJavaLong } from './csvBytes.ts';
import type { FeatureFormat, TextContext } from './featureFormat.ts';
import type { FlowView } from './flowView.ts';

/**
 * Where CSV bytes go; a fs.WriteStream or process.stdout fits. `write` may keep the chunk until
 * it calls `done` (streams do), so the writer only reuses a chunk after that. A `false` return
 * means the sink is over its high-water mark: `FlowCsvWriter.drained()` then waits for `drain`.
 */
export interface TextSink {
  write(chunk: Uint8Array, done?: (error?: Error | null) => void): unknown;
  once?(event: 'drain' | 'close', listener: () => void): unknown;
  off?(event: 'drain' | 'close', listener: () => void): unknown;
}

/**
 * What a format may add to write its text cells (addresses, Flow ID, timestamp, label) straight
 * into the line, with csvBytes.ts's writeFlowAddress / writeIsoMicrosTimestamp / ByteLine.text,
 * instead of returning a string per cell from `text()`. The bytes must equal `text()`'s UTF-8.
 */
export interface ByteTextCells {
  writeText(flow: FlowView, column: number, context: TextContext, out: ByteLine): void;
}

function hasByteTextCells(format: FeatureFormat): format is FeatureFormat & ByteTextCells {
  return typeof (format as Partial<ByteTextCells>).writeText === 'function';
}

export interface FlowCsvWriterOptions {
  /** Minutes east of UTC for Timestamp cells. Default 0 (UTC); CIC-IDS2017 itself used -180. */
  utcOffsetMinutes?: number;
  /** Label cell text. Default: the format's ("NeedManualLabel"). */
  label?: string;
  /** Bytes gathered before one write to the sink. Default 1 MiB. */
  flushThreshold?: number;
}

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const DIGIT_0 = 0x30;
const DOT = 0x2e;
const TEXT = 0;
const INTEGER = 1;
const REAL = 2;
/** Room kept past the flush threshold so a row rarely has to grow the chunk. */
const ROW_ROOM = 16 * 1024;

/**
 * Writes flows as CSV in a format's layout: the dataset's exact header line, then one line per
 * accepted flow, integers plain and doubles as Java printed them (so files read like the datasets
 * and every value parses back to the same double). Lines end in "\n" like the Java tools'.
 *
 * Cells are formatted straight into a byte chunk (csvBytes.ts); a full chunk goes to the sink
 * whole, and chunks the sink has finished with are reused, so a long run allocates a handful of
 * chunks rather than a string per cell. The text is byte for byte what `formatFlowLine` gives.
 */
export class FlowCsvWriter {
  rowsWritten = 0;
  private readonly row: Float64Array;
  private readonly context: TextContext;
  private readonly kinds: Uint8Array;
  private readonly flushThreshold: number;
  private readonly chunkCapacity: number;
  private readonly out: ByteLine;
  private readonly spareChunks: Uint8Array[] = [];
  private sinkFull = false;
  /** The format itself when it writes its text cells as bytes. */
  private readonly byteText: ByteTextCells | null;

  constructor(
    readonly format: FeatureFormat,
    private readonly sink: TextSink,
    options: FlowCsvWriterOptions = {},
  ) {
    this.row = new Float64Array(format.columns.length);
    this.kinds = Uint8Array.from(format.columns, (column) => (column.kind === 'text' ? TEXT : column.kind === 'integer' ? INTEGER : REAL));
    this.context = {
      rowNumber: 0,
      utcOffsetMinutes: options.utcOffsetMinutes ?? 0,
      label: options.label ?? format.defaultLabel,
    };
    this.flushThreshold = options.flushThreshold ?? 1024 * 1024;
    this.chunkCapacity = this.flushThreshold + ROW_ROOM;
    this.out = new ByteLine(this.chunkCapacity);
    this.byteText = hasByteTextCells(format) ? format : null;
  }

  writeHeader(): void {
    this.out.text(this.format.headerLine);
    this.out.byte(NEWLINE);
  }

  /** Writes the flow if the format accepts it; returns whether a line was written. */
  writeFlow(flow: FlowView): boolean {
    const format = this.format;
    if (!format.accepts(flow)) return false;
    const context = this.context;
    context.rowNumber = this.rowsWritten + 1;
    const row = this.row;
    format.fillRow(flow, row);
    const kinds = this.kinds;
    const out = this.out;
    const byteText = this.byteText;
    // Room for every numeric cell and its comma at once; text cells reserve their own.
    out.reserve(kinds.length * (MAX_NUMBER_CELL_BYTES + 1));
    let bytes = out.bytes;
    let at = out.length;
    for (let c = 0; c < kinds.length; c++) {
      if (c > 0) bytes[at++] = COMMA;
      const kind = kinds[c];
      if (kind !== TEXT) {
        const x = row[c]!;
        // Zero is most cells (unused flags, empty directions): written here without a call.
        if (x === 0 && 1 / x > 0) {
          bytes[at++] = DIGIT_0;
          if (kind === REAL) {
            bytes[at++] = DOT;
            bytes[at++] = DIGIT_0;
          }
        } else at = kind === INTEGER ? writeJavaLong(bytes, at, x) : writeJavaDouble(bytes, at, x);
      } else {
        out.length = at;
        if (byteText !== null) byteText.writeText(flow, c, context, out);
        else out.text(format.text(flow, c, context));
        out.reserve((kinds.length - c) * (MAX_NUMBER_CELL_BYTES + 1));
        bytes = out.bytes;
        at = out.length;
      }
    }
    out.length = at;
    out.byte(NEWLINE);
    this.rowsWritten++;
    if (out.length >= this.flushThreshold) this.flush();
    return true;
  }

  /** Hands what is gathered to the sink. */
  flush(): void {
    const out = this.out;
    if (out.length === 0) return;
    const chunk = out.bytes;
    const accepted = this.sink.write(chunk.subarray(0, out.length), () => {
      // A chunk that grew for an outsized row is left to the garbage collector.
      if (chunk.length === this.chunkCapacity) this.spareChunks.push(chunk);
    });
    if (accepted === false) this.sinkFull = true;
    out.bytes = this.spareChunks.pop() ?? new Uint8Array(this.chunkCapacity);
    out.length = 0;
  }

  /**
   * Resolves once the sink has room again (at once if it never said it was full). Awaiting it
   * between input chunks is the backpressure: memory stays bounded however slow the output is.
   */
  drained(): Promise<void> {
    const sink = this.sink;
    if (!this.sinkFull || sink.once === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        sink.off?.('drain', done);
        sink.off?.('close', done);
        this.sinkFull = false;
        resolve();
      };
      sink.once!('drain', done);
      // A sink that fails or is closed never drains; the caller learns of that from the sink.
      sink.once!('close', done);
    });
  }
}

/**
 * One CSV line (no newline) for a flow as a string; `row` is scratch space of format.columns.length.
 * The plain reference for FlowCsvWriter's bytes (tests hold the two equal) and for callers that
 * want cells as text.
 */
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
