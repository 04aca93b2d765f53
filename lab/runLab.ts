/**
 * The lab's command line.
 *
 *   npm run lab -- --list              the scenarios, their split and family
 *   npm run lab -- <scenario> [...]    record these scenarios into datasets/lab/
 *   npm run lab -- all                 record every scenario
 *   npm run lab -- first               record the first batch (benign train+eval, scan, SYN flood, SSH brute force)
 *
 * Needs root (namespaces, raw sockets, daemons on low ports). Runs `scripts/setup.sh lab` first
 * (installs missing apt packages as root), then refuses to start if a tool is still missing.
 * Whatever happens - normal end, error, Ctrl-C, SIGTERM - every process it started is killed,
 * every `ngl-*` namespace is deleted and the work folder is removed before it exits.
 *
 * Environment: NGL_LAB_OUT overrides the output folder (default datasets/lab).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCK_FILE } from './labConfig.ts';
import { killAllTracked } from './proc.ts';
import { recordScenario } from './record.ts';
import { FIRST_BATCH, SCENARIOS, findScenario, type Scenario } from './scenarios.ts';
import { releaseRunSshd } from './servers.ts';
import { labNamespaces, teardownAll } from './topology.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.env.NGL_LAB_OUT ? resolve(process.env.NGL_LAB_OUT) : join(repo, 'datasets', 'lab');

/** Tools the lab drives, with the Debian package that provides each. */
const TOOLS: Record<string, string> = {
  ip: 'iproute2', ethtool: 'ethtool', ss: 'iproute2', tcpdump: 'tcpdump', capinfos: 'wireshark-common', nmap: 'nmap',
  hping3: 'hping3', hydra: 'hydra', slowhttptest: 'slowhttptest', ab: 'apache2-utils', htpasswd: 'apache2-utils',
  '/usr/sbin/sshd': 'openssh-server', ssh: 'openssh-client', 'ssh-keygen': 'openssh-client', sshpass: 'sshpass',
  vsftpd: 'vsftpd', dnsmasq: 'dnsmasq-base', dig: 'dnsutils', nginx: 'nginx-light', curl: 'curl', ping: 'iputils-ping',
  openssl: 'openssl', timeout: 'coreutils',
};

