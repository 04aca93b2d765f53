import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sharedDataset } from './collectFlows.ts';

/**
 * The formulas in cic2017Format.ts and correctedFormat.ts rest on how each dataset's tool
 * computed its columns. These relations are checked on the published rows themselves, so a wrong
 * reading of the Java code shows up here even where test.pcap cannot exercise it.
 */
function readRows(relative: string): Record<string, number>[] {
  const lines = gunzipSync(readFileSync(sharedDataset(relative))).toString('utf8').split('\n').filter((l) => l !== '');
  const header = lines[0]!.split(',').map((name) => name.trim());
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    const row: Record<string, number> = {};
    header.forEach((name, i) => {
      if (!(name in row)) row[name] = Number(cells[i]);
    });
    return row;
  });
}

const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

function share(rows: Record<string, number>[], holds: (row: Record<string, number>) => boolean): number {
  return rows.filter(holds).length / rows.length;
}

describe('CIC-IDS2017 rows follow the 2017 tool as cic2017Format reproduces it', () => {
  const rows = [
    ...readRows('cic-ids2017/generatedlabelledflows-head300/Friday-WorkingHours-Afternoon-DDos.pcap_ISCX.csv.gz'),
    ...readRows('cic-ids2017/mondirkb-baseline/baseline_portscan.csv.gz'),
    ...readRows('cic-ids2017/mondirkb-baseline/baseline_ddos.csv.gz'),
  ];
  it('has rows to check', () => expect(rows.length).toBeGreaterThan(2000));

  it('counts the first packet twice in Packet Length Mean but once in Average Packet Size', () => {
    // mean = (sum + first) / (n + 1) and average = (sum + first) / n  =>  mean * (n + 1) = average * n
    expect(
      share(rows, (r) => {
        const n = r['Total Fwd Packets']! + r['Total Backward Packets']!;
        return near(r['Packet Length Mean']! * (n + 1), r['Average Packet Size']! * n);
      }),
    ).toBe(1);
  });

  it('writes subflows equal to totals, bulk as zero, Down/Up as integer division', () => {
    expect(share(rows, (r) => r['Subflow Fwd Packets'] === r['Total Fwd Packets'] && r['Subflow Bwd Bytes'] === r['Total Length of Bwd Packets'])).toBe(1);
    expect(share(rows, (r) => r['Fwd Avg Bytes/Bulk'] === 0 && r['Bwd Avg Bulk Rate'] === 0)).toBe(1);
    expect(share(rows, (r) => r['Down/Up Ratio'] === Math.floor(r['Total Backward Packets']! / r['Total Fwd Packets']!))).toBe(1);
  });

  it('counts Ethernet padding as payload: SYN probes of 2 bytes, RST replies of 6', () => {
    // nmap's 58-byte SYN and the 54-byte RST/ACK are padded to 60-byte frames; no payload on the wire.
    const probes = rows.filter((r) => r['Total Fwd Packets'] === 1 && r['Total Backward Packets'] === 1 && r['Protocol'] === 6);
    expect(probes.length).toBeGreaterThan(500);
    expect(share(probes, (r) => r['Total Length of Bwd Packets'] === 6)).toBeGreaterThan(0.9);
    expect(share(probes, (r) => r['Total Length of Fwd Packets'] === 2)).toBeGreaterThan(0.8);
  });

  it('has flag counts of a single packet and Init windows of -1 outside TCP', () => {
    const flagColumns = ['FIN Flag Count', 'SYN Flag Count', 'RST Flag Count', 'PSH Flag Count', 'ACK Flag Count', 'URG Flag Count', 'CWE Flag Count', 'ECE Flag Count'];
    expect(share(rows, (r) => flagColumns.every((c) => r[c] === 0 || r[c] === 1))).toBe(1);
    const notTcp = rows.filter((r) => r['Protocol'] !== 6);
    expect(notTcp.length).toBeGreaterThan(0);
    expect(share(notTcp, (r) => r['Init_Win_bytes_forward'] === -1 && r['Init_Win_bytes_backward'] === -1)).toBe(1);
  });
});

describe('improved CIC-IDS2017 rows follow the definitions correctedFormat uses', () => {
  const rows = ['BENIGN_5000', 'Botnet_736', 'Portscan_5000', 'DoS_Hulk_5000'].flatMap((name) =>
    readRows(`cic-ids2017/improved-cicids2017-rnd5000/${name}.csv.gz`),
  );
  const packets = (r: Record<string, number>): number => r['Total Fwd Packet']! + r['Total Bwd packets']!;
  const bytes = (r: Record<string, number>): number => r['Total Length of Fwd Packet']! + r['Total Length of Bwd Packet']!;

  it('counts each packet once', () => {
    expect(share(rows, (r) => near(r['Packet Length Mean']!, bytes(r) / packets(r)))).toBe(1);
    expect(share(rows, (r) => near(r['Average Packet Size']!, bytes(r) / packets(r)))).toBe(1);
    expect(share(rows, (r) => near(r['Down/Up Ratio']!, r['Total Bwd packets']! / r['Total Fwd Packet']!))).toBe(1);
  });

  it('divides subflow values by the packet count (Engelen quirk kept on purpose)', () => {
    expect(share(rows, (r) => r['Subflow Fwd Bytes'] === Math.floor(r['Total Length of Fwd Packet']! / packets(r)))).toBe(1);
    expect(share(rows, (r) => r['Subflow Bwd Packets'] === Math.floor(r['Total Bwd packets']! / packets(r)))).toBe(1);
  });

  it('splits Active/Idle at the 5 s activity timeout', () => {
    const withIdle = rows.filter((r) => r['Idle Mean']! > 0);
    expect(withIdle.length).toBeGreaterThan(1000);
    expect(share(withIdle, (r) => r['Idle Min']! > 5_000_000)).toBe(1);
    expect(share(rows, (r) => r['Active Max']! <= r['Flow Duration']! && r['Idle Max']! <= r['Flow Duration']!)).toBe(1);
  });

  it('fills ICMP, TCP-time and Attempted Category the way the format does', () => {
    expect(share(rows, (r) => r['Protocol'] === 1 || (r['ICMP Code'] === -1 && r['ICMP Type'] === -1))).toBe(1);
    expect(share(rows, (r) => r['Protocol'] === 6 || r['Total TCP Flow Time'] === 0)).toBe(1);
    expect(share(rows, (r) => r['Protocol'] !== 6 || r['Total TCP Flow Time']! >= r['Flow Duration']!)).toBe(1);
    expect(share(rows, (r) => r['Attempted Category'] === -1)).toBe(1);
  });
});
