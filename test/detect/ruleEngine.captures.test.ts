import { describe, expect, it } from 'vitest';
import type { Incident } from '../../lib/detect/incident.ts';
import { runRules, sharedPcap } from './runRules.ts';

interface AttackCase {
  file: string;
  detector: string;
  threatType: string;
  category: string;
  sourceIp: string;
  destinationIp: string;
  destinationPort: number;
  /** A figure SOURCES.md gives for the capture, read back from the closing report's summary. */
  evidence?: { pattern: RegExp; value: number; tolerance: number };
}

function summaryNumber(summary: string, pattern: RegExp): number {
  const match = pattern.exec(summary);
  return match === null ? NaN : Number(match[1].replaceAll(',', ''));
}

// Expected values come from SOURCES.md's description of each capture, not from our output.
const attacks: AttackCase[] = [
  { file: 'pcaps/chrissanders-packets/synscan.pcapng.gz', detector: 'rule:port-scan', threatType: 'PortScan', category: 'Reconnaissance', sourceIp: '172.16.0.8', destinationIp: '64.13.134.52', destinationPort: 0, evidence: { pattern: /([\d,]+) ports on 64\.13\.134\.52/, value: 1000, tolerance: 0.03 } },
  { file: 'pcaps/ppa-markofu/portscan.pcap.gz', detector: 'rule:port-scan', threatType: 'PortScan', category: 'Reconnaissance', sourceIp: '10.100.25.14', destinationIp: '10.100.18.12', destinationPort: 0, evidence: { pattern: /([\d,]+) ports/, value: 29, tolerance: 0 } },
  ...['TCP_SYN_SCAN', 'TCP_CONNECT_SCAN', 'FIN_SCAN', 'NULL_SCAN', 'XMAS_TREE_SCAN', 'ACK_SCAN', 'WINDOW_SCAN', 'UDP_SCAN', 'IP_PROTOCOL_SCAN', 'RPC_SCAN', 'version_scan'].map(
    (name): AttackCase => ({ file: `pcaps/evilfingers-nmap/${name}.pcap.gz`, detector: 'rule:port-scan', threatType: 'PortScan', category: 'Reconnaissance', sourceIp: '192.168.1.10', destinationIp: '192.168.1.25', destinationPort: 0 }),
  ),
  // The bounce: the FTP server (192.168.1.25) connects to the scanned ports on the client's behalf.
  { file: 'pcaps/evilfingers-nmap/FTP_BOUNCE_SCAN.pcap.gz', detector: 'rule:port-scan', threatType: 'PortScan', category: 'Reconnaissance', sourceIp: '192.168.1.25', destinationIp: '192.168.1.15', destinationPort: 0 },
  { file: 'pcaps/ppa-markofu/dosattack.pcap.gz', detector: 'rule:syn-flood', threatType: 'DoS', category: 'Network', sourceIp: '*', destinationIp: '*', destinationPort: 0, evidence: { pattern: /([\d,]+) SYNs/, value: 100, tolerance: 0 } },
  { file: 'pcaps/carvalhomariana/synflood.pcap.gz', detector: 'rule:syn-flood', threatType: 'DoS', category: 'Network', sourceIp: '*', destinationIp: '192.168.0.1', destinationPort: 80, evidence: { pattern: /([\d,]+) SYNs/, value: 38, tolerance: 0 } },
  { file: 'pcaps/padmavatisb/portscan.pcap.gz', detector: 'rule:syn-flood', threatType: 'DoS', category: 'Network', sourceIp: '192.168.56.101', destinationIp: '192.168.56.103', destinationPort: 80, evidence: { pattern: /([\d,]+) SYNs/, value: 2083, tolerance: 0 } },
  { file: 'pcaps/ppa-markofu/ftp-crack.pcap.gz', detector: 'rule:brute-force', threatType: 'BruteForce', category: 'Application', sourceIp: '10.234.125.254', destinationIp: '10.121.70.151', destinationPort: 21 },
  { file: 'pcaps/axr00t-research-pcaps/ssh_brute_force.pcap.gz', detector: 'rule:brute-force', threatType: 'BruteForce', category: 'Application', sourceIp: '192.168.203.193', destinationIp: '192.168.100.123', destinationPort: 22, evidence: { pattern: /([\d,]+) (?:SSH )?sessions/, value: 30, tolerance: 0.1 } },
  { file: 'pcaps/axr00t-research-pcaps/ssh-brute-force.pcap.gz', detector: 'rule:brute-force', threatType: 'BruteForce', category: 'Application', sourceIp: '192.168.0.146', destinationIp: '192.168.0.197', destinationPort: 22 },
  { file: 'pcaps/axr00t-research-pcaps/hydra_brute_force_get_success_106_attempts.pcap.gz', detector: 'rule:brute-force', threatType: 'BruteForce', category: 'Application', sourceIp: '10.2.96.124', destinationIp: '10.10.217.48', destinationPort: 80 },
];

