/**
 * Benign clients: each one loops over real client tools (curl pages and downloads, a short ab
 * run, dig, ssh logins through sshpass, ping, FTP downloads through curl) with idle gaps between
 * them. The choice of action and the gaps come from a seeded generator, so a scenario recorded
 * twice has the same shape while two scenarios with different seeds differ.
 *
 * On the LAN each client has its own namespace and address. On loopback all clients share the
 * loopback namespace and bind their own source address (127.0.0.2x) explicitly; ab cannot bind a
 * source, so there its place is taken by a burst of parallel curl requests.
 *
 * Every action is wrapped in `timeout`, so a stalled server (during a flood) cannot hold a
 * client past the scenario's end.
 */
import type { ChildProcess } from 'node:child_process';
import { DNS_MISSING, DNS_NAMES, LAB_USER, PORTS } from './labConfig.ts';
import { exited, signalGroup, sleep, start } from './proc.ts';
import { SITE } from './servers.ts';

/** Small, fast, seedable generator (mulberry32): the same seed gives the same client. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type ActionKind = 'web' | 'download' | 'ab' | 'dns' | 'ssh' | 'sshInteractive' | 'ping' | 'ftp' | 'idle';

/** Relative weights of each action; a client's personality. */
export type Mix = Partial<Record<ActionKind, number>>;

export const MIXES = {
  /** Mostly browsing and downloads, some DNS. */
  browser: { web: 8, download: 2, ab: 1, dns: 3, ping: 1, ftp: 1, idle: 3 },
  /** An operator: SSH sessions, FTP transfers, DNS, a little web. */
  operator: { web: 2, ssh: 3, sshInteractive: 2, dns: 3, ftp: 2, ping: 2, idle: 3 },
  /** Quiet host: occasional lookups and pages, long pauses. */
  quiet: { web: 3, dns: 3, ping: 1, download: 1, ssh: 1, idle: 6 },
} as const satisfies Record<string, Mix>;

export interface ClientSpec {
  /** Namespace the client's commands run in. */
  namespace: string;
  /** Its source address. */
  source: string;
  /** Bind the source address explicitly (loopback, where every client shares `lo`). */
  bindSource: boolean;
  mix: Mix;
  seed: number;
  /** The server's address. */
  server: string;
}

const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'curl/7.88.1',
];

const SSH_OPTIONS = [
  '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR',
  '-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password', '-o', 'ConnectTimeout=8',
];

const REMOTE_COMMANDS = [
  'uptime; df -h / | tail -1',
  'ls -la; cat notes.txt',
  'uname -a; id; ls files',
  'head -c 20000 files/readme-100k.txt | wc -l',
  'ps -e | wc -l; free -m',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length) % items.length]!;
}

function pickKind(random: () => number, mix: Mix): ActionKind {
  const entries = Object.entries(mix) as [ActionKind, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [kind, weight] of entries) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return entries[entries.length - 1]![0];
}

