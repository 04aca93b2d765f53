import { CaptureAnomaly, type CaptureAnomalyName } from './anomalies.ts';
import { Frame, type FrameSink } from './frame.ts';

/**
 * Push-style base of the pcap and pcapng parsers. Subclasses parse complete records straight
 * out of each chunk; a record cut by a chunk boundary is assembled in a carry buffer that grows
 * by doubling up to the largest record the format allows (plus one header of look-ahead), so
 * memory stays bounded whatever the input. Nothing here throws on bad bytes: subclasses count an
 * anomaly and skip, resynchronise (search forward for the next plausible record) or stop.
 * Every decision depends on the bytes only, never on where the chunks were cut.
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
  /** True once parsing gave up (bad magic) or abort() was called. */
  stopped = false;
  /** Offset in the (decompressed) input of the first damaged record, -1 while there is none. */
  firstDamageOffset = -1;
  /** The single frame handed to the sink for every packet. */
  protected readonly frame = new Frame();
  /**
   * Set by parseRecords when it stops at an incomplete record: bytes needed from that record's
   * start before it can go on. Subclasses keep it at most maxRecordLength plus a header.
   */
  protected needed = 0;
  /** Input offset of buffer[0] in the current parseRecords call: `base + position` is absolute. */
  protected base = 0;
  /** True during the last parseRecords call, at end of input: no more bytes will come. */
  protected final = false;
  /** True while searching for the next plausible record after a damaged one. */
  protected resyncing = false;
  /** Input offset where the damaged record started (valid while resyncing). */
  private damageStart = 0;
  private carry = new Uint8Array(0);
  private carryLength = 0;
  /** Input offset of carry[0]. */
  private carryOffset = 0;
  private ended = false;
  private lastSink: FrameSink | null = null;

  /**
   * Parses complete records in buffer[start, end) and returns where it stopped: at `end`, or at
   * the start of a record (or resync candidate) that needs more bytes (after setting `needed`,
   * which must then exceed end minus that position), or anywhere once `stopped` is set.
   */
  protected abstract parseRecords(buffer: Uint8Array, start: number, end: number, sink: FrameSink): number;

  /** Feeds the next piece of the byte stream. Frames point into `chunk` only during the call. */
  push(chunk: Uint8Array, sink: FrameSink): void {
    if (this.stopped || this.ended) return;
    this.lastSink = sink;
    const chunkBase = this.bytesIn;
    this.bytesIn += chunk.length;
    let position = 0;
    // Finish the record that straddles the previous boundary, adding only the bytes it needs.
    while (this.carryLength > 0 && !this.stopped) {
      const take = Math.min(this.needed - this.carryLength, chunk.length - position);
      this.appendToCarry(chunk, position, take);
      position += take;
      if (this.carryLength < this.needed) return;
      this.base = this.carryOffset;
      const consumed = this.parseRecords(this.carry, 0, this.carryLength, sink);
      if (this.stopped) return;
      const left = this.carryLength - consumed;
      if (left <= 0) {
        this.carryLength = 0;
      } else if (left <= position) {
        // What is left came from this chunk (the carry's old bytes were consumed): go back to
        // parsing the chunk in place rather than copying record after record through the carry.
        position -= left;
        this.carryLength = 0;
      } else if (consumed === 0 && this.needed <= this.carryLength) {
        // Cannot happen with well-behaved subclasses; guard against a loop rather than trust it.
        this.stopped = true;
      } else {
        this.carry.copyWithin(0, consumed, this.carryLength);
        this.carryLength = left;
        this.carryOffset += consumed;
      }
    }
    if (this.stopped) return;
    this.base = chunkBase;
    const stop = this.parseRecords(chunk, position, chunk.length, sink);
    if (!this.stopped && stop < chunk.length) {
      this.carryOffset = chunkBase + stop;
      this.appendToCarry(chunk, stop, chunk.length - stop);
    }
  }

  /**
   * Signals the end of input. The bytes left over get a last look without look-ahead (a record
   * whose confirmation would lie past the end); what still cannot be parsed is counted, not thrown.
   */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.stopped) return;
    this.final = true;
    let left = this.carryLength;
    if (left > 0 && this.lastSink !== null) {
      this.base = this.carryOffset;
      left -= this.parseRecords(this.carry, 0, this.carryLength, this.lastSink);
    }
    if (this.resyncing) this.giveUpResync(this.bytesIn);
    else if (left > 0 || this.bytesIn === 0) this.noteTruncation();
    this.carryLength = 0;
  }

  /** Stops delivering frames, even in the middle of a push. */
  abort(): void {
    this.stopped = true;
  }

  protected count(anomaly: CaptureAnomalyName, amount = 1): void {
    this.anomalies[anomaly] = (this.anomalies[anomaly] ?? 0) + amount;
  }

  /** A record dropped because it was damaged (its cause is counted by the caller). */
  protected noteDamagedRecord(position: number): void {
    this.count(CaptureAnomaly.DAMAGED_RECORD);
    if (this.firstDamageOffset < 0) this.firstDamageOffset = this.base + position;
  }

  /** The record at `position` is damaged and so is the framing: search on from the next byte. */
  protected startResync(position: number): void {
    this.noteDamagedRecord(position);
    this.resyncing = true;
    this.damageStart = this.base + position;
  }

  /** The resync search found a plausible record at `position`. */
  protected endResync(position: number): void {
    this.resyncing = false;
    this.count(CaptureAnomaly.RESYNC);
    this.count(CaptureAnomaly.SKIPPED_BYTES, this.base + position - this.damageStart);
  }

  /** The input ended (at `endOffset`) before the resync search found anything. */
  private giveUpResync(endOffset: number): void {
    this.resyncing = false;
    this.count(CaptureAnomaly.RESYNC_FAILED);
    this.count(CaptureAnomaly.SKIPPED_BYTES, endOffset - this.damageStart);
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

/**
 * Two neighbouring records more than a day apart look like damage (a corrupt timestamp or a
 * header read from the middle of a packet); the next header decides which it is.
 */
export const TIME_WINDOW_SECONDS = 86_400;
