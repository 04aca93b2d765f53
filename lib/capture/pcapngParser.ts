import { CaptureAnomaly, type CaptureAnomalyName } from './anomalies.ts';
import type { FrameSink } from './frame.ts';
import { MAX_CAPTURED_LENGTH, RecordParser, TIME_WINDOW_SECONDS, readUint16, readUint32, readUint32LE } from './recordParser.ts';
import { timestampToMicroseconds, unitsPerSecondFromResolution } from './timestampUnits.ts';

/** pcapng block types (IETF draft-ietf-opsawg-pcapng). */
export const PcapngBlockType = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 0x00000001,
  OBSOLETE_PACKET: 0x00000002,
  SIMPLE_PACKET: 0x00000003,
  NAME_RESOLUTION: 0x00000004,
  INTERFACE_STATISTICS: 0x00000005,
  ENHANCED_PACKET: 0x00000006,
  SYSTEMD_JOURNAL_EXPORT: 0x00000009,
  DECRYPTION_SECRETS: 0x0000000a,
  CUSTOM: 0x00000bad,
  CUSTOM_DO_NOT_COPY: 0x40000bad,
} as const;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;
const BLOCK_HEADER_LENGTH = 12; // type + length + (trailing length | SHB byte-order magic)
/** Generous ceiling (Wireshark uses the same) so a corrupt length cannot make us buffer gigabytes. */
const MAX_BLOCK_LENGTH = 16 * 1024 * 1024;
/**
 * Room for options in a packet block beyond its packet bytes: real writers add a comment, flags,
 * a hash or a drop count (tens of bytes). A block claiming more than this is a damaged length,
 * found before buffering up to 16 MiB for it.
 */
const PACKET_OPTIONS_SLACK = 64 * 1024;
/** Largest non-packet block a resync accepts as a candidate (real SHB/IDB/NRB/ISB are far smaller). */
const MAX_CANDIDATE_BLOCK_LENGTH = 64 * 1024;
const OPTION_END = 0;
const OPTION_IF_TSRESOL = 9;
const OPTION_IF_TSOFFSET = 14;

/** Block types we understand but have no use for: skipped without an anomaly. */
const knownSkippedBlocks: ReadonlySet<number> = new Set([
  PcapngBlockType.NAME_RESOLUTION,
  PcapngBlockType.INTERFACE_STATISTICS,
  PcapngBlockType.SYSTEMD_JOURNAL_EXPORT,
  PcapngBlockType.DECRYPTION_SECRETS,
  PcapngBlockType.CUSTOM,
  PcapngBlockType.CUSTOM_DO_NOT_COPY,
]);

/** Smallest length of each block type we know (its fixed fields plus the trailing length); 0 for others. */
function minimumBlockLength(blockType: number): number {
  switch (blockType) {
    case PcapngBlockType.SECTION_HEADER:
      return 28;
    case PcapngBlockType.ENHANCED_PACKET:
    case PcapngBlockType.OBSOLETE_PACKET:
      return 32;
    case PcapngBlockType.INTERFACE_STATISTICS:
      return 24;
    case PcapngBlockType.INTERFACE_DESCRIPTION:
    case PcapngBlockType.DECRYPTION_SECRETS:
      return 20;
    case PcapngBlockType.SIMPLE_PACKET:
    case PcapngBlockType.NAME_RESOLUTION:
    case PcapngBlockType.CUSTOM:
    case PcapngBlockType.CUSTOM_DO_NOT_COPY:
      return 16;
    case PcapngBlockType.SYSTEMD_JOURNAL_EXPORT:
      return 12;
    default:
      return 0;
  }
}

function isPacketBlock(blockType: number): boolean {
  return blockType === PcapngBlockType.ENHANCED_PACKET || blockType === PcapngBlockType.OBSOLETE_PACKET;
}

/** Largest block length that fits a packet block's captured length and a few options. */
function maximumPacketBlockLength(capturedLength: number): number {
  return 32 + ((capturedLength + 3) & ~3) + PACKET_OPTIONS_SLACK;
}

/**
 * pcapng: sections (SHB, either byte order, may change between sections), interfaces (IDB with
 * if_tsresol / if_tsoffset, each with its own link type), packets (EPB, SPB, obsolete PB).
 * Simple Packet Blocks carry no timestamp; they get the previous packet's timestamp.
 *
 * The block length is the only framing. A length that is impossible (below 12, not a multiple
 * of 4, above 16 MiB), far beyond what its packet needs, or not repeated at the block's end
 * means the block is damaged: the reader then searches forward byte by byte for a known block
 * type whose leading and trailing lengths agree (a packet block must also name a declared
 * interface and fit its captured length, with a timestamp within a day of the last packet's),
 * counting the damaged block and the bytes skipped.
 */
