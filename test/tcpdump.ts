/**
 * tcpdump for the live tests: start it and wait until it listens (it drops what comes before), and
 * wait for a child process with a bound.
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** Starts `tcpdump ARGS` and resolves with it once it says it is listening; rejects if it exits first. */
export async function spawnTcpdump(args: readonly string[]): Promise<ChildProcess> {
  const child = spawn('tcpdump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('listening on')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`tcpdump ${args.join(' ')} exited (${code}) before listening: ${stderr}`)));
  });
  return child;
}

/** Resolves when `child` exits; after `timeoutMs` it is sent SIGINT and the promise rejects naming `what`. */
export function exited(child: ChildProcess, what: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`${what} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
