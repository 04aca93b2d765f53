import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithTshark, datasetPath, decodeFile, expectedAnomalies, tsharkRows } from './tsharkCompare.ts';

/**
 * No stored capture carries VLAN tags, so tcprewrite (tcpreplay's standard rewriting tool) tags a
 * real capture: 802.1Q id 101, then an 802.1ad outer tag id 202 on top (QinQ). tshark is the
 * reference for both.
 */
let scratch = '';
let tagged = '';
let doubleTagged = '';

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'netguard-decode-vlan-'));
  const plain = join(scratch, 'udp_scan.pcap');
  // tcprewrite reads classic pcap only, uncompressed.
  writeFileSync(plain, gunzipSync(readFileSync(datasetPath('pcaps/evilfingers-nmap/UDP_SCAN.pcap.gz'))));
  tagged = join(scratch, 'vlan.pcap');
  doubleTagged = join(scratch, 'qinq.pcap');
  execFileSync('tcprewrite', ['--enet-vlan=add', '--enet-vlan-tag=101', '--enet-vlan-cfi=0', '--enet-vlan-pri=3', '-i', plain, '-o', tagged], { stdio: 'pipe' });
  execFileSync('tcprewrite', ['--enet-vlan=add', '--enet-vlan-tag=202', '--enet-vlan-cfi=0', '--enet-vlan-pri=0', '--enet-vlan-proto=802.1ad', '-i', tagged, '-o', doubleTagged], { stdio: 'pipe' });
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('decodeFrame on VLAN-tagged Ethernet', () => {
  it('802.1Q: every packet agrees with tshark and carries VLAN 101', async () => {
    const [rows, { records, anomalies }] = await Promise.all([tsharkRows(tagged), decodeFile(tagged)]);
    const comparison = compareWithTshark(rows, records);
    expect(comparison.mismatches.slice(0, 20)).toEqual([]);
    expect(anomalies.toRecord()).toEqual(expectedAnomalies(comparison));
    const ipRecords = records.filter((record) => record.ok);
    expect(ipRecords.length).toBe(comparison.ipPackets);
    expect(ipRecords.length).toBeGreaterThan(2000);
    expect(new Set(ipRecords.map((record) => record.vlanId))).toEqual(new Set([101]));
  });

  it('QinQ (802.1ad outer, 802.1Q inner): the outermost id is recorded and IP is still found', async () => {
    const [rows, { records, anomalies }] = await Promise.all([tsharkRows(doubleTagged), decodeFile(doubleTagged)]);
    const comparison = compareWithTshark(rows, records);
    expect(comparison.mismatches.slice(0, 20)).toEqual([]);
    expect(anomalies.toRecord()).toEqual(expectedAnomalies(comparison));
    const ipRecords = records.filter((record) => record.ok);
    expect(ipRecords.length).toBe(comparison.ipPackets);
    expect(ipRecords.length).toBeGreaterThan(2000);
    expect(new Set(ipRecords.map((record) => record.vlanId))).toEqual(new Set([202]));
  });
});
