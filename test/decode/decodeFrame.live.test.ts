import { spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkType } from '../../lib/capture/index.ts';
import { spawnTcpdump } from '../tcpdump.ts';
import { compareWithTshark, decodeFile, expectedAnomalies, tsharkRows, type DecodedRecord } from './tsharkCompare.ts';
import { fuzzDecode } from './mutatedFrames.ts';
import { loadFrames } from './realFrames.ts';
import { loopbackHeaderOptions, rewriteCapture } from './rewriteCapture.ts';

/**
 * No stored capture has IPv6, IP fragments, IPv4 options or a Linux cooked header, so this test
 * captures them live on loopback with tcpdump, three ways at once (lo → Ethernet, any → Linux
 * cooked v2, any -y LINUX_SLL → v1), while real sockets and hping3 produce them: IPv6 TCP, UDP,
 * ICMPv6 echo and port-unreachable, hop-by-hop and destination-options headers, an IPv6 UDP
 * datagram too big for lo's MTU (fragmented), hping3 IPv4 fragments and record-route options.
 * tshark is the reference for every packet; other tests' loopback traffic caught by the filter
 * is compared too.
 */
const trafficScript = fileURLToPath(new URL('./loopbackTraffic.py', import.meta.url));
const filter = 'ip6 or (ip and (ip[6:2] & 0x3fff != 0 or ip[0] & 0xf != 5))';

interface Capture {
  name: string;
  linkType: number;
  args: string[];
  path: string;
  process?: ChildProcess;
}

let scratch = '';
const captures: Capture[] = [
  { name: 'lo (Ethernet)', linkType: LinkType.EN10MB, args: ['-i', 'lo'], path: '' },
  { name: 'any (Linux cooked v2)', linkType: LinkType.LINUX_SLL2, args: ['-i', 'any', '-y', 'LINUX_SLL2'], path: '' },
  { name: 'any (Linux cooked v1)', linkType: LinkType.LINUX_SLL, args: ['-i', 'any', '-y', 'LINUX_SLL'], path: '' },
];

async function startTcpdump(capture: Capture): Promise<void> {
  // Immediate mode: otherwise packets still in an unfinished TPACKET_V3 block are lost at SIGINT.
  // A 1600-byte snap length keeps the 64 KiB IPv6 fragments from overflowing the ring (and checks
  // that cut frames still report their true sizes).
  const args = [...capture.args, '--immediate-mode', '-s', '1600', '-B', '16384', '-U', '-n', '-w', capture.path, filter];
  capture.process = await spawnTcpdump(args);
}

async function stopTcpdump(capture: Capture): Promise<void> {
  const child = capture.process;
  if (!child || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM'); // tcpdump flushes and closes the file on SIGTERM as on SIGINT
  await exited;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'netguard-decode-live-'));
  for (const capture of captures) capture.path = join(scratch, `${capture.linkType}.pcap`);
  try {
    await Promise.all(captures.map(startTcpdump));
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    const traffic = spawnSync('python3', [trafficScript, String(port)], { encoding: 'utf8', timeout: 20_000 });
    if (traffic.status !== 0) throw new Error(`loopback traffic failed: ${traffic.stderr}`);
    // IPv4: a fragmented UDP probe (16-byte fragments) and an ICMP echo with the record-route option.
    spawnSync('hping3', ['127.0.0.1', '--udp', '-p', String(port + 5), '-d', '60', '-f', '-c', '1'], { timeout: 10_000 });
    spawnSync('hping3', ['127.0.0.1', '-1', '--rroute', '-c', '1'], { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    await Promise.all(captures.map(stopTcpdump));
  }
}, 60_000);

