import { describe as group, expect, it } from 'vitest';
import { MANY } from '../../../lib/detect/ruleDetector.ts';
import { describe, replayRules, sharedCapture } from './replayRules.ts';

/**
 * Who the rules name on the real captures in shared/datasets. Every expected figure is read
 * from the capture with tshark (the command is beside it) or from SOURCES.md, not from our output.
 */
interface NamedCase {
  file: string;
  detector: string;
  sourceIp: string;
  /** The first attacker listed, with its count (or a count range for spoofed sources' few packets). */
  attacker?: { ip: string; count: number };
  /** Distinct sources, ± 3 % (linear counting). */
  distinctSources: number;
  target: string;
  /** A figure of the closing summary, ± 3 %. */
  evidence: { pattern: RegExp; value: number };
}

const cases: NamedCase[] = [
  // SOURCES.md: hping3-style flood, 2,083 SYNs from one host.
  { file: 'pcaps/padmavatisb/portscan.pcap.gz', detector: 'rule:syn-flood', sourceIp: '192.168.56.101', attacker: { ip: '192.168.56.101', count: 2083 }, distinctSources: 1, target: '192.168.56.103:80', evidence: { pattern: /([\d,]+) SYNs/, value: 2083 } },
  // SOURCES.md: 38 SYNs from random spoofed sources in 1 ms.
  { file: 'pcaps/carvalhomariana/synflood.pcap.gz', detector: 'rule:syn-flood', sourceIp: MANY, distinctSources: 38, target: '192.168.0.1:80', evidence: { pattern: /from many \(([\d,]+)\) sources/, value: 38 } },
  // SOURCES.md: 100 SYNs from 100 sources to 100 hosts.
  { file: 'pcaps/ppa-markofu/dosattack.pcap.gz', detector: 'rule:syn-flood', sourceIp: MANY, distinctSources: 100, target: '', evidence: { pattern: /from many \(([\d,]+)\) sources/, value: 100 } },
  // tshark -Y 'tcp.payload[0:4] == "530 "' | wc -l → 1,410 (each of the 705 failures is in the file twice, same sequence numbers).
  { file: 'pcaps/ppa-markofu/ftp-crack.pcap.gz', detector: 'rule:brute-force', sourceIp: '10.234.125.254', attacker: { ip: '10.234.125.254', count: 1410 }, distinctSources: 1, target: '10.121.70.151:21', evidence: { pattern: /([\d,]+) failed FTP logins \(530\)/, value: 1410 } },
  // tshark -Y 'tcp.dstport==22 && tcp.len>0' -T fields -e tcp.srcport | sort -u | wc -l → 32 and 858 sessions.
  { file: 'pcaps/axr00t-research-pcaps/ssh_brute_force.pcap.gz', detector: 'rule:brute-force', sourceIp: '192.168.203.193', distinctSources: 1, target: '192.168.100.123:22', evidence: { pattern: /([\d,]+) (?:SSH )?sessions/, value: 32 } },
  { file: 'pcaps/axr00t-research-pcaps/ssh-brute-force.pcap.gz', detector: 'rule:brute-force', sourceIp: '192.168.0.146', distinctSources: 1, target: '192.168.0.197:22', evidence: { pattern: /([\d,]+) (?:SSH )?sessions/, value: 858 } },
  // tshark -o tcp.analyze_sequence_numbers:FALSE -Y 'http.request.uri contains "password="' | wc -l → 106 (a form login by GET: every attempt a 200).
  { file: 'pcaps/axr00t-research-pcaps/hydra_brute_force_get_success_106_attempts.pcap.gz', detector: 'rule:brute-force', sourceIp: '10.2.96.124', attacker: { ip: '10.2.96.124', count: 106 }, distinctSources: 1, target: '10.10.217.48:80', evidence: { pattern: /([\d,]+) HTTP login attempts \(password in the URL\)/, value: 106 } },
];

function near(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= Math.max(1, expected * 0.03);
}

group('rules name the attacker on the shared attack captures', () => {
  it.each(cases)('$file → $sourceIp', async (expected) => {
    const run = await replayRules(sharedCapture(expected.file));
    const lines = run.detections.map(describe);
    expect(new Set(run.detections.map((d) => `${d.detector} ${d.sourceIp}`)), lines.join('\n')).toEqual(new Set([`${expected.detector} ${expected.sourceIp}`]));
    const closing = run.detections.at(-1)!;
    const figure = Number(expected.evidence.pattern.exec(closing.summary)?.[1]?.replaceAll(',', '') ?? NaN);
    expect(near(figure, expected.evidence.value), `${closing.summary} (expected ${expected.evidence.value})`).toBe(true);
    expect(near(closing.distinctSources ?? NaN, expected.distinctSources), `distinctSources ${closing.distinctSources}`).toBe(true);
    expect(closing.attackers?.length ?? 0).toBeGreaterThan(0);
    expect(closing.attackers!.length).toBeLessThanOrEqual(8);
    if (expected.attacker) {
      expect(closing.attackers![0].ip).toBe(expected.attacker.ip);
      expect(near(closing.attackers![0].count, expected.attacker.count), `count ${closing.attackers![0].count}`).toBe(true);
    }
    if (expected.sourceIp === MANY) {
      // Spoofed: the listed sources each sent a few packets, never most of them.
      for (const source of closing.attackers!) expect(source.count).toBeLessThan(0.5 * expected.distinctSources);
    } else {
      expect(closing.attackers!.map((a) => a.ip)).toEqual([expected.sourceIp]);
    }
    if (expected.target !== '') expect(closing.targets).toEqual([expected.target]);
  });
});

const normal = [
  'pcaps/chrissanders-packets/http_espn.pcapng.gz',
  'pcaps/chrissanders-packets/http_google.pcapng.gz',
  'pcaps/chrissanders-packets/dns_lab.pcapng.gz',
  'pcaps/chrissanders-packets/http_dvwa_sqlinjection.pcapng.gz',
  'pcaps/ppa-markofu/dns.cap.gz',
  'pcaps/ppa-markofu/http.cap.gz',
  'pcaps/ppa-markofu/telnet.pcap.gz',
  'pcaps/ppa-markofu/ftp.pcap.gz',
  'cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz',
];

group('every rule, the new ones included, stays quiet on normal captures (sweeping each second)', () => {
  it.each(normal)('%s', async (file) => {
    const run = await replayRules(sharedCapture(file));
    expect(run.packets).toBeGreaterThan(0);
    expect(run.detections.map(describe)).toEqual([]);
  });
});
