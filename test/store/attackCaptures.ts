/**
 * Attack captures from /work/shared/datasets (see SOURCES.md) with the fixture label their
 * events get. Threat types and categories follow what each capture is; the confidences are
 * fixture values spread over the four severities (there is no detector yet to score them).
 */
import type { FixtureLabel } from './realEvents.ts';

export const attackCaptures: readonly { capture: string; label: FixtureLabel }[] = [
  { capture: 'pcaps/ppa-markofu/portscan.pcap.gz', label: { threatType: 'PortScan', category: 'Reconnaissance', confidence: 0.72 } },
  { capture: 'pcaps/ppa-markofu/dosattack.pcap.gz', label: { threatType: 'DoS', category: 'Network', confidence: 0.96 } },
  { capture: 'pcaps/ppa-markofu/ftp-crack.pcap.gz', label: { threatType: 'BruteForce-FTP', category: 'Application', confidence: 0.88 } },
  { capture: 'pcaps/axr00t-research-pcaps/ssh-brute-force.pcap.gz', label: { threatType: 'BruteForce-SSH', category: 'Application', confidence: 0.61 } },
  { capture: 'pcaps/evilfingers-nmap/TCP_SYN_SCAN.pcap.gz', label: { threatType: 'SYN Scan', category: 'Reconnaissance', confidence: 0.77 } },
  { capture: 'pcaps/evilfingers-nmap/UDP_SCAN.pcap.gz', label: { threatType: 'UDP Scan', category: 'Reconnaissance', confidence: 0.45 } },
  { capture: 'pcaps/evilfingers-nmap/ACK_SCAN.pcap.gz', label: { threatType: 'ACK Scan', category: 'Reconnaissance', confidence: 0.52 } },
  { capture: 'pcaps/evilfingers-nmap/FIN_SCAN.pcap.gz', label: { threatType: 'FIN Scan', category: 'Reconnaissance', confidence: 0.3 } },
  { capture: 'pcaps/evilfingers-nmap/NULL_SCAN.pcap.gz', label: { threatType: 'NULL Scan', category: 'Reconnaissance', confidence: 0.86 } },
  { capture: 'pcaps/evilfingers-nmap/XMAS_TREE_SCAN.pcap.gz', label: { threatType: 'XMAS Scan', category: 'Reconnaissance', confidence: 0.7 } },
  { capture: 'pcaps/evilfingers-nmap/IP_PROTOCOL_SCAN.pcap.gz', label: { threatType: 'IP Protocol Scan', category: 'Network', confidence: 0.5 } },
  { capture: 'pcaps/chrissanders-packets/http_dvwa_sqlinjection.pcapng.gz', label: { threatType: 'SQL Injection', category: 'Web', confidence: 0.93 } },
];
