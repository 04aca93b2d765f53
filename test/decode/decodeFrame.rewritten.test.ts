import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkType } from '../../lib/capture/index.ts';
import { loadFrames } from './realFrames.ts';
import { loopbackHeaderOptions, rewriteCapture } from './rewriteCapture.ts';
import { compareWithTshark, datasetPath, decodeFile, expectedAnomalies, tsharkRows } from './tsharkCompare.ts';

/**
 * No stored capture carries VLAN tags or a BSD loopback header, so tcprewrite gives real captures
 * those link layers: 802.1Q id 101, then an 802.1ad outer tag id 202 on top (QinQ); NULL with
 * AF_INET in little-endian host order; LOOP with AF_INET in network order. tshark is the
 * reference for all of them.
 */
let scratch = '';

function gunzipTo(relative: string, name: string): string {
  const path = join(scratch, name);
  // tcprewrite reads classic pcap only, uncompressed.
  writeFileSync(path, gunzipSync(readFileSync(datasetPath(relative))));
  return path;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'netguard-decode-rewritten-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function expectAgreement(path: string): Promise<{ vlanIds: Set<number>; ipPackets: number; linkTypes: Set<number> }> {
  const [rows, { records, anomalies }, frames] = await Promise.all([tsharkRows(path), decodeFile(path), loadFrames(path)]);
  const comparison = compareWithTshark(rows, records);
  expect(comparison.mismatches.slice(0, 20)).toEqual([]);
  expect(comparison.mismatches.length).toBe(0);
  expect(anomalies.toRecord()).toEqual(expectedAnomalies(comparison));
  const ipRecords = records.filter((record) => record.ok);
  expect(ipRecords.length).toBe(comparison.ipPackets);
  return {
    vlanIds: new Set(ipRecords.map((record) => record.vlanId)),
    ipPackets: ipRecords.length,
    linkTypes: new Set(frames.map((frame) => frame.linkType)),
  };
}

describe('decodeFrame on VLAN-tagged Ethernet', () => {
  it('802.1Q: every packet agrees with tshark and carries VLAN 101', async () => {
    const plain = gunzipTo('pcaps/evilfingers-nmap/UDP_SCAN.pcap.gz', 'udp_scan.pcap');
    const tagged = rewriteCapture(plain, join(scratch, 'vlan.pcap'), ['--enet-vlan=add', '--enet-vlan-tag=101', '--enet-vlan-cfi=0', '--enet-vlan-pri=3']);
    const result = await expectAgreement(tagged);
    expect(result.ipPackets).toBeGreaterThan(2000);
    expect(result.vlanIds).toEqual(new Set([101]));
  });

  it('QinQ (802.1ad outer, 802.1Q inner): the outermost id is recorded and IP is still found', async () => {
    const plain = gunzipTo('pcaps/evilfingers-nmap/UDP_SCAN.pcap.gz', 'udp_scan.pcap');
    const tagged = rewriteCapture(plain, join(scratch, 'vlan.pcap'), ['--enet-vlan=add', '--enet-vlan-tag=101', '--enet-vlan-cfi=0', '--enet-vlan-pri=3']);
    const doubleTagged = rewriteCapture(tagged, join(scratch, 'qinq.pcap'),
      ['--enet-vlan=add', '--enet-vlan-tag=202', '--enet-vlan-cfi=0', '--enet-vlan-pri=0', '--enet-vlan-proto=802.1ad']);
    const result = await expectAgreement(doubleTagged);
    expect(result.ipPackets).toBeGreaterThan(2000);
    expect(result.vlanIds).toEqual(new Set([202]));
  });
});

describe('decodeFrame on BSD loopback headers (IPv4)', () => {
  // http.cap is IPv4 only, so one AF_INET header fits every packet.
  it('NULL with AF_INET in little-endian host order', async () => {
    const plain = gunzipTo('pcaps/ppa-markofu/http.cap.gz', 'http.pcap');
    const rewritten = rewriteCapture(plain, join(scratch, 'null.pcap'), loopbackHeaderOptions(LinkType.NULL, 2, true));
    const result = await expectAgreement(rewritten);
    expect(result.linkTypes).toEqual(new Set([LinkType.NULL]));
    expect(result.ipPackets).toBe(43);
  });

  it('LOOP with AF_INET in network order', async () => {
    const plain = gunzipTo('pcaps/ppa-markofu/http.cap.gz', 'http.pcap');
    const rewritten = rewriteCapture(plain, join(scratch, 'loop.pcap'), loopbackHeaderOptions(LinkType.LOOP, 2, false));
    const result = await expectAgreement(rewritten);
    expect(result.linkTypes).toEqual(new Set([LinkType.LOOP]));
    expect(result.ipPackets).toBe(43);
  });
});
