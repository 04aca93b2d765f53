import { CaptureAnomaly } from './anomalies.ts';
import type { FrameSink } from './frame.ts';
import { MAX_CAPTURED_LENGTH, RecordParser, TIME_WINDOW_SECONDS, readUint16, readUint32, readUint32BE } from './recordParser.ts';

const GLOBAL_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;

/** Classic libpcap magics as read big-endian from the first four bytes. */
export const PcapMagic = {
  MICROSECONDS_BE: 0xa1b2c3d4,
  MICROSECONDS_LE: 0xd4c3b2a1,
  NANOSECONDS_BE: 0xa1b23c4d,
  NANOSECONDS_LE: 0x4d3cb2a1,
} as const;

export function isPcapMagic(first4BigEndian: number): boolean {
  return (
    first4BigEndian === PcapMagic.MICROSECONDS_BE ||
    first4BigEndian === PcapMagic.MICROSECONDS_LE ||
    first4BigEndian === PcapMagic.NANOSECONDS_BE ||
    first4BigEndian === PcapMagic.NANOSECONDS_LE
  );
}

/** Why a record header looks wrong; any of these sends the reader to the header after it for a verdict. */
const SUSPECT_SNAP = 1;
const SUSPECT_ORIGINAL = 2;
const SUSPECT_FRACTION = 4;
const SUSPECT_TIME = 8;

/** Verdicts of confirmChain. */
const CHAIN_CONFIRMED = 0;
const CHAIN_BROKEN = 1;
const CHAIN_MORE = 2;

/**
 * Classic pcap (µs and ns magic, either byte order), one record after another:
 * 24-byte file header, then 16-byte record header + captured bytes per packet.
 *
 * The captured length is the only framing, so a damaged one would make every later header be
 * read from the wrong place. Each header is checked against the file header and its
 * predecessor (captured length within the snap length and the original length, sub-second
 * field in range, timestamp within a day of the previous record). A header that fails is judged
 * by the one after it: if that one is plausible the framing holds (a real time jump, an odd
 * writer, or one bad timestamp, which is replaced); otherwise the record is damaged and the
 * reader searches forward byte by byte for a header plausible next to the last good record
 * whose own successor is plausible too (Wireshark-style resynchronisation), counting the
 * damaged record and the bytes skipped.
 */
export class PcapParser extends RecordParser {
  private headerDone = false;
  private littleEndian = true;
  private nanoseconds = false;
  linkType = 0;
  snapLength = 0;
  /** Captured lengths above this are suspect: the snap length, or the 256 KiB ceiling when it is 0 or proved wrong. */
  private snapLimit = MAX_CAPTURED_LENGTH;
  /** Seconds and µs timestamp of the last record delivered; -1 before the first. */
  private lastSeconds = -1;
  private lastTimestampUs = -1;