export class PcapngParser extends RecordParser {
  private sectionSeen = false;
  private littleEndian = true;
  /** Per-interface tables of the current section, indexed by interface id. */
  private readonly interfaceLinkTypes: number[] = [];
  private readonly interfaceSnapLengths: number[] = [];
  private readonly interfaceUnitsPerSecond: number[] = [];
  private readonly interfaceOffsetUs: number[] = [];
  /** Timestamp of the last packet delivered (-1 before the first): resync candidates must be near it. */
  private lastTimestampUs = -1;

  /** Number of interfaces declared in the current section. */
  get interfaceCount(): number {
    return this.interfaceLinkTypes.length;
  }

  linkTypeOf(interfaceIndex: number): number | undefined {
    return this.interfaceLinkTypes[interfaceIndex];
  }

  protected parseRecords(buffer: Uint8Array, start: number, end: number, sink: FrameSink): number {
    let position = start;
    while (!this.stopped) {
      if (this.resyncing) {
        position = this.findNextBlock(buffer, position, end);
        if (this.resyncing) break;
      }
      if (end - position < BLOCK_HEADER_LENGTH) {
        this.needed = BLOCK_HEADER_LENGTH;
        break;
      }
      // The section header type reads the same in both byte orders.
      const isSectionHeader = readUint32LE(buffer, position) === PcapngBlockType.SECTION_HEADER;
      if (isSectionHeader) {
        const byteOrder = readUint32LE(buffer, position + 8);
        if (byteOrder === BYTE_ORDER_MAGIC) this.littleEndian = true;
        else if (byteOrder === BYTE_ORDER_MAGIC_SWAPPED) this.littleEndian = false;
        else if (!this.sectionSeen) return this.giveUp(CaptureAnomaly.BAD_MAGIC, end);
        else {
          // A section header's magic in the middle of the file with no byte-order magic: damage.
          this.count(CaptureAnomaly.BAD_MAGIC);
          this.startResync(position);
          position++;
          continue;
        }
      } else if (!this.sectionSeen) {
        return this.giveUp(CaptureAnomaly.BAD_MAGIC, end);
      }
      const littleEndian = this.littleEndian;
      const blockLength = readUint32(buffer, position + 4, littleEndian);
      const blockType = readUint32(buffer, position, littleEndian);
      if (blockLength < BLOCK_HEADER_LENGTH || (blockLength & 3) !== 0 || blockLength > MAX_BLOCK_LENGTH) {
        // The length is the only framing pcapng has: look for the next block that makes sense.
        this.count(CaptureAnomaly.BAD_BLOCK_LENGTH);
        this.startResync(position);
        position++;
        continue;
      }
      if (end - position < blockLength) {
        if (isPacketBlock(blockType) && blockLength > 28) {
          // Judge a packet block's length by its captured length before buffering it whole.
          if (end - position < 28) {
            this.needed = 28;
            break;
          }
          const capturedLength = readUint32(buffer, position + 20, littleEndian);
          if (capturedLength <= MAX_CAPTURED_LENGTH && blockLength > maximumPacketBlockLength(capturedLength)) {
            this.count(CaptureAnomaly.BAD_BLOCK_LENGTH);
            this.startResync(position);
            position++;
            continue;
          }
        }
        this.needed = blockLength;
        break;
      }
      if (readUint32(buffer, position + blockLength - 4, littleEndian) !== blockLength) {
        this.count(CaptureAnomaly.BLOCK_LENGTH_MISMATCH);
        this.startResync(position);
        position++;
        continue;
      }
      switch (blockType) {
        case PcapngBlockType.ENHANCED_PACKET:
          this.readPacketBlock(buffer, position, blockLength, readUint32(buffer, position + 8, littleEndian), sink);
          break;
        case PcapngBlockType.OBSOLETE_PACKET:
          this.readPacketBlock(buffer, position, blockLength, readUint16(buffer, position + 8, littleEndian), sink);
          break;
        case PcapngBlockType.SIMPLE_PACKET:
          this.readSimplePacketBlock(buffer, position, blockLength, sink);
          break;
        case PcapngBlockType.INTERFACE_DESCRIPTION:
          this.readInterfaceBlock(buffer, position, blockLength);
          break;
        case PcapngBlockType.SECTION_HEADER:
          this.readSectionHeader(buffer, position, blockLength);
          break;
        default:
          if (!knownSkippedBlocks.has(blockType)) this.count(CaptureAnomaly.UNKNOWN_BLOCK);
      }
      position += blockLength;
    }
    return position;
  }

