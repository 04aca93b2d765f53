import { describe, expect, it } from 'vitest';
import { cic2017Format } from '../../lib/flows/cic2017Format.ts';
import { correctedFormat } from '../../lib/flows/correctedFormat.ts';
import { collectFlows, sharedDataset, type CollectedFlow } from './collectFlows.ts';
import { conversationKey, tsharkLines } from './tshark.ts';

const column = (name: string): number => {
  const index = correctedFormat.columns.findIndex((c) => c.name === name);
  if (index < 0) throw new Error(`no column ${name}`);
  return index;
};
const SRC_IP = column('Src IP');
const SRC_PORT = column('Src Port');
const DST_IP = column('Dst IP');
const DST_PORT = column('Dst Port');
const PROTOCOL = column('Protocol');
const FWD_PACKETS = column('Total Fwd Packet');
const BWD_PACKETS = column('Total Bwd packets');
const FIN_COUNT = column('FIN Flag Count');
const RST_COUNT = column('RST Flag Count');
const FWD_RST = column('Fwd RST Flags');
const BWD_RST = column('Bwd RST Flags');
const DURATION = column('Flow Duration');

function keyOf(flow: CollectedFlow): string {
  const c = flow.cells;
  return conversationKey(Number(c[PROTOCOL]), c[SRC_IP]!, Number(c[SRC_PORT]), c[DST_IP]!, Number(c[DST_PORT]));
}

/** Per TCP conversation: frames, and the relative time of its first and last packet, from tshark. */
function tsharkTcpConversations(path: string): Map<string, { frames: number; first: number; last: number; rst: number }> {
  const conversations = new Map<string, { frames: number; first: number; last: number; rst: number }>();
  const lines = tsharkLines(['-r', path, '-Y', 'tcp and not icmp', '-T', 'fields', '-E', 'separator=,', '-e', 'frame.time_epoch', '-e', 'ip.src', '-e', 'tcp.srcport', '-e', 'ip.dst', '-e', 'tcp.dstport', '-e', 'tcp.flags.reset']);
  for (const line of lines) {
    const [time, src, srcPort, dst, dstPort, reset] = line.split(',');
    const key = conversationKey(6, src!, Number(srcPort), dst!, Number(dstPort));
    const t = Number(time);
    const entry = conversations.get(key) ?? { frames: 0, first: t, last: t, rst: 0 };
    entry.frames++;
    entry.last = t;
    if (reset === '1' || reset === 'True') entry.rst++;
    conversations.set(key, entry);
  }
  return conversations;
}

describe('corrected mode: RST ends a flow', async () => {
  // hping3-style SYN flood: every connection is SYN, SYN-ACK, RST on its own source port.
  const path = sharedDataset('pcaps/padmavatisb/portscan.pcap.gz');
  const { flows } = await collectFlows(path, correctedFormat, { table: { closeLingerUs: 0 } });
  const conversations = tsharkTcpConversations(path);

  it('gives each connection exactly one flow, closed by its RST', () => {
    expect(conversations.size).toBe(2083);
    expect(flows).toHaveLength(conversations.size);
    for (const flow of flows) {
      const expected = conversations.get(keyOf(flow))!;
      expect(expected).toBeDefined();
      expect(flow.packets).toBe(expected.frames);
      expect(Number(flow.cells[RST_COUNT])).toBe(expected.rst);
      expect(Number(flow.cells[FWD_RST]) + Number(flow.cells[BWD_RST])).toBe(expected.rst);
      // Emitted on the RST itself: nothing of the connection came after it.
      expect(flow.reason).toBe('closed');
      expect(Number(flow.cells[DURATION])).toBeCloseTo((expected.last - expected.first) * 1e6, -1);
    }
  });
});

describe('corrected mode: a FIN-FIN teardown stays in one flow', async () => {
  const path = sharedDataset('cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz');
  const corrected = await collectFlows(path, correctedFormat);
  const original = await collectFlows(path, cic2017Format);
  const conversations = tsharkTcpConversations(path);
  const tcpFlows = corrected.flows.filter((flow) => flow.cells[PROTOCOL] === '6');

  it('has one flow per TCP connection, with all its packets', () => {
    expect(tcpFlows).toHaveLength(conversations.size);
    for (const flow of tcpFlows) expect(flow.packets).toBe(conversations.get(keyOf(flow))!.frames);
  });

  it('ends connections on the final ACK after both FINs', () => {
    const closed = tcpFlows.filter((flow) => Number(flow.cells[FIN_COUNT]) >= 2);
    expect(closed.length).toBeGreaterThan(40);
    for (const flow of closed) expect(['closed', 'flush']).toContain(flow.reason);
  });

  it('where the original split the teardown into extra flows', () => {
    // The 2017 tool ended flows at the first FIN: more flows than connections for the same packets.
    expect(original.flows.length).toBeGreaterThan(tcpFlows.filter((flow) => flow.packets > 1).length);
    expect(original.flows.filter((flow) => flow.reason === 'fin').length).toBeGreaterThan(40);
  });
});

