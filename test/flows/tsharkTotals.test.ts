import { describe, expect, it } from 'vitest';
import { correctedFormat } from '../../lib/flows/correctedFormat.ts';
import { collectFlows, sharedDataset } from './collectFlows.ts';
import { conversationKey, tsharkLines } from './tshark.ts';

/**
 * Per 5-tuple, the packets and payload bytes of our corrected-mode flows must add up to what
 * tshark sees. tshark's conversations are whole 5-tuples, while we split a 5-tuple into several
 * flows (TCP close, new SYN after close, 120 s active timeout, 60 s idle timeout), so the
 * comparison sums our flows per 5-tuple; the flow count can only be >= tshark's.
 */
const CAPTURES = [
  'cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz',
  'pcaps/ppa-markofu/dns.cap.gz',
  'pcaps/evilfingers-nmap/UDP_SCAN.pcap.gz',
  'pcaps/chrissanders-packets/http_espn.pcapng.gz',
  'pcaps/axr00t-research-pcaps/ssh_brute_force.pcap.gz',
];

const column = (name: string): number => correctedFormat.columns.findIndex((c) => c.name === name);
const SRC_IP = column('Src IP');
const SRC_PORT = column('Src Port');
const DST_IP = column('Dst IP');
const DST_PORT = column('Dst Port');
const PROTOCOL = column('Protocol');
const FWD_BYTES = column('Total Length of Fwd Packet');
const BWD_BYTES = column('Total Length of Bwd Packet');

interface Totals {
  packets: number;
  bytes: number;
}

/** TCP plus UDP conversations, from one tshark run. */
function conversationCount(path: string): number {
  return tsharkLines(['-r', path, '-q', '-o', 'ip.defragment:FALSE', '-z', 'conv,tcp', '-z', 'conv,udp']).filter((line) => line.includes('<->')).length;
}

function tsharkTotals(path: string): Map<string, Totals> {
  const totals = new Map<string, Totals>();
  // ICMP errors quote a TCP/UDP header; those packets belong to ICMP flows, not to the quoted 5-tuple.
  const lines = tsharkLines([
    '-r', path, '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE', '-Y', '(tcp or udp) and not icmp and not icmpv6',
    '-T', 'fields', '-E', 'separator=,', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'ip.dst', '-e', 'ipv6.dst',
    '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'tcp.len', '-e', 'udp.length',
  ]);
  for (const line of lines) {
    const [ip4src, ip6src, ip4dst, ip6dst, tcpSrc, tcpDst, udpSrc, udpDst, tcpLen, udpLen] = line.split(',');
    const tcp = tcpSrc !== '';
    const key = conversationKey(
      tcp ? 6 : 17,
      ip4src || ip6src!,
      Number(tcp ? tcpSrc : udpSrc),
      ip4dst || ip6dst!,
      Number(tcp ? tcpDst : udpDst),
    );
    const entry = totals.get(key) ?? { packets: 0, bytes: 0 };
    entry.packets++;
    entry.bytes += tcp ? Number(tcpLen) : Number(udpLen) - 8;
    totals.set(key, entry);
  }
  return totals;
}

describe('corrected-mode flow totals against tshark', () => {
  for (const relative of CAPTURES) {
    it(`${relative.split('/').pop()}: packets and payload bytes per 5-tuple`, async () => {
      const path = sharedDataset(relative);
      const { flows } = await collectFlows(path, correctedFormat);
      const ours = new Map<string, Totals>();
      let transportFlows = 0;
      for (const flow of flows) {
        const c = flow.cells;
        const protocol = Number(c[PROTOCOL]);
        if (protocol !== 6 && protocol !== 17) continue;
        transportFlows++;
        const key = conversationKey(protocol, c[SRC_IP]!, Number(c[SRC_PORT]), c[DST_IP]!, Number(c[DST_PORT]));
        const entry = ours.get(key) ?? { packets: 0, bytes: 0 };
        entry.packets += flow.packets;
        entry.bytes += Number(c[FWD_BYTES]) + Number(c[BWD_BYTES]);
        ours.set(key, entry);
      }
      const expected = tsharkTotals(path);
      expect(ours.size).toBe(conversationCount(path));
      expect(transportFlows).toBeGreaterThanOrEqual(ours.size);
      expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(expected));
    }, 45_000);
  }
});