  protected override noteTruncation(): void {
    if (this.sectionSeen) {
      super.noteTruncation();
    } else {
      this.truncated = true;
      this.count(CaptureAnomaly.TRUNCATED_HEADER);
    }
  }

  /** A packet block whose framing is fine but whose contents are not usable. */
  private skipPacket(anomaly: CaptureAnomalyName, position: number): void {
    this.count(anomaly);
    this.noteDamagedRecord(position);
  }

  /**
   * Scans buffer[start, end) for the next block that makes sense (see the class comment).
   * Returns its position with resyncing cleared, or where the scan must wait for more bytes
   * (`needed` set), or `end` at the end of input.
   */
  private findNextBlock(buffer: Uint8Array, start: number, end: number): number {
    for (let candidate = start; ; candidate++) {
      const available = end - candidate;
      if (available < BLOCK_HEADER_LENGTH) {
        if (this.final) return end;
        this.needed = BLOCK_HEADER_LENGTH;
        return candidate;
      }
      let littleEndian = this.littleEndian;
      if (readUint32LE(buffer, candidate) === PcapngBlockType.SECTION_HEADER) {
        const byteOrder = readUint32LE(buffer, candidate + 8);
        if (byteOrder === BYTE_ORDER_MAGIC) littleEndian = true;
        else if (byteOrder === BYTE_ORDER_MAGIC_SWAPPED) littleEndian = false;
        else continue;
      }
      const blockType = readUint32(buffer, candidate, littleEndian);
      const minimum = minimumBlockLength(blockType);
      if (minimum === 0) continue;
      const blockLength = readUint32(buffer, candidate + 4, littleEndian);
      if ((blockLength & 3) !== 0 || blockLength < minimum) continue;
      if (isPacketBlock(blockType)) {
        if (blockLength > maximumPacketBlockLength(MAX_CAPTURED_LENGTH)) continue;
        if (available < 28) {
          if (this.final) continue;
          this.needed = 28;
          return candidate;
        }
        if (!this.plausiblePacketHeader(buffer, candidate, blockType, blockLength)) continue;
      } else {
        if (blockLength > MAX_CANDIDATE_BLOCK_LENGTH) continue;
        if (blockType === PcapngBlockType.SIMPLE_PACKET && this.interfaceLinkTypes.length === 0) continue;
      }
      if (available < blockLength) {
        if (this.final) continue;
        this.needed = blockLength;
        return candidate;
      }
      if (readUint32(buffer, candidate + blockLength - 4, littleEndian) !== blockLength) continue;
      this.endResync(candidate);
      return candidate;
    }
  }

  /** A resync candidate's packet header: declared interface, captured length that fits, timestamp near the last packet's. */
  private plausiblePacketHeader(buffer: Uint8Array, position: number, blockType: number, blockLength: number): boolean {
    const littleEndian = this.littleEndian;
    const interfaceIndex =
      blockType === PcapngBlockType.ENHANCED_PACKET
        ? readUint32(buffer, position + 8, littleEndian)
        : readUint16(buffer, position + 8, littleEndian);
    if (interfaceIndex >= this.interfaceLinkTypes.length) return false;
    const capturedLength = readUint32(buffer, position + 20, littleEndian);
    if (capturedLength > MAX_CAPTURED_LENGTH) return false;
    if (32 + ((capturedLength + 3) & ~3) > blockLength || blockLength > maximumPacketBlockLength(capturedLength)) return false;
    if (this.lastTimestampUs < 0) return true;
    const timestampUs =
      timestampToMicroseconds(
        readUint32(buffer, position + 12, littleEndian),
        readUint32(buffer, position + 16, littleEndian),
        this.interfaceUnitsPerSecond[interfaceIndex],
      ) + this.interfaceOffsetUs[interfaceIndex];
    return Math.abs(timestampUs - this.lastTimestampUs) <= TIME_WINDOW_SECONDS * 1_000_000;
  }

  private giveUp(anomaly: (typeof CaptureAnomaly)[keyof typeof CaptureAnomaly], end: number): number {
    this.count(anomaly);
    this.stopped = true;
    return end;
  }

  private readSectionHeader(buffer: Uint8Array, position: number, blockLength: number): void {
    // A new section forgets the previous section's interfaces.
    this.interfaceLinkTypes.length = 0;
    this.interfaceSnapLengths.length = 0;
    this.interfaceUnitsPerSecond.length = 0;
    this.interfaceOffsetUs.length = 0;
    this.sectionSeen = true;
    if (blockLength < 28) {
      this.count(CaptureAnomaly.SHORT_BLOCK);
      return;
    }
    if (readUint16(buffer, position + 12, this.littleEndian) !== 1) this.count(CaptureAnomaly.UNUSUAL_VERSION);
  }

