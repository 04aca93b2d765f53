/**
 * npm run bench:flows — packets/s for read + decode + flow features (`corrected` mode) on a
 * capture of ≥ 2 M real packets, side by side with tcpdump and tshark reading the same file.
 * Each contender runs in its own process under /usr/bin/time so peak RSS is measured alike.
 * Two NetGuard rows: the engine alone (time inside the process), and the whole
 * `netguard flows FILE --format corrected -o out.csv` command (wall time, process start and the
 * CSV writing included), which is what a user waits for.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
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

if (!existsSync('/usr/bin/time')) {
  throw new Error('bench:flows measures peak RSS with /usr/bin/time; install it (Debian: apt-get install time)');
}

function timed(name: string, command: string, args: string[]): Run | null {
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
// The engine row counts the time inside the process (start-up and TypeScript loading are not
// packet work); the command row below is the user's wall time, start and CSV writing included.
const wallSeconds = ours.seconds;
ours.seconds = (ours as Run & { processSeconds: number }).processSeconds;

const csvPath = join(tmpdir(), 'netguard-bench', 'flows-corrected.csv');
const command = timed('netguard flows → CSV (wall, incl. start)', process.execPath, [
  new URL('../bin/netguard.mjs', import.meta.url).pathname,
  'flows',
  capturePath,
  '--format',
  'corrected',
  '-o',
  csvPath,
  '--quiet',
]);
const csvMb = command && existsSync(csvPath) ? statSync(csvPath).size / 1e6 : 0;
rmSync(csvPath, { force: true });

const runs: Run[] = command ? [ours, command] : [ours];
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
if (command) {
  const tcpdump = runs.find((run) => run.name.startsWith('tcpdump'));
  process.stdout.write(
    `netguard flows → CSV (${csvMb.toFixed(0)} MB): ${command.seconds.toFixed(2)} s wall including process start, ` +
      `${Math.round(packets / command.seconds).toLocaleString('en-US')} packets/s (required ≥ 1,000,000), ` +
      `peak RSS ${command.peakRssMb.toFixed(0)} MB (required ≤ 200)` +
      (tcpdump ? `, ${(command.seconds / tcpdump.seconds).toFixed(1)} × tcpdump -r's time in this run` : '') +
      '\n',
  );
} else {
  process.stdout.write('netguard flows → CSV: the command failed; see above\n');
}