  protected parseRecords(buffer: Uint8Array, start: number, end: number, sink: FrameSink): number {
    let position = start;
    if (!this.headerDone) {
      if (end - position < GLOBAL_HEADER_LENGTH) {
        this.needed = GLOBAL_HEADER_LENGTH;
        return position;
      }
      if (!this.readGlobalHeader(buffer, position)) return end;
      position += GLOBAL_HEADER_LENGTH;
    }
    const frame = this.frame;
    const littleEndian = this.littleEndian;
    const fractionDivisor = this.nanoseconds ? 1000 : 1;
    frame.linkType = this.linkType;
    frame.interfaceIndex = 0;
    while (!this.stopped) {
      if (this.resyncing) {
        position = this.findNextRecord(buffer, position, end);
        if (this.resyncing) break;
      }
      if (end - position < RECORD_HEADER_LENGTH) {
        this.needed = RECORD_HEADER_LENGTH;
        break;
      }
      const capturedLength = readUint32(buffer, position + 8, littleEndian);
      if (capturedLength > MAX_CAPTURED_LENGTH) {
        this.count(CaptureAnomaly.ABSURD_CAPLEN);
        this.startResync(position);
        position++;
        continue;
      }
      const recordLength = RECORD_HEADER_LENGTH + capturedLength;
      const seconds = readUint32(buffer, position, littleEndian);
      const fraction = readUint32(buffer, position + 4, littleEndian);
      const originalLength = readUint32(buffer, position + 12, littleEndian);
      const suspicion = this.suspicion(seconds, fraction, capturedLength, originalLength, this.lastSeconds);
      let timestampUs = -1;
      if (suspicion !== 0) {
        // The verdict needs the next header, or the end of input right after this record.
        const next = position + recordLength;
        const hasNext = end - next >= RECORD_HEADER_LENGTH;
        if (!hasNext && !this.final) {
          this.needed = recordLength + RECORD_HEADER_LENGTH;
          break;
        }
        // A record ending exactly where the input ends is framed right, whatever its header says.
        const lastOne = !hasNext && next === end;
        if (!hasNext && !lastOne) {
          // At the end, cut inside this record or the next header: nothing confirms this header.
          this.count(CaptureAnomaly.IMPLAUSIBLE_HEADER);
          this.startResync(position);
          position++;
          continue;
        }
        const byOriginal = position + RECORD_HEADER_LENGTH + originalLength;
        if ((suspicion & (suspicion - 1)) !== 0) {
          // Two things wrong at once: a header read from inside a packet, not an odd writer.
          this.count(CaptureAnomaly.IMPLAUSIBLE_HEADER);
          this.startResync(position);
          position++;
          continue;
        }
        if (
          (suspicion & SUSPECT_ORIGINAL) !== 0 &&
          end - byOriginal >= RECORD_HEADER_LENGTH &&
          this.plausibleAt(buffer, byOriginal, seconds)
        ) {
          // Framed by its original length the record is followed by a good header: the captured
          // length is the damaged field (where records have one size, the damaged length can
          // still land on a real header further on, so a header there proves nothing).
          this.count(CaptureAnomaly.IMPLAUSIBLE_HEADER);
          this.startResync(position);
          position++;
          continue;
        }
        if ((suspicion & SUSPECT_FRACTION) === 0 && (lastOne || this.plausibleAt(buffer, next, seconds))) {
          // Framing holds and this header is self-consistent: a real time jump or an odd writer.
          this.noteAccepted(suspicion);
        } else if ((suspicion & (SUSPECT_SNAP | SUSPECT_ORIGINAL)) === 0 && (lastOne || this.plausibleAt(buffer, next, this.lastSeconds))) {
          // The framing holds but this record's own timestamp is wrong: keep the packet, not the time.
          this.count(CaptureAnomaly.BAD_TIMESTAMP);
          timestampUs = this.lastTimestampUs >= 0 ? this.lastTimestampUs : seconds * 1_000_000;
        } else {
          this.count(CaptureAnomaly.IMPLAUSIBLE_HEADER);
          this.startResync(position);
          position++;
          continue;
        }
      }
      if (end - position < recordLength) {
        this.needed = recordLength;
        break;
      }
      if (timestampUs < 0) {
        timestampUs = seconds * 1_000_000 + Math.floor(fraction / fractionDivisor);
        this.lastSeconds = seconds;
      }
      this.lastTimestampUs = timestampUs;
      frame.timestampUs = timestampUs;
      frame.capturedLength = capturedLength;
      frame.originalLength = originalLength;
      frame.buffer = buffer;
      frame.offset = position + RECORD_HEADER_LENGTH;
      position += recordLength;
      this.frames++;
      this.bytes += capturedLength;
      sink(frame);
    }
    return position;
  }

  /** Bit set of what is wrong with a header, judged against the file header and the previous record's seconds. */
  private suspicion(seconds: number, fraction: number, capturedLength: number, originalLength: number, previousSeconds: number): number {
    let suspicion = 0;
    if (capturedLength > this.snapLimit) suspicion |= SUSPECT_SNAP;
    if (capturedLength > originalLength) suspicion |= SUSPECT_ORIGINAL;
    if (fraction >= (this.nanoseconds ? 1_000_000_000 : 1_000_000)) suspicion |= SUSPECT_FRACTION;
    if (previousSeconds >= 0 && Math.abs(seconds - previousSeconds) > TIME_WINDOW_SECONDS) suspicion |= SUSPECT_TIME;
    return suspicion;
  }

  /** True when a whole header at `position` raises no suspicion next to a record at `previousSeconds`. */
  private plausibleAt(buffer: Uint8Array, position: number, previousSeconds: number): boolean {
    const littleEndian = this.littleEndian;
    const capturedLength = readUint32(buffer, position + 8, littleEndian);
    if (capturedLength > MAX_CAPTURED_LENGTH) return false;
    return (
      this.suspicion(
        readUint32(buffer, position, littleEndian),
        readUint32(buffer, position + 4, littleEndian),
        capturedLength,
        readUint32(buffer, position + 12, littleEndian),
        previousSeconds,
      ) === 0
    );
  }

