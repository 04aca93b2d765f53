/**
 * Ground truth for the detection scorecard: the lab's `<scenario>.truth.json` files (lab/README.md
 * describes the contract) and the real captures in ../shared/datasets whose attacker is known
 * (their SOURCES.md). A flow is an attack flow by construction: one of its ends is the attacker,
 * or, for a spoofed flood, it goes to a victim during the attack from an address that is not a
 * known host.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabFlowLabeler, type LabTruth, labTruthSchema } from '../../lib/model/train/labTruth.ts';

/** A lab truth file's contents (lib/model/train/labTruth.ts, the lab's contract), or a shared capture's. */
export type CaptureTruth = Omit<LabTruth, 'network'> & { network: LabTruth['network'] | 'shared' };

export interface TruthCapture {
  /** Where the capture came from: the lab, or the shared real captures. */
  origin: 'lab' | 'shared';
  capturePath: string;
  truth: CaptureTruth;
}

/** Every lab capture with its truth file, sorted by scenario name. */
export function labCaptures(directory: string): TruthCapture[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => name.endsWith('.truth.json'))
    .sort()
    .flatMap((name) => {
      const truth = labTruthSchema.parse(JSON.parse(readFileSync(join(directory, name), 'utf8')));
      const capturePath = join(directory, name.replace(/\.truth\.json$/, '.pcap.gz'));
      return existsSync(capturePath) ? [{ origin: 'lab' as const, capturePath, truth }] : [];
    });
}

type SharedEntry = Omit<CaptureTruth, 'split' | 'network' | 'benignHosts' | 'attackStartUs' | 'attackEndUs' | 'commands'> & { path: string };

/**
 * The real captures of ../shared/datasets/pcaps whose ground truth is known from SOURCES.md (the
 * attacker by its address; the attack starts with its first packet). Left out: FTP_BOUNCE_SCAN
 * (the scan runs through an FTP server: its flows are the server's), arppoison (layer 2),
 * attack-trace and the SQL injection (no family the live detectors name), test.pcap (exploit-kit
 * traffic without per-flow truth).
 */
const SHARED: readonly SharedEntry[] = [
  { path: 'chrissanders-packets/synscan.pcapng.gz', scenario: 'shared-synscan', description: 'nmap SYN scan of 1,000 ports (Sanders)', family: 'PortScan', attackers: ['172.16.0.8'], spoofedSources: false, victims: ['64.13.134.52'] },
  { path: 'ppa-markofu/portscan.pcap.gz', scenario: 'shared-ppa-portscan', description: 'SYN scan of 29 ports (PPA)', family: 'PortScan', attackers: ['10.100.25.14'], spoofedSources: false, victims: ['10.100.18.12'] },
  ...(['TCP_SYN_SCAN', 'TCP_CONNECT_SCAN', 'FIN_SCAN', 'NULL_SCAN', 'XMAS_TREE_SCAN', 'ACK_SCAN', 'WINDOW_SCAN', 'UDP_SCAN', 'IP_PROTOCOL_SCAN', 'RPC_SCAN', 'version_scan'] as const).map(
    (name): SharedEntry => ({ path: `evilfingers-nmap/${name}.pcap.gz`, scenario: `shared-evilfingers-${name.toLowerCase().replaceAll('_', '-')}`, description: `nmap ${name} (EvilFingers)`, family: 'PortScan', attackers: ['192.168.1.10'], spoofedSources: false, victims: ['192.168.1.25'] }),
  ),
  { path: 'ppa-markofu/dosattack.pcap.gz', scenario: 'shared-ppa-dosattack', description: 'SYN flood from 100 spoofed sources to 100 hosts (PPA)', family: 'DoS', attackers: [], spoofedSources: true, victims: [] },
  { path: 'carvalhomariana/synflood.pcap.gz', scenario: 'shared-carvalhomariana-synflood', description: '38 spoofed SYNs in 1 ms', family: 'DoS', attackers: [], spoofedSources: true, victims: ['192.168.0.1'] },
  { path: 'padmavatisb/portscan.pcap.gz', scenario: 'shared-padmavatisb-synflood', description: 'hping3 SYN flood, 2,083 SYNs in 5 s', family: 'DoS', attackers: ['192.168.56.101'], spoofedSources: false, victims: ['192.168.56.103'] },
  { path: 'ppa-markofu/ftp-crack.pcap.gz', scenario: 'shared-ppa-ftp-crack', description: 'FTP password brute force, 705 failures (PPA)', family: 'BruteForce', attackers: ['10.234.125.254'], spoofedSources: false, victims: ['10.121.70.151'] },
  { path: 'axr00t-research-pcaps/ssh_brute_force.pcap.gz', scenario: 'shared-ssh-brute-force-slow', description: 'SSH brute force, ~30 sessions in 299 s', family: 'BruteForce', attackers: ['192.168.203.193'], spoofedSources: false, victims: ['192.168.100.123'] },
  { path: 'axr00t-research-pcaps/ssh-brute-force.pcap.gz', scenario: 'shared-ssh-brute-force', description: 'SSH brute force, 844 sessions in 116 s', family: 'BruteForce', attackers: ['192.168.0.146'], spoofedSources: false, victims: ['192.168.0.197'] },
  { path: 'axr00t-research-pcaps/hydra_brute_force_get_success_106_attempts.pcap.gz', scenario: 'shared-hydra-http-get', description: 'hydra HTTP login brute force, 224 connections', family: 'BruteForce', attackers: ['10.2.96.124'], spoofedSources: false, victims: ['10.10.217.48'] },
  ...(
    [
      ['chrissanders-packets/http_espn.pcapng.gz', 'web browsing (espn.go.com)'],
      ['chrissanders-packets/http_google.pcapng.gz', 'one HTTP fetch'],
      ['chrissanders-packets/dns_lab.pcapng.gz', 'DNS queries'],
      ['ppa-markofu/http.cap.gz', 'an HTTP page fetch with DNS'],
      ['ppa-markofu/dns.cap.gz', 'DNS, HTTP and SSDP'],
      ['ppa-markofu/telnet.pcap.gz', 'a Telnet session'],
      ['ppa-markofu/ftp.pcap.gz', 'an FTP session with a transfer'],
    ] as const
  ).map(([path, description]): SharedEntry => ({ path, scenario: `shared-benign-${path.split('/')[1]!.replace(/\..*$/, '').replaceAll('_', '-')}`, description: `normal: ${description}`, family: null, attackers: [], spoofedSources: false, victims: [] })),
];