  /** Enhanced (interface id u32) and obsolete (u16 id + u16 drops) packet blocks share this layout. */
  private readPacketBlock(
    buffer: Uint8Array,
    position: number,
    blockLength: number,
    interfaceIndex: number,
    sink: FrameSink,
  ): void {
    if (blockLength < 32) {
      this.skipPacket(CaptureAnomaly.SHORT_BLOCK, position);
      return;
    }
    const littleEndian = this.littleEndian;
    const capturedLength = readUint32(buffer, position + 20, littleEndian);
    if (capturedLength > MAX_CAPTURED_LENGTH) {
      this.skipPacket(CaptureAnomaly.ABSURD_CAPLEN, position);
      return;
    }
    if (28 + capturedLength + 4 > blockLength) {
      this.skipPacket(CaptureAnomaly.CAPLEN_EXCEEDS_BLOCK, position);
      return;
    }
    if (interfaceIndex >= this.interfaceLinkTypes.length) {
      this.skipPacket(CaptureAnomaly.UNKNOWN_INTERFACE, position);
      return;
    }
    const frame = this.frame;
    frame.timestampUs =
      timestampToMicroseconds(
        readUint32(buffer, position + 12, littleEndian),
        readUint32(buffer, position + 16, littleEndian),
        this.interfaceUnitsPerSecond[interfaceIndex],
      ) + this.interfaceOffsetUs[interfaceIndex];
    frame.linkType = this.interfaceLinkTypes[interfaceIndex];
    frame.interfaceIndex = interfaceIndex;
    frame.capturedLength = capturedLength;
    frame.originalLength = readUint32(buffer, position + 24, littleEndian);
    frame.buffer = buffer;
    frame.offset = position + 28;
    this.lastTimestampUs = frame.timestampUs;
    this.frames++;
    this.bytes += capturedLength;
    sink(frame);
  }

  private readSimplePacketBlock(buffer: Uint8Array, position: number, blockLength: number, sink: FrameSink): void {
    if (blockLength < 16) {
      this.skipPacket(CaptureAnomaly.SHORT_BLOCK, position);
      return;
    }
    if (this.interfaceLinkTypes.length === 0) {
      this.skipPacket(CaptureAnomaly.SPB_WITHOUT_INTERFACE, position);
      return;
    }
    const originalLength = readUint32(buffer, position + 8, this.littleEndian);
    const snapLength = this.interfaceSnapLengths[0];
    let capturedLength = Math.min(originalLength, blockLength - 16);
    if (snapLength > 0 && snapLength < capturedLength) capturedLength = snapLength;
    const frame = this.frame;
    // No timestamp in an SPB: keep the previous packet's, the least surprising value for flow timing.
    frame.linkType = this.interfaceLinkTypes[0];
    frame.interfaceIndex = 0;
    frame.capturedLength = capturedLength;
    frame.originalLength = originalLength;
    frame.buffer = buffer;
    frame.offset = position + 12;
    this.frames++;
    this.bytes += capturedLength;
    sink(frame);
  }

  private readInterfaceBlock(buffer: Uint8Array, position: number, blockLength: number): void {
    if (blockLength < 20) {
      this.count(CaptureAnomaly.SHORT_BLOCK);
      return;
    }
    const littleEndian = this.littleEndian;
    let unitsPerSecond = 1_000_000;
    let offsetUs = 0;
    const optionsEnd = position + blockLength - 4;
    let option = position + 16;
    while (option + 4 <= optionsEnd) {
      const code = readUint16(buffer, option, littleEndian);
      const length = readUint16(buffer, option + 2, littleEndian);
      if (code === OPTION_END) break;
      if (option + 4 + length > optionsEnd) {
        this.count(CaptureAnomaly.BAD_OPTION);
        break;
      }
      if (code === OPTION_IF_TSRESOL && length >= 1) {
        unitsPerSecond = unitsPerSecondFromResolution(buffer[option + 4]);
      } else if (code === OPTION_IF_TSOFFSET && length >= 8) {
        // Signed 64-bit seconds; the high word is two's complement.
        const first = readUint32(buffer, option + 4, littleEndian);
        const second = readUint32(buffer, option + 8, littleEndian);
        const high = littleEndian ? second : first;
        const low = littleEndian ? first : second;
        offsetUs = ((high | 0) * 4294967296 + low) * 1_000_000;
      }
      option += 4 + ((length + 3) & ~3);
    }
    this.interfaceLinkTypes.push(readUint16(buffer, position + 8, littleEndian));
    this.interfaceSnapLengths.push(readUint32(buffer, position + 12, littleEndian));
    this.interfaceUnitsPerSecond.push(unitsPerSecond);
    this.interfaceOffsetUs.push(offsetUs);
  }
}
