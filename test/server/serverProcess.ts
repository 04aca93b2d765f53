/** Starts server.ts as a real child process on a free loopback port, for the server tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import type { Batch, ClientToServerEvents, ServerToClientEvents } from '../../lib/realtime/contract.ts';
import { SHARED_DATASETS, sharedDataset } from '../sharedDatasets.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** ../shared/datasets: tests that name its files over the socket allow it with NETGUARD_ALLOWED_DIRS. */
export const sharedDatasetsDir = SHARED_DATASETS;
export { sharedDataset };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A samples folder holding links to real shared captures under their own names. */
export function samplesDirectory(captures: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'netguard-samples-'));
  for (const capture of captures) symlinkSync(sharedDataset(capture), join(dir, capture.split('/').pop()!));
  return dir;
}

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServer(options: { dataDir?: string; samplesDir: string; port?: number; env?: Record<string, string> }): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'netguard-data-'));
  mkdirSync(dataDir, { recursive: true });
  // The same command line as `npm start` (package.json), heap cap included.
  const child = spawn(process.execPath, ['--max-old-space-size=384', '--import', 'tsx', join(repoRoot, 'server.ts')], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NETGUARD_DATA_DIR: dataDir, NETGUARD_SAMPLES_DIR: options.samplesDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!output.includes('NetGuard dashboard on')) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`server did not start within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    process: child,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function connect(url: string): Promise<{ socket: Client; state: Batch; batches: { at: number; batch: Batch }[] }> {
  const socket: Client = io(url, { transports: ['websocket'], reconnection: false });
  const batches: { at: number; batch: Batch }[] = [];
  socket.on('batch', (batch) => batches.push({ at: Date.now(), batch }));
  const state = await new Promise<Batch>((resolve, reject) => {
    socket.once('state', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, state, batches };
}

export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
