/**
 * Every lab scenario: what runs, for how long, and how it is labelled.
 *
 * Attack commands run in the attacker's namespace (`ngl-atk` on the LAN; on loopback inside
 * `ngl-lo` with the default source 127.0.0.1), one after the other, each under
 * `timeout -s INT <boundSeconds>` so no tool outlives its slot. The benign clients run for the
 * whole scenario unless `clients` is false. Each attack type has a `train` and an `eval`
 * variant that differ in ports, timing, tool options or network, so a model trained on the
 * train captures is scored on attacks it has not seen verbatim.
 */
import { PORTS } from './labConfig.ts';
import type { LabNetwork } from './topology.ts';
import { MIXES, type Mix } from './benign.ts';

export type Family = 'PortScan' | 'DoS' | 'BruteForce';
export type Split = 'train' | 'eval';

export interface Targets {
  /** The victim server's address on this network. */
  server: string;
}

export interface Attack {
  /** Upper bound of each command's run time (it is stopped with SIGINT, then SIGKILL 5 s later). */
  boundSeconds: number;
  /** True when the tool forges random source addresses (hping3 --rand-source). */
  spoofedSources?: boolean;
  /** The commands, run in order; wordlist names are files in the run's working folder. */
  commands: (targets: Targets) => string[][];
  /** Wordlists the commands need: file name -> [word count, seed]. */
  wordlists?: Record<string, [number, number]>;
}

export interface Scenario {
  name: string;
  split: Split;
  network: LabNetwork;
  family: Family | null;
  description: string;
  /** Seed of the benign clients (each client derives its own from it). */
  seed: number;
  /** Benign traffic before the attack starts (benign-only: the whole length). */
  leadSeconds: number;
  /** Benign traffic after the attack ends. */
  tailSeconds: number;
  attack?: Attack;
  /** Client personalities, one per client (LAN: ngl-c1.., loopback: 127.0.0.21..). */
  mixes?: Mix[];
}

const LAN_MIXES: Mix[] = [MIXES.browser, MIXES.operator, MIXES.quiet];
const LOOPBACK_MIXES: Mix[] = [MIXES.browser, MIXES.operator];

const HYDRA_COMMON = ['-I', '-V', '-f'];
/**
 * hydra's ssh module waits its full response time (-w, 32 s by default) after sshd drops a
 * connection at MaxAuthTries, so without -w 3 it spends most of its slot idle. FTP must keep the
 * default: vsftpd answers a wrong password only after PAM's ~3 s failure delay.
 */
const HYDRA_SSH = [...HYDRA_COMMON, '-w', '3'];

function benign(name: string, split: Split, network: LabNetwork, seed: number, seconds: number, description: string): Scenario {
  return { name, split, network, family: null, description, seed, leadSeconds: seconds, tailSeconds: 0 };
}

