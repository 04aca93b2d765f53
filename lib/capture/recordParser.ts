import { CaptureAnomaly, type CaptureAnomalyName } from './anomalies.ts';
import { Frame, type FrameSink } from './frame.ts';

/**
 * Push-style base of the pcap and pcapng parsers. Subclasses parse complete records straight
 * out of each chunk; a record cut by a chunk boundary is assembled in a carry buffer that grows
 * by doubling up to the largest record the format allows, so memory stays bounded whatever the
 * input. Nothing here throws on bad bytes: subclasses count an anomaly and skip or stop.
 */
export abstract class RecordParser {
  /** Frames handed to the sink. */
  frames = 0;
  /** Captured bytes handed to the sink. */
  bytes = 0;
  /** Bytes pushed in so far. */
  bytesIn = 0;
  readonly anomalies: Record<string, number> = {};
  /** True when the input ended in the middle of a header or record. */
  truncated = false;
  /** True once parsing gave up (bad magic, lost framing) or abort() was called. */
  stopped = false;
  /** The single frame handed to the sink for every packet. */
  protected readonly frame = new Frame();
  /**
   * Set by parseRecords when it stops at an incomplete record: bytes needed from that record's
   * start before it can go on. Subclasses keep it at most maxRecordLength.
   */
  protected needed = 0;
  private carry = new Uint8Array(0);
  private carryLength = 0;
  private ended = false;

  /**
   * Parses complete records in buffer[start, end) and returns where it stopped: at `end`, or at
   * the start of a record that needs more bytes (after setting `needed`), or anywhere once
   * `stopped` is set.
   */
  protected abstract parseRecords(buffer: Uint8Array, start: number, end: number, sink: FrameSink): number;

  /** Feeds the next piece of the byte stream. Frames point into `chunk` only during the call. */
  push(chunk: Uint8Array, sink: FrameSink): void {
    if (this.stopped || this.ended) return;
    this.bytesIn += chunk.length;
    let position = 0;
    // Finish the record that straddles the previous boundary, adding only its own bytes.
    while (this.carryLength > 0 && !this.stopped) {
      const take = Math.min(this.needed - this.carryLength, chunk.length - position);
      this.appendToCarry(chunk, position, take);
      position += take;
      if (this.carryLength < this.needed) return;
      const consumed = this.parseRecords(this.carry, 0, this.carryLength, sink);
      if (consumed >= this.carryLength) {
        this.carryLength = 0;
      } else if (consumed > 0 || this.needed <= this.carryLength) {
        // Cannot happen with well-behaved subclasses (we never give more than one record);
        // guard against a loop rather than trust it.
        this.stopped = true;
      }
    }
    if (this.stopped) return;
    const stop = this.parseRecords(chunk, position, chunk.length, sink);
    if (!this.stopped && stop < chunk.length) this.appendToCarry(chunk, stop, chunk.length - stop);
  }

  /** Signals the end of input: a partial record left over is counted, not thrown. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.stopped) return;
    if (this.carryLength > 0 || this.bytesIn === 0) this.noteTruncation();
    this.carryLength = 0;
  }

  /** Stops delivering frames, even in the middle of a push. */
  abort(): void {
    this.stopped = true;
  }

  protected count(anomaly: CaptureAnomalyName): void {
    this.anomalies[anomaly] = (this.anomalies[anomaly] ?? 0) + 1;
  }

  /** Called at end of input with unfinished bytes; subclasses say whether it was a header. */
  protected noteTruncation(): void {
    this.truncated = true;
    this.count(CaptureAnomaly.TRUNCATED_RECORD);
  }

  private appendToCarry(source: Uint8Array, start: number, length: number): void {
    const required = this.carryLength + length;
    if (required > this.carry.length) {
      let capacity = Math.max(this.carry.length, 65536);
      while (capacity < required) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(source.subarray(start, start + length), this.carryLength);
    this.carryLength = required;
  }
}

export function readUint32LE(buffer: Uint8Array, offset: number): number {
  return (buffer[offset] | (buffer[offset + 1] << 8) | (buffer[offset + 2] << 16) | (buffer[offset + 3] << 24)) >>> 0;
}

export function readUint32BE(buffer: Uint8Array, offset: number): number {
  return ((buffer[offset] << 24) | (buffer[offset + 1] << 16) | (buffer[offset + 2] << 8) | buffer[offset + 3]) >>> 0;
}

export function readUint16(buffer: Uint8Array, offset: number, littleEndian: boolean): number {
  return littleEndian ? buffer[offset] | (buffer[offset + 1] << 8) : (buffer[offset] << 8) | buffer[offset + 1];
}

export function readUint32(buffer: Uint8Array, offset: number, littleEndian: boolean): number {
  return littleEndian ? readUint32LE(buffer, offset) : readUint32BE(buffer, offset);
}

/** Largest captured length we accept; libpcap's own ceiling is 256 KiB too. */
export const MAX_CAPTURED_LENGTH = 256 * 1024;
