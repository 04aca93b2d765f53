import { describe, expect, it } from 'vitest';
import { compareWithTshark, datasetPath, decodeFile, expectAgreementWithTshark, tsharkRows } from './tsharkCompare.ts';

/**
 * Every packet of these real captures, every field, against tshark. Together they cover
 * Ethernet pcap and pcapng, the raw-IP link type, ARP (non-IP), TCP with options, UDP (DNS,
 * SSDP, nmap UDP probes), ICMP errors that quote an inner packet, and nmap's IP protocol scan
 * (IGMP, empty probes of dozens of protocol numbers).
 */
const files = [
  'pcaps/chrissanders-packets/arppoison.pcapng.gz',
  'pcaps/chrissanders-packets/dns_lab.pcapng.gz',
  'pcaps/chrissanders-packets/http_espn.pcapng.gz',
  'pcaps/chrissanders-packets/synscan.pcapng.gz',
  'pcaps/chrissanders-packets/http_dvwa_sqlinjection.pcapng.gz',
  'pcaps/axr00t-research-pcaps/hydra_brute_force_get_success_106_attempts.pcap.gz',
  'pcaps/axr00t-research-pcaps/ssh_brute_force.pcap.gz',
  'pcaps/evilfingers-nmap/UDP_SCAN.pcap.gz',
  'pcaps/evilfingers-nmap/IP_PROTOCOL_SCAN.pcap.gz',
  'pcaps/evilfingers-nmap/TCP_SYN_SCAN.pcap.gz',
  'pcaps/evilfingers-nmap/XMAS_TREE_SCAN.pcap.gz',
  'pcaps/evilfingers-nmap/version_scan.pcap.gz',
  'pcaps/honeynet/attack-trace.pcap_.gz',
  'pcaps/ppa-markofu/dns.cap.gz',
  'pcaps/ppa-markofu/dosattack.pcap.gz',
  'pcaps/padmavatisb/portscan.pcap.gz',
  'cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz',
];

describe('decodeFrame agrees with tshark on every packet', () => {
  for (const file of files) it(file, () => expectAgreementWithTshark(file));

  it('the comparison covers TCP, UDP, ICMP, other protocols and non-IP frames', async () => {
    const covered = new Set<string>();
    for (const file of ['pcaps/evilfingers-nmap/UDP_SCAN.pcap.gz', 'pcaps/evilfingers-nmap/IP_PROTOCOL_SCAN.pcap.gz',
      'pcaps/chrissanders-packets/arppoison.pcapng.gz']) {
      const path = datasetPath(file);
      const comparison = compareWithTshark(await tsharkRows(path), (await decodeFile(path)).records);
      for (const [name, count] of Object.entries(comparison.compared)) if (count > 0) covered.add(name);
    }
    for (const name of ['tcp.flags', 'tcp.len', 'udp.length', 'icmp.type', 'other protocol: no transport header', 'not ip']) {
      expect(covered).toContain(name);
    }
  });
});