afterAll(() => {
  for (const capture of captures) if (capture.process && capture.process.exitCode === null) capture.process.kill('SIGKILL');
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function has(records: readonly DecodedRecord[], what: (record: DecodedRecord) => boolean): boolean {
  return records.some((record) => record.ok && what(record));
}

describe('decodeFrame on live loopback captures', () => {
  for (const capture of captures) {
    it(`${capture.name}: every packet agrees with tshark, and the interesting cases are all there`, async () => {
      const frames = await loadFrames(capture.path);
      expect(frames.length).toBeGreaterThan(10);
      expect(new Set(frames.map((frame) => frame.linkType))).toEqual(new Set([capture.linkType]));

      const [rows, { records, anomalies }] = await Promise.all([tsharkRows(capture.path), decodeFile(capture.path)]);
      const comparison = compareWithTshark(rows, records);
      expect(comparison.mismatches.slice(0, 20)).toEqual([]);
      expect(comparison.mismatches.length).toBe(0);
      expect(anomalies.toRecord()).toEqual(expectedAnomalies(comparison));
      for (const field of ['ipv6.src', 'ipv6.hlim', 'icmpv6.type', 'udp.length', 'tcp.len', 'ip.hdr_len', 'ports of non-first fragment']) {
        expect(comparison.compared[field] ?? 0, field).toBeGreaterThan(0);
      }

      const coverage = {
        ipv6Tcp: has(records, (r) => r.ipVersion === 6 && r.protocol === 6 && r.payloadLength > 0),
        ipv6Udp: has(records, (r) => r.ipVersion === 6 && r.protocol === 17 && !r.isFragment),
        icmpv6Echo: has(records, (r) => r.protocol === 58 && r.icmpType === 128),
        icmpv6Unreachable: has(records, (r) => r.protocol === 58 && r.icmpType === 1),
        ipv6ExtensionHeaders: has(records, (r) => r.ipVersion === 6 && !r.isFragment && r.ipHeaderLength > 40 && r.protocol === 17),
        ipv6FirstFragment: has(records, (r) => r.ipVersion === 6 && r.isFragment && !r.isNonFirstFragment && r.srcPort > 0),
        ipv6NonFirstFragment: has(records, (r) => r.ipVersion === 6 && r.isNonFirstFragment && r.protocol === 17),
        ipv4FirstFragment: has(records, (r) => r.ipVersion === 4 && r.isFragment && !r.isNonFirstFragment && r.srcPort > 0),
        ipv4NonFirstFragment: has(records, (r) => r.ipVersion === 4 && r.isNonFirstFragment && r.srcPort === 0),
        ipv4Options: has(records, (r) => r.ipVersion === 4 && r.ipHeaderLength > 20 && r.protocol === 1),
        snapLengthCut: records.some((r, i) => r.ok && frames[i].bytes.length < frames[i].originalLength && r.ipTotalLength > frames[i].bytes.length),
      };
      expect(coverage).toEqual({
        ipv6Tcp: true, ipv6Udp: true, icmpv6Echo: true, icmpv6Unreachable: true, ipv6ExtensionHeaders: true,
        ipv6FirstFragment: true, ipv6NonFirstFragment: true, ipv4FirstFragment: true, ipv4NonFirstFragment: true, ipv4Options: true, snapLengthCut: true,
      });
    });
  }

  // tcprewrite swaps the Ethernet header of the IPv6 loopback packets for a BSD loopback header,
  // with each OS's AF_INET6 value, in host (NULL) or network (LOOP) byte order.
  const loopbackVariants = [
    { name: 'NULL, AF_INET6 = 30 (macOS) little-endian', linkType: LinkType.NULL, family: 30, littleEndian: true },
    { name: 'NULL, AF_INET6 = 28 (FreeBSD) little-endian', linkType: LinkType.NULL, family: 28, littleEndian: true },
    { name: 'NULL, AF_INET6 = 28 big-endian host', linkType: LinkType.NULL, family: 28, littleEndian: false },
    { name: 'LOOP, AF_INET6 = 24 (OpenBSD) network order', linkType: LinkType.LOOP, family: 24, littleEndian: false },
  ] as const;
  for (const variant of loopbackVariants) {
    it(`IPv6 behind a BSD loopback header: ${variant.name}`, async () => {
      const ipv6Only = join(scratch, 'ipv6-only.pcap');
      const filtered = spawnSync('tcpdump', ['-r', captures[0].path, '-w', ipv6Only, 'ip6'], { encoding: 'utf8' });
      expect(filtered.status, filtered.stderr).toBe(0);
      const rewritten = rewriteCapture(ipv6Only, join(scratch, `loopback-${variant.family}.pcap`),
        loopbackHeaderOptions(variant.linkType, variant.family, variant.littleEndian));
      const [rows, { records, anomalies }, frames] = await Promise.all([tsharkRows(rewritten), decodeFile(rewritten), loadFrames(rewritten)]);
      expect(new Set(frames.map((frame) => frame.linkType))).toEqual(new Set([variant.linkType]));
      const comparison = compareWithTshark(rows, records);
      expect(comparison.mismatches.slice(0, 20)).toEqual([]);
      expect(anomalies.toRecord()).toEqual(expectedAnomalies(comparison));
      expect(comparison.ipPackets).toBeGreaterThan(10);
      expect(records.every((record) => record.ok && record.ipVersion === 6)).toBe(true);
    });
  }

  it('bit-flipped IPv6, fragment and cooked-header frames never throw', async () => {
    const pool = (await Promise.all(captures.map((capture) => loadFrames(capture.path)))).flat();
    const { accepted, rejected, anomalies } = fuzzDecode(pool, 10_000, 5952, 120);
    expect(accepted).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
    const seen = anomalies.toRecord();
    for (const name of ['truncated_ipv6', 'truncated_linux_sll', 'truncated_linux_sll2', 'ip_non_first_fragment']) {
      expect(seen[name], name).toBeGreaterThan(0);
    }
  });
});