const log = (line: string): void => {
  process.stderr.write(`[lab ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

function listScenarios(): void {
  const rows = SCENARIOS.map((s) => [s.name, s.split, s.network, s.family ?? 'benign', s.description]);
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(row.map((cell, column) => (column < 4 ? cell.padEnd(widths[column]!) : cell)).join('  '));
}

function missingTools(): string[] {
  return Object.entries(TOOLS)
    .filter(([tool]) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0)
    .map(([tool, pkg]) => `${tool} (${pkg})`);
}

// --- the one-run-at-a-time lock ---------------------------------------------------------------
let lockHeld = false;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function takeLock(): void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(LOCK_FILE, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      lockHeld = true;
      return;
    } catch {
      const holder = Number.parseInt(readFileSync(LOCK_FILE, 'utf8'), 10);
      if (Number.isInteger(holder) && processAlive(holder)) {
        throw new Error(`another lab run (pid ${holder}) owns the namespaces; wait for it or stop it first`);
      }
      rmSync(LOCK_FILE, { force: true }); // left by a run that was killed with SIGKILL
    }
  }
  throw new Error(`could not take ${LOCK_FILE}`);
}

// --- cleanup, on every exit path ------------------------------------------------------------
let workDir = '';
let createdRunSshd = false;
let cleanedUp = false;

function cleanup(): void {
  if (cleanedUp) return;
  cleanedUp = true;
  killAllTracked();
  if (lockHeld) teardownAll(); // never touch namespaces another run owns
  releaseRunSshd(createdRunSshd);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  // An interrupted scenario leaves no half-written output.
  try {
    for (const name of spawnSync('sh', ['-c', `ls "${outDir}" 2>/dev/null | grep '\\.partial$' || true`], { encoding: 'utf8' }).stdout.split('\n')) {
      if (name) rmSync(join(outDir, name), { force: true });
    }
  } catch {
    // nothing to remove
  }
  if (lockHeld) rmSync(LOCK_FILE, { force: true });
  lockHeld = false;
}

function onSignal(signal: NodeJS.Signals): void {
  log(`${signal}: stopping every lab process and removing the namespaces`);
  cleanup();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

async function main(args: string[]): Promise<number> {
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    console.log('usage: npm run lab -- --list | all | first | <scenario> [<scenario> ...]');
    return args.length === 0 ? 2 : 0;
  }
  if (args.includes('--list')) {
    listScenarios();
    return 0;
  }
  let chosen: Scenario[];
  if (args.includes('all')) chosen = [...SCENARIOS];
  else {
    const names = args.flatMap((arg) => (arg === 'first' ? FIRST_BATCH : [arg]));
    const unknown = names.filter((name) => !findScenario(name));
    if (unknown.length > 0) {
      console.error(`unknown scenario(s): ${unknown.join(', ')} (npm run lab -- --list shows them)`);
      return 2;
    }
    chosen = names.map((name) => findScenario(name)!);
  }

  if (process.getuid?.() !== 0) {
    console.error('The lab needs root: it creates network namespaces, opens raw sockets (nmap, hping3, tcpdump) and runs');
    console.error('daemons on ports below 1024. Run it as root, e.g.  sudo npm run lab -- ' + args.join(' '));
    return 1;
  }
  if (process.env.NGL_LAB_SKIP_SETUP !== '1') {
    const setup = spawnSync('bash', [join(repo, 'scripts', 'setup.sh'), 'lab'], { stdio: 'inherit', cwd: repo });
    if (setup.status !== 0) log('scripts/setup.sh lab failed; checking the tools anyway');
  }
  const missing = missingTools();
  if (missing.length > 0) {
    console.error(`missing tools: ${missing.join(', ')}`);
    console.error('install them with:  sudo bash scripts/setup.sh lab');
    return 1;
  }

  takeLock();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  const stale = labNamespaces();
  if (stale.length > 0) {
    log(`removing namespaces left by an earlier run: ${stale.join(', ')}`);
    teardownAll();
  }

  const failed: string[] = [];
  for (const scenario of chosen) {
    workDir = mkdtempSync(join(tmpdir(), 'ngl-lab-'));
    log(`=== ${scenario.name} (${scenario.split}, ${scenario.network}, ${scenario.family ?? 'benign'}); work folder: ${workDir}`);
    try {
      const result = await recordScenario(scenario, workDir, outDir, {
        log,
        onServersStarted: (created) => {
          createdRunSshd = created;
        },
      });
      const size = statSync(result.pcapGz).size;
      log(`${scenario.name}: ${result.tcpdumpSummary}; ${(size / 1e6).toFixed(2)} MB gzipped; ${result.benignActions} benign actions; ` +
        `${result.truth.durationSeconds} s`);
    } catch (error) {
      // One broken scenario does not cost the others their recording; the run still fails at the end.
      log(`${scenario.name} FAILED: ${error instanceof Error ? error.message : String(error)}`);
      failed.push(scenario.name);
    }
    // Between scenarios: nothing of this one may leak into the next capture.
    killAllTracked();
    teardownAll();
    releaseRunSshd(createdRunSshd);
    createdRunSshd = false;
    if (process.env.NGL_LAB_KEEP_WORK === '1') log(`kept ${workDir} (NGL_LAB_KEEP_WORK=1)`);
    else rmSync(workDir, { recursive: true, force: true });
    workDir = '';
  }
  if (failed.length > 0) {
    log(`failed: ${failed.join(', ')}`);
    return 1;
  }
  return 0;
}

main(process.argv.slice(2))
  .then((code) => {
    cleanup();
    process.exit(code);
  })
  .catch((error: unknown) => {
    log(`error: ${error instanceof Error ? error.message : String(error)}`);
    cleanup();
    process.exit(1);
  });
