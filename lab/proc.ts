/**
 * Starting and stopping the lab's processes.
 *
 * Every process runs in its own process group (`detached`), so a Ctrl-C on the terminal reaches
 * only the runner, which then stops the groups itself in a known order. Every group is
 * remembered here until it has exited, so cleanup can kill whatever is left, and the namespace
 * teardown kills anything that escaped its group (daemons that fork) by namespace.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

const live = new Set<ChildProcess>();

export interface StartOptions {
  /** Network namespace to run in (through `ip netns exec`); none = the runner's own. */
  namespace?: string;
  cwd?: string;
  /** File receiving stdout and stderr; none = discarded. */
  logFile?: string;
}

/** Starts argv in its own process group and tracks it until it exits. */
export function start(argv: readonly string[], options: StartOptions = {}): ChildProcess {
  const full = options.namespace ? ['ip', 'netns', 'exec', options.namespace, ...argv] : [...argv];
  let fd: number | 'ignore' = 'ignore';
  if (options.logFile) fd = openSync(options.logFile, 'a');
  const child = spawn(full[0]!, full.slice(1), {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  if (typeof fd === 'number') closeSync(fd);
  live.add(child);
  child.on('exit', () => live.delete(child));
  child.on('error', () => live.delete(child));
  return child;
}

/** Resolves with the exit code (or 128 + signal number style -1 when killed by a signal). */
export function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(-1);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code ?? -1));
    child.once('error', () => resolve(-1));
  });
}

/** Runs argv to completion and returns its exit code. */
export async function run(argv: readonly string[], options: StartOptions = {}): Promise<number> {
  return exited(start(argv, options));
}

/** Sends a signal to a child's whole process group; ignores groups that are already gone. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Stops a child politely (signal), then by force after `graceMs`. */
export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
  signalGroup(child, signal);
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/** Kills every tracked group at once (synchronous: also used from signal handlers). */
export function killAllTracked(): void {
  for (const child of live) signalGroup(child, 'SIGKILL');
}

/** Process ids of every tracked child still running (for tests and diagnostics). */
export function trackedPids(): number[] {
  return [...live].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
}

/** Runs a short command synchronously; throws with its stderr when it fails. */
export function sh(argv: readonly string[], options: { namespace?: string; allowFailure?: boolean; input?: string } = {}): string {
  const full = options.namespace ? ['ip', 'netns', 'exec', options.namespace, ...argv] : [...argv];
  const result = spawnSync(full[0]!, full.slice(1), { encoding: 'utf8', input: options.input });
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${full.join(' ')} failed (${result.status ?? result.signal}): ${(result.stderr ?? '').trim()}`);
  }
  return result.stdout ?? '';
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