/** One action as argv (run inside the client's namespace), or a pause in milliseconds. */
export function nextAction(client: ClientSpec, random: () => number): { argv: string[] } | { idleMs: number } {
  const kind = pickKind(random, client.mix);
  const bind = client.bindSource;
  const curlBind = bind ? ['--interface', client.source] : [];
  const httpPort = random() < 0.8 ? PORTS.http : PORTS.httpAlt;
  const base = `http://${client.server}${httpPort === PORTS.http ? '' : `:${httpPort}`}`;
  switch (kind) {
    case 'web': {
      // A "page view": the page plus 0-3 further pages on the same connection.
      const count = 1 + Math.floor(random() * 4);
      const urls = Array.from({ length: count }, () => `${base}${pick(random, SITE.pages)}`);
      return { argv: ['timeout', '15', 'curl', '-s', ...curlBind, '-A', pick(random, USER_AGENTS), ...urls.flatMap((url) => ['-o', '/dev/null', url])] };
    }
    case 'download': {
      // Small files far more often than the 5 MB one.
      const roll = random();
      const file = SITE.downloads[roll < 0.45 ? 0 : roll < 0.75 ? 1 : roll < 0.93 ? 2 : 3]!;
      return { argv: ['timeout', '20', 'curl', '-s', '-o', '/dev/null', ...curlBind, `${base}${file.path}`] };
    }
    case 'ab': {
      if (!bind) return { argv: ['timeout', '20', 'ab', '-q', '-n', '50', '-c', '2', `${base}${pick(random, SITE.pages.slice(1, 4))}`] };
      const url = `${base}${pick(random, SITE.pages.slice(1, 4))}`;
      return { argv: ['timeout', '20', 'curl', '-s', ...curlBind, '--parallel', '--parallel-max', '2', ...Array.from({ length: 50 }, () => ['-o', '/dev/null', url]).flat()] };
    }
    case 'dns': {
      const count = 1 + Math.floor(random() * 3);
      const names = Array.from({ length: count }, () => (random() < 0.15 ? pick(random, DNS_MISSING) : pick(random, DNS_NAMES)));
      const types = names.flatMap((name) => [random() < 0.2 ? 'MX' : 'A', name]);
      return { argv: ['timeout', '10', 'dig', '+tries=1', '+time=2', `@${client.server}`, ...(bind ? ['-b', client.source] : []), ...types] };
    }
    case 'ssh': {
      const port = random() < 0.7 ? PORTS.ssh : PORTS.sshAlt;
      return {
        argv: ['timeout', '20', 'sshpass', '-p', LAB_USER.password, 'ssh', ...SSH_OPTIONS, ...(bind ? ['-b', client.source] : []),
          '-p', String(port), `${LAB_USER.name}@${client.server}`, pick(random, REMOTE_COMMANDS)],
      };
    }
    case 'sshInteractive': {
      // A short typed session on a terminal: commands arrive with human pauses.
      const port = random() < 0.7 ? PORTS.ssh : PORTS.sshAlt;
      const pause = (1 + random() * 2).toFixed(1);
      const script = `sleep 1; echo 'ls -la'; sleep ${pause}; echo 'cat notes.txt'; sleep ${pause}; echo 'uptime'; sleep 1; echo exit`;
      const ssh = ['sshpass', '-p', `'${LAB_USER.password}'`, 'ssh', '-tt', ...SSH_OPTIONS, ...(bind ? ['-b', client.source] : []),
        '-p', String(port), `${LAB_USER.name}@${client.server}`].join(' ');
      return { argv: ['timeout', '25', 'sh', '-c', `(${script}) | ${ssh} >/dev/null`] };
    }
    case 'ping':
      return { argv: ['timeout', '10', 'ping', '-n', '-q', '-c', String(2 + Math.floor(random() * 3)), '-i', '0.5', ...(bind ? ['-I', client.source] : []), client.server] };
    case 'ftp': {
      const port = random() < 0.6 ? PORTS.ftp : PORTS.ftpAlt;
      const file = SITE.downloads[random() < 0.7 ? 0 : 1]!;
      const list = random() < 0.5 ? [`ftp://${client.server}:${port}/files/`] : [];
      return {
        argv: ['timeout', '20', 'curl', '-s', ...curlBind, '--user', `${LAB_USER.name}:${LAB_USER.password}`,
          ...list.flatMap((url) => ['-o', '/dev/null', url]), '-o', '/dev/null', `ftp://${client.server}:${port}/files/${file.path.slice(7)}`],
      };
    }
    case 'idle':
      return { idleMs: 2000 + Math.floor(random() * 6000) };
  }
}

/** A running client; `stop()` ends it (killing the action in progress) and resolves when it has. */
export interface RunningClient {
  stop(): Promise<void>;
  actions: number;
}

export function runClient(client: ClientSpec): RunningClient {
  const random = seededRandom(client.seed);
  let stopped = false;
  let current: ChildProcess | undefined;
  let wake: (() => void) | undefined;
  const state = { actions: 0 };
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = (async () => {
    // Clients do not all start at the same instant.
    await pause(Math.floor(random() * 1500));
    while (!stopped) {
      const action = nextAction(client, random);
      if ('idleMs' in action) {
        await pause(action.idleMs);
        continue;
      }
      current = start(action.argv, { namespace: client.namespace });
      state.actions += 1;
      await exited(current);
      current = undefined;
      if (!stopped) await pause(300 + Math.floor(random() * 2500));
    }
  })();
  return {
    get actions() {
      return state.actions;
    },
    async stop() {
      stopped = true;
      wake?.();
      if (current) signalGroup(current, 'SIGTERM');
      await Promise.race([loop, sleep(3000)]);
      if (current) signalGroup(current, 'SIGKILL');
      await loop;
    },
  };
}
