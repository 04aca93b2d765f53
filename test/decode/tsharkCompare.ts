/**
 * Decodes every frame of a capture with decodeFrame and compares it field by field with what
 * tshark dissects from the same file. tshark is the reference; nothing here is recorded output.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { openCaptureFile } from '../../lib/capture/index.ts';
import { DecodeAnomalies, DecodedPacket, decodeFrame, formatAddress } from '../../lib/decode/index.ts';
import { sharedDataset } from '../sharedDatasets.ts';

const run = promisify(execFile);

export const datasetPath = sharedDataset;

const fields = [
  'frame.protocols', 'frame.len', 'sll.ifindex',
  'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'ip.proto',
  'tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport',
  'tcp.flags', 'tcp.window_size_value', 'tcp.hdr_len', 'tcp.len', 'udp.length',
  'ip.ttl', 'icmp.type', 'icmp.code', 'ip.hdr_len', 'ip.len',
  'tcp.seq_raw', 'tcp.ack_raw', 'tcp.urgent_pointer', 'vlan.id', 'ieee8021ad.id',
  'ip.flags.mf', 'ip.frag_offset',
  'ipv6.plen', 'ipv6.hlim', 'ipv6.fraghdr.offset', 'ipv6.fraghdr.more',
  'icmpv6.type', 'icmpv6.code',
] as const;
type Field = (typeof fields)[number];
type TsharkRow = Record<Field, string>;

/** One packet as tshark dissects it (tab-separated, repeated fields comma-joined). */
export async function tsharkRows(path: string, extraArgs: readonly string[] = []): Promise<TsharkRow[]> {
  const args = ['-r', path, '-n', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE', ...extraArgs,
    '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const field of fields) args.push('-e', field);
  const { stdout } = await run('tshark', args, { maxBuffer: 512 * 1024 * 1024 });
  const lines = stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => {
    const values = line.split('\t');
    const row = {} as TsharkRow;
    fields.forEach((field, i) => (row[field] = values[i] ?? ''));
    return row;
  });
}

/** The decoder's view of one packet, copied out of the reused DecodedPacket. */
export interface DecodedRecord {
  ok: boolean;
  linkHeaderLength: number;
  ipVersion: number;
  src: string;
  dst: string;
  protocol: number;
  srcPort: number;
  dstPort: number;
  tcpFlags: number;
  tcpWindow: number;
  tcpSeq: number;
  tcpAck: number;
  tcpUrgentPointer: number;
  l4HeaderLength: number;
  payloadLength: number;
  ttl: number;
  icmpType: number;
  icmpCode: number;
  ipHeaderLength: number;
  ipTotalLength: number;
  vlanId: number;
  isFragment: boolean;
  isNonFirstFragment: boolean;
  wireLength: number;
}

export async function decodeFile(path: string): Promise<{ records: DecodedRecord[]; anomalies: DecodeAnomalies }> {
  const packet = new DecodedPacket();
  const anomalies = new DecodeAnomalies();
  const records: DecodedRecord[] = [];
  await openCaptureFile(path).run((frame) => {
    const ok = decodeFrame(frame, packet, anomalies);
    records.push({
      ok,
      linkHeaderLength: packet.linkHeaderLength,
      ipVersion: packet.ipVersion,
      src: ok ? formatAddress(packet.src, packet.ipVersion) : '',
      dst: ok ? formatAddress(packet.dst, packet.ipVersion) : '',
      protocol: packet.protocol,
      srcPort: packet.srcPort,
      dstPort: packet.dstPort,
      tcpFlags: packet.tcpFlags,
      tcpWindow: packet.tcpWindow,
      tcpSeq: packet.tcpSeq,
      tcpAck: packet.tcpAck,
      tcpUrgentPointer: packet.tcpUrgentPointer,
      l4HeaderLength: packet.l4HeaderLength,
      payloadLength: packet.payloadLength,
      ttl: packet.ttl,
      icmpType: packet.icmpType,
      icmpCode: packet.icmpCode,
      ipHeaderLength: packet.ipHeaderLength,
      ipTotalLength: packet.ipTotalLength,
      vlanId: packet.vlanId,
      isFragment: packet.isFragment,
      isNonFirstFragment: packet.isNonFirstFragment,
      wireLength: packet.wireLength,
    });
  });
  return { records, anomalies };
}

/** First of a comma-joined repeated field: the outer header when ICMP quotes an inner packet. */
function first(value: string): string {
  const comma = value.indexOf(',');
  return comma < 0 ? value : value.slice(0, comma);
}

function firstNumber(value: string): number {
  return Number(first(value));
}

const ipv6ExtensionLayers = new Set(['ipv6.hopopts', 'ipv6.routing', 'ipv6.fraghdr', 'ipv6.dstopts', 'ah']);
const transportNumbers: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };

/** Protocol number of the layer tshark put right after the outer IP header(s), if it is one we know. */
function outerTransport(protocols: string, ipLayer: string): number | undefined {
  const layers = protocols.split(':');
  let i = layers.indexOf(ipLayer) + 1;
  while (i < layers.length && ipv6ExtensionLayers.has(layers[i])) i++;
  return transportNumbers[layers[i]];
}

/** Bytes before the IP header, from the layers tshark saw (only the link types we decode). */
function linkHeaderLength(layers: readonly string[], row: TsharkRow): number {
  let length = 0;
  for (const layer of layers) {
    if (layer === 'ip' || layer === 'ipv6') break;
    if (layer === 'eth') length += 14;
    else if (layer === 'vlan' || layer === 'ieee8021ad') length += 4;
    else if (layer === 'null' || layer === 'loop') length += 4;
    else if (layer === 'sll') length += row['sll.ifindex'] === '' ? 16 : 20;
  }
  return length;
}

export function expectedAnomalies(comparison: Comparison): Record<string, number> {
  const expected: Record<string, number> = {};
  if (comparison.nonIpPackets > 0) expected.non_ip = comparison.nonIpPackets;
  if (comparison.lengthExceedsFrame > 0) expected.ip_length_exceeds_frame = comparison.lengthExceedsFrame;
  if (comparison.nonFirstFragments > 0) expected.ip_non_first_fragment = comparison.nonFirstFragments;
  return expected;
}

export interface Comparison {
  packets: number;
  ipPackets: number;
  nonIpPackets: number;
  /** IP packets whose stated length runs past the frame (tshark flags them too). */
  lengthExceedsFrame: number;
  nonFirstFragments: number;
  /** "packet N field: tshark X, decoder Y" for every disagreement. */
  mismatches: string[];
  /** Per field, how many packets it was compared on: proves the comparison really ran. */
  compared: Record<string, number>;
}

