/**
 * Builds a large benchmark capture from the shared real captures: each round appends every
 * source's packets with timestamps shifted past the previous round, so flows of different
 * rounds never merge and the capture keeps real packet mixes and timing.
 */
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { openCaptureFile } from '../lib/capture/index.ts';

const shared = new URL('../../shared/datasets/', import.meta.url).pathname;

/** Real Ethernet captures: brute force, scans, floods, web browsing, malware traffic. */
export const replaySources = [
  'pcaps/ppa-markofu/ftp-crack.pcap.gz',
  'pcaps/axr00t-research-pcaps/ssh-brute-force.pcap.gz',
  'pcaps/evilfingers-nmap/TCP_CONNECT_SCAN.pcap.gz',
  'pcaps/evilfingers-nmap/FTP_BOUNCE_SCAN.pcap.gz',
  'pcaps/evilfingers-nmap/UDP_SCAN.pcap.gz',
  'pcaps/padmavatisb/portscan.pcap.gz',
  'pcaps/chrissanders-packets/http_espn.pcapng.gz',
  'pcaps/chrissanders-packets/synscan.pcapng.gz',
  'cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz',
].map((path) => shared + path);

interface Packet {
  tsUs: number;
  originalLength: number;
  bytes: Uint8Array;
}

async function loadPackets(path: string): Promise<Packet[]> {
  const packets: Packet[] = [];
  await openCaptureFile(path).run((frame) => {
    packets.push({
      tsUs: frame.timestampUs,
      originalLength: frame.originalLength,
      bytes: frame.buffer.slice(frame.offset, frame.offset + frame.capturedLength),
    });
  });
  return packets;
}

/** Real SYN floods (hping3 with SYN-ACK/RST answers, spoofed-source floods) and a little normal web traffic. */
export const floodSources = [
  'pcaps/padmavatisb/portscan.pcap.gz',
  'pcaps/ppa-markofu/dosattack.pcap.gz',
  'pcaps/carvalhomariana/synflood.pcap.gz',
  'pcaps/chrissanders-packets/http_google.pcapng.gz',
].map((path) => shared + path);

/** Writes a classic little-endian µs pcap of at least `minPackets` packets; reuses an existing file. */
export async function buildReplayCapture(outPath: string, minPackets: number, sourcePaths: string[] = replaySources): Promise<string> {
  if (existsSync(outPath) && statSync(outPath).size > 0) return outPath;
  mkdirSync(dirname(outPath), { recursive: true });
  const sources = await Promise.all(sourcePaths.map(loadPackets));
  const perRound = sources.reduce((sum, packets) => sum + packets.length, 0);
  const rounds = Math.ceil(minPackets / perRound);

  const out = createWriteStream(outPath + '.partial');
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(1, 20); // LINKTYPE_EN10MB
  out.write(header);

  // Every source is laid end to end; 10 minutes of silence separate them, longer than any timeout.
  const gapUs = 600e6;
  let clockUs = 1_500_000_000e6;
  for (let round = 0; round < rounds; round++) {
    for (const packets of sources) {
      if (packets.length === 0) continue;
      const shift = clockUs - packets[0]!.tsUs;
      for (const packet of packets) {
        const ts = packet.tsUs + shift;
        const record = Buffer.alloc(16 + packet.bytes.length);
        record.writeUInt32LE(Math.floor(ts / 1e6), 0);
        record.writeUInt32LE(ts % 1e6, 4);
        record.writeUInt32LE(packet.bytes.length, 8);
        record.writeUInt32LE(packet.originalLength, 12);
        record.set(packet.bytes, 16);
        if (!out.write(record)) await once(out, 'drain');
      }
      clockUs += packets[packets.length - 1]!.tsUs - packets[0]!.tsUs + gapUs;
    }
  }
  out.end();
  await once(out, 'close');
  const { renameSync } = await import('node:fs');
  renameSync(outPath + '.partial', outPath);
  return outPath;
}