describe('corrected mode: a SYN-ACK seen first flips the direction', async () => {
  // The capture starts inside two FTP handshakes: their first packet is the server's SYN-ACK.
  const path = sharedDataset('pcaps/ppa-markofu/ftp-crack.pcap.gz');
  const firstPackets = new Map<string, { flags: number; src: string; srcPort: number; dst: string; dstPort: number }>();
  for (const line of tsharkLines(['-r', path, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=,', '-e', 'tcp.flags', '-e', 'ip.src', '-e', 'tcp.srcport', '-e', 'ip.dst', '-e', 'tcp.dstport'])) {
    const [flags, src, srcPort, dst, dstPort] = line.split(',');
    const key = conversationKey(6, src!, Number(srcPort), dst!, Number(dstPort));
    if (!firstPackets.has(key)) firstPackets.set(key, { flags: Number(flags), src: src!, srcPort: Number(srcPort), dst: dst!, dstPort: Number(dstPort) });
  }
  const synAckFirst = [...firstPackets.entries()].filter(([, first]) => first.flags === 0x12);
  const corrected = await collectFlows(path, correctedFormat);
  const original = await collectFlows(path, cic2017Format);

  it('finds SYN-ACK-first connections in the capture', () => {
    expect(synAckFirst.length).toBeGreaterThanOrEqual(2);
  });

  it('makes the SYN-ACK receiver (the client) the forward source', () => {
    for (const [key, first] of synAckFirst) {
      const flow = corrected.flows.find((f) => keyOf(f) === key)!;
      expect(flow).toBeDefined();
      expect(flow.cells[SRC_IP]).toBe(first.dst);
      expect(Number(flow.cells[SRC_PORT])).toBe(first.dstPort);
      expect(Number(flow.cells[BWD_PACKETS])).toBeGreaterThanOrEqual(1);
      expect(Number(flow.cells[FWD_PACKETS])).toBeGreaterThanOrEqual(1);
    }
  });

  it('while the original keeps the SYN-ACK sender as source', () => {
    const srcIp = cic2017Format.columns.findIndex((c) => c.name === 'Source IP');
    const srcPort = cic2017Format.columns.findIndex((c) => c.name === 'Source Port');
    const dstPort = cic2017Format.columns.findIndex((c) => c.name === 'Destination Port');
    for (const [, first] of synAckFirst) {
      const ofConnection = original.flows.filter(
        (f) =>
          (f.cells[srcPort] === String(first.srcPort) && f.cells[dstPort] === String(first.dstPort)) ||
          (f.cells[srcPort] === String(first.dstPort) && f.cells[dstPort] === String(first.srcPort)),
      );
      expect(ofConnection.length).toBeGreaterThan(0);
      // Its first flow starts with the SYN-ACK, so the server is the source.
      expect(ofConnection[0]!.cells[srcIp]).toBe(first.src);
      expect(ofConnection[0]!.cells[srcPort]).toBe(String(first.srcPort));
    }
  });
});

describe('corrected mode: a lone RST closes its flow at once', async () => {
  // Spoofed SYN flood with two stray RSTs; the capture lasts 1 ms, so only a close can end a flow early.
  const path = sharedDataset('pcaps/carvalhomariana/synflood.pcap.gz');
  const { flows } = await collectFlows(path, correctedFormat, { table: { closeLingerUs: 0 } });
  const conversations = tsharkTcpConversations(path);

  it('emits RST flows as closed and leaves the SYN-only flows to the flush', () => {
    expect(flows).toHaveLength(conversations.size);
    const withRst = [...conversations.values()].filter((entry) => entry.rst > 0).length;
    expect(withRst).toBeGreaterThan(0);
    expect(flows.filter((flow) => flow.reason === 'closed')).toHaveLength(withRst);
    for (const flow of flows) {
      expect(flow.reason).toBe(conversations.get(keyOf(flow))!.rst > 0 ? 'closed' : 'flush');
    }
  });
});
