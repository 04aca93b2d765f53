import { describe, it } from 'vitest';
import { expectAgreementWithTshark } from './tsharkCompare.ts';

/** The rest of the stored captures, the large brute-force and scan files included: every packet, every field. */
const files = [
  'pcaps/axr00t-research-pcaps/ssh-brute-force.pcap.gz',
  'pcaps/ppa-markofu/ftp-crack.pcap.gz',
  'pcaps/evilfingers-nmap/FTP_BOUNCE_SCAN.pcap.gz',
  'pcaps/evilfingers-nmap/TCP_CONNECT_SCAN.pcap.gz',
  'pcaps/evilfingers-nmap/ACK_SCAN.pcap.gz',
  'pcaps/evilfingers-nmap/FIN_SCAN.pcap.gz',
  'pcaps/evilfingers-nmap/NULL_SCAN.pcap.gz',
  'pcaps/evilfingers-nmap/WINDOW_SCAN.pcap.gz',
  'pcaps/evilfingers-nmap/RPC_SCAN.pcap.gz',
  'pcaps/carvalhomariana/synflood.pcap.gz',
  'pcaps/chrissanders-packets/http_google.pcapng.gz',
  'pcaps/chrissanders-packets/tcp_handshake.pcapng.gz',
  'pcaps/chrissanders-packets/dns_query_response.pcapng.gz',
  'pcaps/ppa-markofu/portscan.pcap.gz',
  'pcaps/ppa-markofu/http.cap.gz',
  'pcaps/ppa-markofu/telnet.pcap.gz',
  'pcaps/ppa-markofu/ftp.pcap.gz',
  'cicflowmeter-reference/latria-kure-sample/sample.pcap.gz',
];

describe('decodeFrame agrees with tshark on every packet (remaining captures)', () => {
  for (const file of files) it(file, () => expectAgreementWithTshark(file));
});