const normal = [
  'pcaps/chrissanders-packets/http_espn.pcapng.gz',
  'pcaps/chrissanders-packets/http_google.pcapng.gz',
  'pcaps/chrissanders-packets/dns_lab.pcapng.gz',
  'pcaps/chrissanders-packets/dns_query_response.pcapng.gz',
  'pcaps/chrissanders-packets/tcp_handshake.pcapng.gz',
  'pcaps/chrissanders-packets/arppoison.pcapng.gz',
  'pcaps/chrissanders-packets/http_dvwa_sqlinjection.pcapng.gz',
  'pcaps/ppa-markofu/dns.cap.gz',
  'pcaps/ppa-markofu/http.cap.gz',
  'pcaps/ppa-markofu/telnet.pcap.gz',
  'pcaps/ppa-markofu/ftp.pcap.gz',
  'pcaps/honeynet/attack-trace.pcap_.gz',
  'cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz',
  'cicflowmeter-reference/latria-kure-sample/sample.pcap.gz',
];

const REPORT_INTERVAL_MS = 30_000;

describe('rule engine on real attack captures', () => {
  it.each(attacks)('$file → $threatType from $sourceIp to $destinationIp:$destinationPort', async (attack) => {
    const run = await runRules(sharedPcap(attack.file));
    const incidents = [...run.incidents.values()];
    // One attack, one incident: no other rule fires on it either.
    expect(incidents.map((i) => `${i.detector} ${i.sourceIp}->${i.destinationIp}:${i.destinationPort}`)).toEqual([
      `${attack.detector} ${attack.sourceIp}->${attack.destinationIp}:${attack.destinationPort}`,
    ]);
    const incident = incidents[0] as Incident;
    expect(incident.threatType).toBe(attack.threatType);
    expect(incident.category).toBe(attack.category);
    expect(incident.eventCount).toBe(run.events.length);

    // Rate-limited: one event per report interval while the attack goes on plus one closing
    // report, not one per packet: a handful for every capture but the 17-minute FTP bounce scan.
    const spanMs = incident.lastSeen - incident.firstSeen;
    expect(run.events.length).toBeGreaterThanOrEqual(1);
    expect(run.events.length).toBeLessThanOrEqual(Math.floor(spanMs / REPORT_INTERVAL_MS) + 2);
    if (spanMs < 120_000) expect(run.events.length).toBeLessThanOrEqual(5);

    for (const event of run.events) {
      expect(event.incidentId).toBe(incident.id);
      expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(event.confidence).toBeGreaterThanOrEqual(0.5);
      expect(event.confidence).toBeLessThan(1);
      expect(event.modelVersion).toBe('');
      expect(event.flowId).toBe('');
      expect(event.summary.length).toBeGreaterThan(10);
      expect(event.time).toBeGreaterThanOrEqual(incident.firstSeen);
      expect(event.time).toBeLessThanOrEqual(incident.lastSeen);
    }
    expect(incident.peakConfidence).toBe(Math.max(...run.events.map((e) => e.confidence)));
    // The incident carries the latest evidence: the closing report's.
    expect(incident.summary).toBe(run.events.at(-1)?.summary);
    if (attack.evidence) {
      const figure = summaryNumber(incident.summary, attack.evidence.pattern);
      expect(Math.abs(figure - attack.evidence.value)).toBeLessThanOrEqual(attack.evidence.value * attack.evidence.tolerance);
    }
  });
});

describe('rule engine on normal captures', () => {
  it.each(normal)('%s raises nothing', async (file) => {
    const run = await runRules(sharedPcap(file));
    expect(run.packets).toBeGreaterThan(0);
    expect(run.events.map((e) => `${e.detector}: ${e.summary}`)).toEqual([]);
  });
});
