import { CaptureAnomaly } from './anomalies.ts';
import type { FrameSink } from './frame.ts';
import { MAX_CAPTURED_LENGTH, RecordParser, readUint16, readUint32, readUint32BE } from './recordParser.ts';

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

/**
 * Classic pcap (µs and ns magic, either byte order), one record after another:
 * 24-byte file header, then 16-byte record header + captured bytes per packet.
 */
export class PcapParser extends RecordParser {
  private headerDone = false;
  private littleEndian = true;
  private nanoseconds = false;
  linkType = 0;
  snapLength = 0;

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
      if (end - position < RECORD_HEADER_LENGTH) {
        this.needed = RECORD_HEADER_LENGTH;
        break;
      }
      const capturedLength = readUint32(buffer, position + 8, littleEndian);
      if (capturedLength > MAX_CAPTURED_LENGTH) {
        // Framing is lost: there is no way to find the next record header.
        this.count(CaptureAnomaly.ABSURD_CAPLEN);
        this.stopped = true;
        return end;
      }
      const recordLength = RECORD_HEADER_LENGTH + capturedLength;
      if (end - position < recordLength) {
        this.needed = recordLength;
        break;
      }
      const seconds = readUint32(buffer, position, littleEndian);
      const fraction = readUint32(buffer, position + 4, littleEndian);
      frame.timestampUs = seconds * 1_000_000 + Math.floor(fraction / fractionDivisor);
      frame.capturedLength = capturedLength;
      frame.originalLength = readUint32(buffer, position + 12, littleEndian);
      frame.buffer = buffer;
      frame.offset = position + RECORD_HEADER_LENGTH;
      position += recordLength;
      this.frames++;
      this.bytes += capturedLength;
      sink(frame);
    }
    return position;
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
    // The upper bits of this field may carry FCS information; the link type is the low 16.
    this.linkType = readUint32(buffer, position + 20, this.littleEndian) & 0xffff;
    this.headerDone = true;
    return true;
  }
}
