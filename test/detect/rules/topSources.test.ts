import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../../lib/capture/fileSource.ts';
import { DecodeAnomalies } from '../../../lib/decode/anomalies.ts';
import { decodeFrame } from '../../../lib/decode/decodeFrame.ts';
import { formatAddress } from '../../../lib/decode/formatAddress.ts';
import { DecodedPacket } from '../../../lib/decode/packet.ts';
import { TOP_SOURCE_ENTRIES, TopSources } from '../../../lib/detect/rules/topSources.ts';
import { sharedCapture } from './replayRules.ts';

/**
 * The space-saving table against exact counts of the same real packets: every source that sent
 * more than 1/ENTRIES of them is listed, and each listed count brackets the truth
 * (certain ≤ true ≤ count).
 */
async function check(file: string, counted: (packet: DecodedPacket) => boolean): Promise<void> {
  const top = new TopSources(4);
  const exact = new Map<string, number>();
  const packet = new DecodedPacket();
  const anomalies = new DecodeAnomalies();
  let total = 0;
  await openCaptureFile(sharedCapture(file)).run((frame) => {
    if (!decodeFrame(frame, packet, anomalies) || !counted(packet)) return;
    top.add(2, packet.src);
    const source = formatAddress(packet.src, packet.ipVersion);
    exact.set(source, (exact.get(source) ?? 0) + 1);
    total++;
  });
  expect(total).toBeGreaterThan(0);
  const listed = top.list(2, 4);
  expect(listed.length).toBe(Math.min(TOP_SOURCE_ENTRIES, exact.size));
  for (const source of listed) {
    const truth = exact.get(source.ip) ?? 0;
    expect(source.certain).toBeLessThanOrEqual(truth);
    expect(source.count).toBeGreaterThanOrEqual(truth);
  }
  for (const [ip, count] of exact) {
    if (count * TOP_SOURCE_ENTRIES > total) expect(listed.map((s) => s.ip)).toContain(ip);
  }
  expect(listed.reduce((sum, s) => sum + s.count, 0)).toBe(total);
}

const isSyn = (packet: DecodedPacket): boolean => packet.protocol === 6 && (packet.tcpFlags & 0x12) === 0x02;
const isTcp = (packet: DecodedPacket): boolean => packet.protocol === 6;

describe('TopSources (space-saving) on real packets', () => {
  it('an hping3 flood from one host (padmavatisb, 2,083 SYNs)', () => check('pcaps/padmavatisb/portscan.pcap.gz', isSyn));
  it('100 spoofed sources (dosattack): every count brackets the truth', () => check('pcaps/ppa-markofu/dosattack.pcap.gz', isSyn));
  it('browsing: many servers answering one client (http_espn, every TCP packet)', () => check('pcaps/chrissanders-packets/http_espn.pcapng.gz', isTcp));
  it('a brute force among other traffic (ftp-crack, every TCP packet)', () => check('pcaps/ppa-markofu/ftp-crack.pcap.gz', isTcp));
});
