/**
 * An interrupted lab run leaves nothing behind: no `ngl-*` namespace, none of the processes it
 * started (servers, tcpdump, clients, the flood itself), no work folder, no half-written
 * output and no lock. Runs a real scenario and sends SIGINT while the SYN flood is under way,
 * as a Ctrl-C would. Needs root and the lab's tools; skipped (with the reason) otherwise, and
 * skipped when another lab run holds the namespaces.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../lab/labConfig.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const TOOLS = ['ip', 'ethtool', 'tcpdump', 'nginx', '/usr/sbin/sshd', 'vsftpd', 'dnsmasq', 'hping3', 'curl', 'dig', 'sshpass', 'htpasswd'];

/** Running (a zombie waiting for init to reap it is not running: it holds no socket, no memory). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function labNamespaces(): string[] {
  return spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith('ngl-'));
}

function whyNot(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  const missing = TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) return `missing tools: ${missing.join(', ')} (bash scripts/setup.sh lab)`;
  if (existsSync(LOCK_FILE)) {
    const holder = Number.parseInt(readFileSync(LOCK_FILE, 'utf8'), 10);
    if (Number.isInteger(holder) && alive(holder)) return `another lab run (pid ${holder}) is recording`;
  }
  return undefined;
}

const reason = whyNot();
const out = mkdtempSync(join(tmpdir(), 'ngl-lab-test-out-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(reason !== undefined)(`lab cleanup${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('SIGINT in the middle of a SYN-flood scenario leaves no namespace, process, work folder or output', async (context) => {
    const runSshdBefore = existsSync('/run/sshd');
    const runner = spawn(process.execPath, ['--import', 'tsx', 'lab/runLab.ts', 'dos-synflood-lan'], {
      cwd: repo,
      env: { ...process.env, NGL_LAB_OUT: out, NGL_LAB_SKIP_SETUP: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    runner.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    runner.stdout.resume();
    const exit = new Promise<number | null>((resolve) => runner.on('exit', (code) => resolve(code)));

    // Wait for the flood to start, then let it run for two seconds.
    const deadline = Date.now() + 45_000;
    while (!stderr.includes('attack:') && Date.now() < deadline && runner.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Another lab run took the lock between the check above and this start: not ours to judge.
    if (stderr.includes('another lab run')) context.skip();
    expect(stderr).toContain('attack:');
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const namespaces = labNamespaces();
    expect(namespaces).toEqual(expect.arrayContaining(['ngl-sw', 'ngl-srv', 'ngl-atk', 'ngl-c1']));
    const pids = namespaces.flatMap((namespace) =>
      spawnSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number),
    );
    const commands = pids.map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        return '';
      }
    });
    // The run really was mid-scenario: servers, capture and the flood were all up.
    expect(commands).toEqual(expect.arrayContaining(['nginx', 'sshd', 'vsftpd', 'dnsmasq', 'tcpdump', 'hping3']));
    const workFolder = /work folder: (\S+)/.exec(stderr)?.[1];
    expect(workFolder && existsSync(workFolder)).toBe(true);

    runner.kill('SIGINT');
    const code = await exit;
    expect(code).toBe(130);

    expect(labNamespaces()).toEqual([]);
    const survivors = pids.filter(alive);
    expect(survivors).toEqual([]);
    expect(existsSync(workFolder!)).toBe(false);
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(LOCK_FILE)).toBe(false);
    expect(existsSync('/run/sshd')).toBe(runSshdBefore);
  }, 90_000);
});
