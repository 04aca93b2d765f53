import { PcapngBlockType, PcapngParser } from './pcapngParser.ts';
import { PcapParser, isPcapMagic } from './pcapParser.ts';
import type { RecordParser } from './recordParser.ts';
import { readUint32BE } from './recordParser.ts';

export type CaptureFormat = 'pcap' | 'pcapng' | 'gzip';

/** Names the format from the first bytes (at least 4; fewer gives null). */
export function detectCaptureFormat(firstBytes: Uint8Array): CaptureFormat | null {
  if (firstBytes.length >= 2 && firstBytes[0] === 0x1f && firstBytes[1] === 0x8b) return 'gzip';
  if (firstBytes.length < 4) return null;
  const magic = readUint32BE(firstBytes, 0);
  if (magic === PcapngBlockType.SECTION_HEADER) return 'pcapng';
  if (isPcapMagic(magic)) return 'pcap';
  return null;
}

export function createParser(format: 'pcap' | 'pcapng'): RecordParser {
  return format === 'pcap' ? new PcapParser() : new PcapngParser();
}

/** "3c 68 74 6d ('<htm')": what a user needs to recognise a file that is not a capture. */
export function describeBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'no bytes';
  const shown = bytes.subarray(0, 8);
  const hex = Array.from(shown, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  const text = Array.from(shown, (byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
  return `${hex} ('${text}')`;
}
