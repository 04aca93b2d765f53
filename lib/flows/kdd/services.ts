/**
 * NSL-KDD "service" names from the destination port (TCP/UDP) or the ICMP type, following the
 * names the 1998 DARPA extraction used. Ports we cannot name: below 1024 → "other" is what
 * Bro's port table gave for unnamed well-known ports; 1024 and above → "private".
 */
const tcpServices: Record<number, string> = {
  7: 'echo', 9: 'discard', 11: 'systat', 13: 'daytime', 15: 'netstat', 20: 'ftp_data', 21: 'ftp',
  22: 'ssh', 23: 'telnet', 25: 'smtp', 37: 'time', 42: 'name', 43: 'whois', 53: 'domain',
  57: 'mtp', 70: 'gopher', 79: 'finger', 80: 'http', 84: 'ctf', 87: 'link', 95: 'supdup',
  101: 'hostnames', 102: 'iso_tsap', 105: 'csnet_ns', 109: 'pop_2', 110: 'pop_3', 111: 'sunrpc',
  113: 'auth', 117: 'uucp_path', 119: 'nntp', 137: 'netbios_ns', 138: 'netbios_dgm',
  139: 'netbios_ssn', 143: 'imap4', 150: 'sql_net', 175: 'vmnet', 179: 'bgp', 194: 'IRC',
  210: 'Z39_50', 245: 'link', 389: 'ldap', 433: 'nnsp', 443: 'http_443', 512: 'exec', 513: 'login',
  514: 'shell', 515: 'printer', 520: 'efs', 530: 'courier', 540: 'uucp', 543: 'klogin',
  544: 'kshell', 5190: 'aol', 6000: 'X11', 2784: 'http_2784', 8001: 'http_8001', 5: 'rje',
  71: 'remote_job', 73: 'remote_job', 77: 'rje', 1911: 'mtp', 7007: 'harvest', 8080: 'http',
};

const udpServices: Record<number, string> = {
  53: 'domain_u', 69: 'tftp_u', 123: 'ntp_u', 137: 'netbios_ns', 138: 'netbios_dgm',
};

const icmpServices: Record<number, string> = {
  0: 'ecr_i', 3: 'urp_i', 5: 'red_i', 8: 'eco_i', 11: 'tim_i', 13: 'eco_i', 14: 'ecr_i',
};

export function kddService(protocol: number, dstPort: number, icmpType: number): string {
  if (protocol === 1) return icmpServices[icmpType] ?? 'oth_i';
  const named = protocol === 17 ? udpServices[dstPort] : protocol === 6 ? tcpServices[dstPort] : undefined;
  if (named !== undefined) return named;
  return dstPort < 1024 ? 'other' : 'private';
}

export function kddProtocolType(protocol: number): string {
  if (protocol === 6) return 'tcp';
  if (protocol === 17) return 'udp';
  if (protocol === 1 || protocol === 58) return 'icmp';
  return 'other';
}