export function compareWithTshark(rows: readonly TsharkRow[], records: readonly DecodedRecord[]): Comparison {
  const result: Comparison = {
    packets: rows.length, ipPackets: 0, nonIpPackets: 0, lengthExceedsFrame: 0, nonFirstFragments: 0, mismatches: [], compared: {},
  };
  if (rows.length !== records.length) {
    result.mismatches.push(`packet count: tshark ${rows.length}, decoder ${records.length}`);
    return result;
  }
  rows.forEach((row, index) => {
    const decoded = records[index];
    const check = (name: string, expected: string | number | boolean, actual: string | number | boolean): void => {
      result.compared[name] = (result.compared[name] ?? 0) + 1;
      if (expected !== actual) {
        result.mismatches.push(`packet ${index + 1} ${name}: tshark ${expected}, decoder ${actual}`);
      }
    };
    const layers = row['frame.protocols'].split(':');
    const ipv4At = layers.indexOf('ip');
    const ipv6At = layers.indexOf('ipv6');
    if (ipv4At < 0 && ipv6At < 0) {
      result.nonIpPackets++;
      check('not ip', false, decoded.ok);
      return;
    }
    result.ipPackets++;
    check('decoded', true, decoded.ok);
    if (!decoded.ok) return;

    // The decoder trusts the wire when the IP header claims more (like tshark's tcp.len does).
    check('link header length', linkHeaderLength(layers, row), decoded.linkHeaderLength);
    const ipBytesOnWire = Number(row['frame.len']) - linkHeaderLength(layers, row);
    const expectedIpLength = (claimed: number): number => {
      if (claimed <= ipBytesOnWire) return claimed;
      result.lengthExceedsFrame++;
      return ipBytesOnWire;
    };
    let transport: number | undefined;
    let nonFirstFragment: boolean;
    let fragment: boolean;
    if (ipv4At >= 0 && (ipv6At < 0 || ipv4At < ipv6At)) {
      check('ip version', 4, decoded.ipVersion);
      check('ip.src', first(row['ip.src']), decoded.src);
      check('ip.dst', first(row['ip.dst']), decoded.dst);
      transport = firstNumber(row['ip.proto']);
      check('ip.proto', transport, decoded.protocol);
      check('ip.ttl', firstNumber(row['ip.ttl']), decoded.ttl);
      check('ip.hdr_len', firstNumber(row['ip.hdr_len']), decoded.ipHeaderLength);
      check('ip.len', expectedIpLength(firstNumber(row['ip.len'])), decoded.ipTotalLength);
      nonFirstFragment = firstNumber(row['ip.frag_offset']) !== 0;
      fragment = nonFirstFragment || first(row['ip.flags.mf']) === '1' || first(row['ip.flags.mf']) === 'True';
    } else {
      check('ip version', 6, decoded.ipVersion);
      check('ipv6.src', first(row['ipv6.src']), decoded.src);
      check('ipv6.dst', first(row['ipv6.dst']), decoded.dst);
      check('ipv6.hlim', firstNumber(row['ipv6.hlim']), decoded.ttl);
      check('ipv6 total length', expectedIpLength(40 + firstNumber(row['ipv6.plen'])), decoded.ipTotalLength);
      transport = outerTransport(row['frame.protocols'], 'ipv6');
      if (transport !== undefined) check('ipv6 upper-layer protocol', transport, decoded.protocol);
      const fragmentOffset = row['ipv6.fraghdr.offset'] === '' ? 0 : firstNumber(row['ipv6.fraghdr.offset']);
      nonFirstFragment = fragmentOffset !== 0;
      fragment = nonFirstFragment || first(row['ipv6.fraghdr.more']) === '1' || first(row['ipv6.fraghdr.more']) === 'True';
    }
    check('fragment', fragment, decoded.isFragment);
    check('non-first fragment', nonFirstFragment, decoded.isNonFirstFragment);
    // tshark names an 802.1ad outer tag ieee8021ad and the 802.1Q tags inside it vlan.
    const outerTag = row['ieee8021ad.id'] !== '' ? row['ieee8021ad.id'] : row['vlan.id'];
    check('vlan.id', outerTag === '' ? -1 : firstNumber(outerTag), decoded.vlanId);
    check('ip length balance', decoded.ipTotalLength, decoded.ipHeaderLength + decoded.l4HeaderLength + decoded.payloadLength);

    if (nonFirstFragment) {
      result.nonFirstFragments++;
      check('ports of non-first fragment', '0 0', `${decoded.srcPort} ${decoded.dstPort}`);
      return;
    }
    if (transport === 6) {
      check('tcp.srcport', firstNumber(row['tcp.srcport']), decoded.srcPort);
      check('tcp.dstport', firstNumber(row['tcp.dstport']), decoded.dstPort);
      check('tcp.flags', firstNumber(row['tcp.flags']) & 0xff, decoded.tcpFlags);
      check('tcp.window_size_value', firstNumber(row['tcp.window_size_value']), decoded.tcpWindow);
      check('tcp.hdr_len', firstNumber(row['tcp.hdr_len']), decoded.l4HeaderLength);
      check('tcp.seq_raw', firstNumber(row['tcp.seq_raw']), decoded.tcpSeq);
      check('tcp.ack_raw', firstNumber(row['tcp.ack_raw']), decoded.tcpAck);
      if (row['tcp.urgent_pointer'] !== '') check('tcp.urgent_pointer', firstNumber(row['tcp.urgent_pointer']), decoded.tcpUrgentPointer);
      // A first fragment's IP length covers only the fragment; tshark's tcp.len then differs.
      if (!fragment) check('tcp.len', firstNumber(row['tcp.len']), decoded.payloadLength);
    } else if (transport === 17) {
      check('udp.srcport', firstNumber(row['udp.srcport']), decoded.srcPort);
      check('udp.dstport', firstNumber(row['udp.dstport']), decoded.dstPort);
      if (!fragment) check('udp.length', firstNumber(row['udp.length']), decoded.payloadLength + 8);
    } else if (transport === 1 && decoded.ipVersion === 4) {
      check('icmp.type', firstNumber(row['icmp.type']), decoded.icmpType);
      check('icmp.code', firstNumber(row['icmp.code']), decoded.icmpCode);
      check('icmp ports', '0 0', `${decoded.srcPort} ${decoded.dstPort}`);
    } else if (transport === 58 && decoded.ipVersion === 6) {
      check('icmpv6.type', firstNumber(row['icmpv6.type']), decoded.icmpType);
      check('icmpv6.code', firstNumber(row['icmpv6.code']), decoded.icmpCode);
      check('icmpv6 ports', '0 0', `${decoded.srcPort} ${decoded.dstPort}`);
    } else {
      check('other protocol: no transport header', '0 0 0', `${decoded.srcPort} ${decoded.dstPort} ${decoded.l4HeaderLength}`);
    }
  });
  return result;
}

/**
 * Decodes a shared capture and compares every packet with tshark: no field may differ, and the
 * only anomalies are the ones tshark sees too (non-IP frames, IP lengths beyond the frame).
 */
export async function expectAgreementWithTshark(file: string): Promise<void> {
  const path = datasetPath(file);
  const [rows, { records, anomalies }] = await Promise.all([tsharkRows(path), decodeFile(path)]);
  const comparison = compareWithTshark(rows, records);
  expect(comparison.packets).toBeGreaterThan(0);
  expect(comparison.mismatches.slice(0, 20)).toEqual([]);
  expect(comparison.mismatches.length).toBe(0);
  expect(anomalies.toRecord()).toEqual(expectedAnomalies(comparison));
}