/** The shared real captures with known truth that exist under `datasetsDirectory`. */
export function sharedCaptures(datasetsDirectory: string): TruthCapture[] {
  const pcaps = join(datasetsDirectory, 'pcaps');
  return SHARED.filter((entry) => existsSync(join(pcaps, entry.path))).map(({ path, ...entry }) => ({
    origin: 'shared' as const,
    capturePath: join(pcaps, path),
    truth: { ...entry, split: 'eval' as const, network: 'shared' as const, benignHosts: [], attackStartUs: null, attackEndUs: null, commands: [] },
  }));
}

/**
 * Decides, flow by flow, whether the truth calls it an attack: the lab's rule (LabFlowLabeler), and
 * for the shared spoofed floods, which come without an attack window, the whole capture is the
 * window and no victim listed means any host.
 */
export class FlowTruth {
  private readonly labeler: LabFlowLabeler;
  private readonly attackers: Set<string>;
  private readonly known: Set<string>;
  private readonly victims: Set<string>;

  constructor(private readonly truth: CaptureTruth) {
    this.labeler = new LabFlowLabeler({ ...truth, network: truth.network === 'shared' ? 'lan' : truth.network });
    this.attackers = new Set(truth.attackers);
    this.victims = new Set(truth.victims);
    this.known = new Set([...truth.attackers, ...truth.victims, ...truth.benignHosts]);
  }

  isAttack(source: string, destination: string, startUs: number, endUs: number): boolean {
    if (this.labeler.isAttack({ sourceIp: source, destinationIp: destination, startUs, lastUs: endUs })) return true;
    const { truth } = this;
    if (truth.family === null || !truth.spoofedSources || truth.attackStartUs !== null) return false;
    const towards = (victim: string, other: string) => (this.victims.size === 0 || this.victims.has(victim)) && !this.known.has(other);
    return towards(destination, source) || towards(source, destination);
  }

  /** Whether an alert's attacker text names the attacker ("many (N)" names a spoofed flood). */
  namesAttacker(alertSource: string): boolean {
    if (this.attackers.has(alertSource)) return true;
    return this.truth.spoofedSources && alertSource.startsWith('many');
  }
}