  /** Counts what a confirmed but unusual header showed; a snap length proved wrong is dropped. */
  private noteAccepted(suspicion: number): void {
    if ((suspicion & SUSPECT_SNAP) !== 0) {
      this.count(CaptureAnomaly.CAPLEN_EXCEEDS_SNAPLEN);
      this.snapLimit = MAX_CAPTURED_LENGTH;
    }
    if ((suspicion & SUSPECT_ORIGINAL) !== 0) this.count(CaptureAnomaly.CAPLEN_EXCEEDS_ORIGLEN);
  }

  /**
   * Scans buffer[start, end) for a header plausible next to the last good record whose successor
   * is plausible next to it (or ends the input). Returns the candidate's position with resyncing
   * cleared, or where the scan must wait for more bytes (`needed` set), or `end` at the end of input.
   */
  private findNextRecord(buffer: Uint8Array, start: number, end: number): number {
    for (let candidate = start; ; candidate++) {
      if (end - candidate < RECORD_HEADER_LENGTH) {
        if (this.final) return end;
        this.needed = RECORD_HEADER_LENGTH;
        return candidate;
      }
      // Cheapest test first: the captured length alone rules out almost every offset.
      if (readUint32(buffer, candidate + 8, this.littleEndian) > this.snapLimit) continue;
      if (!this.plausibleAt(buffer, candidate, this.lastSeconds)) continue;
      const verdict = this.confirmChain(buffer, candidate, end);
      if (verdict === CHAIN_MORE) return candidate;
      if (verdict === CHAIN_BROKEN) continue;
      this.endResync(candidate);
      return candidate;
    }
  }

  /**
   * Follows the headers after a resync candidate. With a last good record to compare against,
   * one plausible successor confirms it. Without one (the first record was damaged) nothing
   * anchors the clock, and a header read 4 bytes off (sub-second field taken for the seconds,
   * original length for the captured one) chains on consistently; then the seconds must be too
   * large to be a sub-second field and three successors must follow, each less than an hour later.
   */
  private confirmChain(buffer: Uint8Array, candidate: number, end: number): number {
    const littleEndian = this.littleEndian;
    const anchored = this.lastSeconds >= 0;
    const links = anchored ? 1 : 3;
    let position = candidate;
    let seconds = readUint32(buffer, position, littleEndian);
    const fractionUnits = this.nanoseconds ? 1_000_000_000 : 1_000_000;
    if (!anchored && seconds < fractionUnits) return CHAIN_BROKEN;
    for (let link = 0; link < links; link++) {
      const next = position + RECORD_HEADER_LENGTH + readUint32(buffer, position + 8, littleEndian);
      if (end - next < RECORD_HEADER_LENGTH) {
        if (this.final) return next === end ? CHAIN_CONFIRMED : CHAIN_BROKEN;
        this.needed = next + RECORD_HEADER_LENGTH - candidate;
        return CHAIN_MORE;
      }
      const nextSeconds = readUint32(buffer, next, littleEndian);
      if (!this.plausibleAt(buffer, next, seconds)) return CHAIN_BROKEN;
      if (!anchored && (nextSeconds < fractionUnits || nextSeconds + 1 < seconds || nextSeconds > seconds + 3600)) return CHAIN_BROKEN;
      position = next;
      seconds = nextSeconds;
    }
    return CHAIN_CONFIRMED;
  }

  protected override noteTruncation(): void {
    if (this.headerDone) {
      super.noteTruncation();
    } else {
      this.truncated = true;
      this.count(CaptureAnomaly.TRUNCATED_HEADER);
    }
  }

  private readGlobalHeader(buffer: Uint8Array, position: number): boolean {
    const magic = readUint32BE(buffer, position);
    if (!isPcapMagic(magic)) {
      this.count(CaptureAnomaly.BAD_MAGIC);
      this.stopped = true;
      return false;
    }
    this.littleEndian = magic === PcapMagic.MICROSECONDS_LE || magic === PcapMagic.NANOSECONDS_LE;
    this.nanoseconds = magic === PcapMagic.NANOSECONDS_BE || magic === PcapMagic.NANOSECONDS_LE;
    if (readUint16(buffer, position + 4, this.littleEndian) !== 2) this.count(CaptureAnomaly.UNUSUAL_VERSION);
    this.snapLength = readUint32(buffer, position + 16, this.littleEndian);
    if (this.snapLength > 0 && this.snapLength < MAX_CAPTURED_LENGTH) this.snapLimit = this.snapLength;
    // The upper bits of this field may carry FCS information; the link type is the low 16.
    this.linkType = readUint32(buffer, position + 20, this.littleEndian) & 0xffff;
    this.headerDone = true;
    return true;
  }
}