export const SCENARIOS: readonly Scenario[] = [
  // ---- benign only --------------------------------------------------------------------------
  benign('benign-lan-a', 'train', 'lan', 101, 70, 'Three clients browse, download, ab -n 50 -c 2, dig, ssh (commands and typed sessions), ping and FTP; no attack (seed 101)'),
  benign('benign-lan-b', 'eval', 'lan', 202, 70, 'Three clients browse, download, ab -n 50 -c 2, dig, ssh, ping and FTP; no attack (seed 202, different timings and choices)'),
  benign('lo-benign-a', 'train', 'loopback', 303, 60, 'Two loopback clients (127.0.0.21, 127.0.0.22) browse, download, dig, ssh, ping and FTP to 127.0.0.10; no attack'),
  benign('lo-benign-b', 'eval', 'loopback', 404, 60, 'Two loopback clients browse, download, dig, ssh, ping and FTP to 127.0.0.10; no attack (seed 404)'),
  // Five minutes each, recorded apart: enough benign flows for a false-alarm share of 0.5 % to mean
  // something, and the behaviour model's (issue #12) learn-on-one, check-on-another pair.
  benign('benign-lan-long-a', 'train', 'lan', 505, 300, 'Three clients for five minutes: browse, download, ab -n 50 -c 2, dig, ssh, ping and FTP; no attack (seed 505)'),
  benign('benign-lan-long-b', 'eval', 'lan', 606, 300, 'Three clients for five minutes, recorded separately: browse, download, ab -n 50 -c 2, dig, ssh, ping and FTP; no attack (seed 606)'),

  // ---- port scans ---------------------------------------------------------------------------
  {
    name: 'scan-syn-lan', split: 'train', network: 'lan', family: 'PortScan', seed: 11, leadSeconds: 15, tailSeconds: 15,
    description: 'nmap SYN scan (-sS) of ports 1-1000 of the server while three clients work',
    attack: { boundSeconds: 40, commands: ({ server }) => [['nmap', '-n', '-sS', '-p', '1-1000', '--max-rate', '2000', server]] },
  },
  {
    name: 'scan-syn-lan-top3000', split: 'eval', network: 'lan', family: 'PortScan', seed: 12, leadSeconds: 15, tailSeconds: 15,
    description: 'nmap SYN scan of the top 3,000 ports at -T4 (rate-capped) while three clients work',
    attack: { boundSeconds: 40, commands: ({ server }) => [['nmap', '-n', '-sS', '-T4', '--top-ports', '3000', '--max-rate', '1500', server]] },
  },
  {
    name: 'scan-connect-lan', split: 'train', network: 'lan', family: 'PortScan', seed: 13, leadSeconds: 15, tailSeconds: 15,
    description: 'nmap TCP connect scan (-sT) of ports 1-1500 while three clients work',
    attack: { boundSeconds: 40, commands: ({ server }) => [['nmap', '-n', '-sT', '-p', '1-1500', '--max-rate', '2000', server]] },
  },
  {
    name: 'scan-connect-lan-t3', split: 'eval', network: 'lan', family: 'PortScan', seed: 14, leadSeconds: 15, tailSeconds: 15,
    description: 'nmap connect scan at -T3 of ports 1-1024 and 2000-3000 while three clients work',
    attack: { boundSeconds: 45, commands: ({ server }) => [['nmap', '-n', '-sT', '-T3', '-p', '1-1024,2000-3000', '--max-rate', '1000', server]] },
  },
  {
    name: 'scan-version-lan', split: 'train', network: 'lan', family: 'PortScan', seed: 15, leadSeconds: 15, tailSeconds: 15,
    description: 'nmap service/version detection (-sV) of the seven service ports while three clients work',
    attack: { boundSeconds: 40, commands: ({ server }) => [['nmap', '-n', '-sV', '-p', `${PORTS.ftp},${PORTS.ssh},${PORTS.dns},${PORTS.http},${PORTS.ftpAlt},${PORTS.sshAlt},${PORTS.httpAlt}`, server]] },
  },
  {
    name: 'scan-version-lan-light', split: 'eval', network: 'lan', family: 'PortScan', seed: 16, leadSeconds: 15, tailSeconds: 15,
    description: 'nmap -sV --version-light over the top 100 ports while three clients work',
    attack: { boundSeconds: 40, commands: ({ server }) => [['nmap', '-n', '-sV', '--version-light', '--top-ports', '100', server]] },
  },
  {
    name: 'scan-udp-lan', split: 'train', network: 'lan', family: 'PortScan', seed: 17, leadSeconds: 15, tailSeconds: 15,
    description: 'nmap UDP scan (-sU) of the top 100 UDP ports, one retry (the kernel rate-limits ICMP port-unreachable answers, so most ports come out open|filtered)',
    attack: { boundSeconds: 45, commands: ({ server }) => [['nmap', '-n', '-sU', '--top-ports', '100', '--max-retries', '1', server]] },
  },
  {
    name: 'scan-udp-lan-list', split: 'eval', network: 'lan', family: 'PortScan', seed: 18, leadSeconds: 15, tailSeconds: 15,
    description: 'nmap UDP scan of 40 chosen service ports (DNS, NTP, SNMP, NetBIOS, IKE, syslog, ...) with version probes off',
    attack: {
      boundSeconds: 45,
      commands: ({ server }) => [['nmap', '-n', '-sU', '-p', '7,9,17,19,49,53,67-69,80,88,111,120,123,135-139,158,161,162,177,427,443,445,497,500,514,515,518,520,593,623,626,631,996-999,1434', '--max-retries', '2', server]],
    },
  },
  {
    name: 'scan-slow-lan', split: 'train', network: 'lan', family: 'PortScan', seed: 19, leadSeconds: 10, tailSeconds: 8,
    description: 'slow nmap SYN scan (-T2, 0.4 s between probes) of ports 1-60 while three clients work',
    attack: { boundSeconds: 45, commands: ({ server }) => [['nmap', '-n', '-sS', '-T2', '-p', '1-60', server]] },
  },
  {
    name: 'scan-slow-lan-connect', split: 'eval', network: 'lan', family: 'PortScan', seed: 20, leadSeconds: 10, tailSeconds: 8,
    description: 'slow nmap connect scan (-sT -T2) of 60 ports (1-30, 8000-8029) while three clients work',
    attack: { boundSeconds: 45, commands: ({ server }) => [['nmap', '-n', '-sT', '-T2', '-p', '1-30,8000-8029', server]] },
  },
  {
    name: 'lo-scan-syn', split: 'train', network: 'loopback', family: 'PortScan', seed: 21, leadSeconds: 15, tailSeconds: 15,
    description: 'nmap SYN scan of ports 1-2000 of 127.0.0.10 from 127.0.0.1 on loopback while two clients work',
    attack: { boundSeconds: 40, commands: ({ server }) => [['nmap', '-n', '-sS', '-p', '1-2000', '--max-rate', '2000', server]] },
  },
  {
    name: 'lo-scan-connect', split: 'eval', network: 'loopback', family: 'PortScan', seed: 22, leadSeconds: 15, tailSeconds: 15,
    description: 'nmap connect scan of the top 1,000 ports of 127.0.0.10 on loopback while two clients work',
    attack: { boundSeconds: 40, commands: ({ server }) => [['nmap', '-n', '-sT', '--top-ports', '1000', '--max-rate', '1500', server]] },
  },

  // ---- floods -------------------------------------------------------------------------------
  {
    name: 'dos-synflood-lan', split: 'train', network: 'lan', family: 'DoS', seed: 31, leadSeconds: 12, tailSeconds: 10,
    description: 'hping3 SYN flood to :80, one packet every 300 us (~3,300/s), 25,000 packets (~8 s)',
    attack: { boundSeconds: 20, commands: ({ server }) => [['hping3', '-q', '-S', '-p', String(PORTS.http), '-i', 'u300', '-c', '25000', server]] },
  },
  {
    name: 'dos-synflood-lan-ssh', split: 'eval', network: 'lan', family: 'DoS', seed: 32, leadSeconds: 12, tailSeconds: 10,
    description: 'hping3 SYN flood to :22, one packet every 400 us (~2,500/s), 20,000 packets (~8 s), 100-byte payload',
    attack: { boundSeconds: 20, commands: ({ server }) => [['hping3', '-q', '-S', '-p', String(PORTS.ssh), '-d', '100', '-i', 'u400', '-c', '20000', server]] },
  },
  {
    name: 'dos-synflood-randsrc-lan', split: 'train', network: 'lan', family: 'DoS', seed: 33, leadSeconds: 12, tailSeconds: 10,
    description: 'hping3 SYN flood to :80 from random spoofed sources (--rand-source), ~3,300/s, 25,000 packets',
    attack: { boundSeconds: 20, spoofedSources: true, commands: ({ server }) => [['hping3', '-q', '-S', '-p', String(PORTS.http), '--rand-source', '-i', 'u300', '-c', '25000', server]] },
  },
  {
    name: 'dos-synflood-randsrc-lan-8080', split: 'eval', network: 'lan', family: 'DoS', seed: 34, leadSeconds: 12, tailSeconds: 10,
    description: 'hping3 SYN flood to :8080 from random spoofed sources, ~2,500/s, 20,000 packets',
    attack: { boundSeconds: 20, spoofedSources: true, commands: ({ server }) => [['hping3', '-q', '-S', '-p', String(PORTS.httpAlt), '--rand-source', '-i', 'u400', '-c', '20000', server]] },
  },
  {
    name: 'dos-udpflood-lan', split: 'train', network: 'lan', family: 'DoS', seed: 35, leadSeconds: 12, tailSeconds: 10,
    description: 'hping3 UDP flood to :53 (64-byte payload), ~2,500/s, 20,000 packets (~8 s)',
    attack: { boundSeconds: 20, commands: ({ server }) => [['hping3', '-q', '--udp', '-p', String(PORTS.dns), '-d', '64', '-i', 'u400', '-c', '20000', server]] },
  },
  {
    name: 'dos-udpflood-lan-highport', split: 'eval', network: 'lan', family: 'DoS', seed: 36, leadSeconds: 12, tailSeconds: 10,
    description: 'hping3 UDP flood to closed port 5060 (160-byte payload), ~3,300/s, 25,000 packets (~8 s)',
    attack: { boundSeconds: 20, commands: ({ server }) => [['hping3', '-q', '--udp', '-p', '5060', '-d', '160', '-i', 'u300', '-c', '25000', server]] },
  },
  {
    name: 'dos-icmpflood-lan', split: 'train', network: 'lan', family: 'DoS', seed: 37, leadSeconds: 12, tailSeconds: 10,
    description: 'hping3 ICMP echo flood, ~2,500/s, 20,000 packets (~8 s)',
    attack: { boundSeconds: 20, commands: ({ server }) => [['hping3', '-q', '--icmp', '-i', 'u400', '-c', '20000', server]] },
  },
  {
    name: 'dos-icmpflood-lan-big', split: 'eval', network: 'lan', family: 'DoS', seed: 38, leadSeconds: 12, tailSeconds: 10,
    description: 'hping3 ICMP echo flood with 1,000-byte payloads, ~2,000/s, 16,000 packets (~8 s)',
    attack: { boundSeconds: 20, commands: ({ server }) => [['hping3', '-q', '--icmp', '-d', '1000', '-i', 'u500', '-c', '16000', server]] },
  },
  {
    name: 'dos-httpflood-lan', split: 'train', network: 'lan', family: 'DoS', seed: 39, leadSeconds: 15, tailSeconds: 15,
    description: 'ab HTTP flood: 10,000 GETs of / with 50 concurrent connections',
    attack: { boundSeconds: 30, commands: ({ server }) => [['ab', '-q', '-c', '50', '-n', '10000', `http://${server}/`]] },
  },
  {
    name: 'dos-httpflood-lan-8080', split: 'eval', network: 'lan', family: 'DoS', seed: 40, leadSeconds: 15, tailSeconds: 15,
    description: 'ab HTTP flood: 8,000 GETs of /news.html on :8080 with 30 concurrent keep-alive connections',
    attack: { boundSeconds: 30, commands: ({ server }) => [['ab', '-q', '-k', '-c', '30', '-n', '8000', `http://${server}:${PORTS.httpAlt}/news.html`]] },
  },
  {
    name: 'dos-slowloris-lan', split: 'train', network: 'lan', family: 'DoS', seed: 41, leadSeconds: 10, tailSeconds: 8,
    description: 'slowhttptest slowloris (-H): 200 connections opened at 50/s, a header line every 10 s, 30 s',
    attack: { boundSeconds: 45, commands: ({ server }) => [['slowhttptest', '-H', '-c', '200', '-r', '50', '-i', '10', '-l', '30', '-u', `http://${server}/`]] },
  },
  {
    name: 'dos-slowloris-lan-8080', split: 'eval', network: 'lan', family: 'DoS', seed: 42, leadSeconds: 10, tailSeconds: 8,
    description: 'slowhttptest slowloris on :8080: 150 connections at 30/s, a header line every 7 s, 35 s',
    attack: { boundSeconds: 50, commands: ({ server }) => [['slowhttptest', '-H', '-c', '150', '-r', '30', '-i', '7', '-l', '35', '-u', `http://${server}:${PORTS.httpAlt}/about.html`]] },
  },
  {
    name: 'lo-synflood', split: 'eval', network: 'loopback', family: 'DoS', seed: 43, leadSeconds: 10, tailSeconds: 10,
    description: 'hping3 SYN flood to 127.0.0.10:80 from 127.0.0.1 on loopback, ~3,300/s, 25,000 packets',
    attack: { boundSeconds: 20, commands: ({ server }) => [['hping3', '-q', '-S', '-p', String(PORTS.http), '-i', 'u300', '-c', '25000', server]] },
  },
  {
    name: 'lo-httpflood', split: 'eval', network: 'loopback', family: 'DoS', seed: 44, leadSeconds: 15, tailSeconds: 15,
    description: 'ab HTTP flood on loopback: 8,000 GETs of /index.html from 127.0.0.1 with 40 concurrent connections',
    attack: { boundSeconds: 30, commands: ({ server }) => [['ab', '-q', '-c', '40', '-n', '8000', `http://${server}/index.html`]] },
  },

  // ---- brute force --------------------------------------------------------------------------
  {
    name: 'brute-ssh-lan-22', split: 'train', network: 'lan', family: 'BruteForce', seed: 51, leadSeconds: 10, tailSeconds: 8,
    description: 'hydra SSH brute force of labuser on :22, 6 tasks, 300-word list (the right password is not in it), 40 s bound',
    attack: {
      boundSeconds: 40, wordlists: { 'passwords-a.txt': [300, 1] },
      commands: ({ server }) => [['hydra', ...HYDRA_SSH, '-t', '6', '-l', 'labuser', '-P', 'passwords-a.txt', '-s', String(PORTS.ssh), server, 'ssh']],
    },
  },
  {
    name: 'brute-ssh-lan-2222', split: 'eval', network: 'lan', family: 'BruteForce', seed: 52, leadSeconds: 10, tailSeconds: 8,
    description: 'hydra SSH brute force of root and labuser on :2222, 6 tasks, 200-word list, 40 s bound',
    attack: {
      boundSeconds: 40, wordlists: { 'passwords-b.txt': [200, 2], 'users.txt': [0, 0] },
      commands: ({ server }) => [['hydra', ...HYDRA_SSH, '-t', '6', '-L', 'users.txt', '-P', 'passwords-b.txt', '-s', String(PORTS.sshAlt), server, 'ssh']],
    },
  },
  {
    name: 'brute-ftp-lan-21', split: 'train', network: 'lan', family: 'BruteForce', seed: 53, leadSeconds: 10, tailSeconds: 8,
    description: 'hydra FTP brute force of labuser on :21, 6 tasks, 300-word list, 40 s bound (vsftpd answers each wrong password after ~3 s)',
    attack: {
      boundSeconds: 40, wordlists: { 'passwords-a.txt': [300, 1] },
      commands: ({ server }) => [['hydra', ...HYDRA_COMMON, '-t', '6', '-l', 'labuser', '-P', 'passwords-a.txt', '-s', String(PORTS.ftp), server, 'ftp']],
    },
  },
  {
    name: 'brute-ftp-lan-2121', split: 'eval', network: 'lan', family: 'BruteForce', seed: 54, leadSeconds: 10, tailSeconds: 8,
    description: 'hydra FTP brute force of root and labuser on :2121, 8 tasks, 200-word list, 40 s bound',
    attack: {
      boundSeconds: 40, wordlists: { 'passwords-b.txt': [200, 2], 'users.txt': [0, 0] },
      commands: ({ server }) => [['hydra', ...HYDRA_COMMON, '-t', '8', '-L', 'users.txt', '-P', 'passwords-b.txt', '-s', String(PORTS.ftpAlt), server, 'ftp']],
    },
  },
  {
    name: 'brute-http-lan', split: 'train', network: 'lan', family: 'BruteForce', seed: 55, leadSeconds: 10, tailSeconds: 8,
    description: 'hydra HTTP basic-auth brute force (http-get /admin/) of admin on :80, 4 tasks, 500-word list, 35 s bound',
    attack: {
      boundSeconds: 35, wordlists: { 'passwords-c.txt': [500, 3] },
      commands: ({ server }) => [['hydra', ...HYDRA_COMMON, '-t', '4', '-l', 'admin', '-P', 'passwords-c.txt', '-s', String(PORTS.http), server, 'http-get', '/admin/']],
    },
  },
  {
    name: 'brute-http-lan-8080', split: 'eval', network: 'lan', family: 'BruteForce', seed: 56, leadSeconds: 10, tailSeconds: 8,
    description: 'hydra HTTP basic-auth brute force of admin and root on :8080, 2 tasks, 300-word list, 35 s bound',
    attack: {
      boundSeconds: 35, wordlists: { 'passwords-a.txt': [300, 1], 'users.txt': [0, 0] },
      commands: ({ server }) => [['hydra', ...HYDRA_COMMON, '-t', '2', '-L', 'users.txt', '-P', 'passwords-a.txt', '-s', String(PORTS.httpAlt), server, 'http-get', '/admin/']],
    },
  },
  {
    name: 'lo-brute-ssh', split: 'train', network: 'loopback', family: 'BruteForce', seed: 57, leadSeconds: 10, tailSeconds: 8,
    description: 'hydra SSH brute force of labuser on 127.0.0.10:22 from 127.0.0.1, 4 tasks, 300-word list, 40 s bound',
    attack: {
      boundSeconds: 40, wordlists: { 'passwords-b.txt': [300, 2] },
      commands: ({ server }) => [['hydra', ...HYDRA_SSH, '-t', '4', '-l', 'labuser', '-P', 'passwords-b.txt', '-s', String(PORTS.ssh), server, 'ssh']],
    },
  },
  {
    name: 'lo-brute-ftp', split: 'eval', network: 'loopback', family: 'BruteForce', seed: 58, leadSeconds: 10, tailSeconds: 8,
    description: 'hydra FTP brute force of labuser on 127.0.0.10:2121 from 127.0.0.1, 6 tasks, 300-word list, 40 s bound',
    attack: {
      boundSeconds: 40, wordlists: { 'passwords-a.txt': [300, 1] },
      commands: ({ server }) => [['hydra', ...HYDRA_COMMON, '-t', '6', '-l', 'labuser', '-P', 'passwords-a.txt', '-s', String(PORTS.ftpAlt), server, 'ftp']],
    },
  },
];

export function clientMixes(scenario: Scenario): Mix[] {
  return scenario.mixes ?? (scenario.network === 'lan' ? LAN_MIXES : LOOPBACK_MIXES);
}

/** The first batch recorded (what the model and scorecard engineers need first). */
export const FIRST_BATCH = ['benign-lan-a', 'benign-lan-b', 'scan-syn-lan', 'dos-synflood-lan', 'brute-ssh-lan-22'];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.name === name);
}
