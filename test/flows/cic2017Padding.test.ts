import { describe, expect, it } from 'vitest';
import { cic2017Format } from '../../lib/flows/cic2017Format.ts';
import { correctedFormat } from '../../lib/flows/correctedFormat.ts';
import type { FeatureFormat } from '../../lib/flows/featureFormat.ts';
import { collectFlows, sharedDataset } from './collectFlows.ts';
import { conversationKey, tsharkLines } from './tshark.ts';

/**
 * CIC-IDS2017's port-scan rows show SYNs of 2 payload bytes and RSTs of 6: jnetpcap counted the
 * Ethernet padding of short frames as TCP payload (see datasetConventions.test.ts). cic2017 mode
 * reproduces that, corrected mode (like the improved dataset) does not.
 */
describe('Ethernet padding in TCP payload lengths', async () => {
  const path = sharedDataset('pcaps/padmavatisb/portscan.pcap.gz');
  const expected = new Map<string, { padded: number; plain: number; paddedFrames: number }>();
  for (const line of tsharkLines(['-r', path, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=,', '-e', 'ip.src', '-e', 'tcp.srcport', '-e', 'ip.dst', '-e', 'tcp.dstport', '-e', 'tcp.len', '-e', 'eth.padding'])) {
    const [src, srcPort, dst, dstPort, length, padding] = line.split(',');
    const key = conversationKey(6, src!, Number(srcPort), dst!, Number(dstPort));
    const entry = expected.get(key) ?? { padded: 0, plain: 0, paddedFrames: 0 };
    const paddingBytes = (padding ?? '').replace(/:/g, '').length / 2;
    entry.plain += Number(length);
    entry.padded += Number(length) + paddingBytes;
    if (paddingBytes > 0) entry.paddedFrames++;
    expected.set(key, entry);
  }
  const original = await collectFlows(path, cic2017Format);
  const corrected = await collectFlows(path, correctedFormat);

  const bytesByConversation = (flows: { cells: string[] }[], format: FeatureFormat, names: string[]): Map<string, number> => {
    const [srcIp, srcPort, dstIp, dstPort, fwdBytes, bwdBytes] = names.map((name) => format.columns.findIndex((c) => c.name === name));
    const totals = new Map<string, number>();
    for (const { cells: c } of flows) {
      const key = conversationKey(6, c[srcIp!]!, Number(c[srcPort!]), c[dstIp!]!, Number(c[dstPort!]));
      totals.set(key, (totals.get(key) ?? 0) + Number(c[fwdBytes!]) + Number(c[bwdBytes!]));
    }
    return totals;
  };
  const CIC = ['Source IP', 'Source Port', 'Destination IP', 'Destination Port', 'Total Length of Fwd Packets', 'Total Length of Bwd Packets'];
  const CORRECTED = ['Src IP', 'Src Port', 'Dst IP', 'Dst Port', 'Total Length of Fwd Packet', 'Total Length of Bwd Packet'];

  it('the capture has padded frames in most connections', () => {
    expect([...expected.values()].filter((entry) => entry.paddedFrames > 0).length).toBeGreaterThan(2000);
  });

  it('cic2017 counts padding bytes as payload', () => {
    const ours = bytesByConversation(original.flows, cic2017Format, CIC);
    expect(ours.size).toBe(expected.size);
    for (const [key, total] of ours) expect(total).toBe(expected.get(key)!.padded);
  });

  it('corrected counts only the bytes the IP length covers', () => {
    const ours = bytesByConversation(corrected.flows, correctedFormat, CORRECTED);
    expect(ours.size).toBe(expected.size);
    for (const [key, total] of ours) expect(total).toBe(expected.get(key)!.plain);
  });
});
