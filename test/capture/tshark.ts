import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What the reference reader (tshark) says about a capture file. */
export interface TsharkSummary {
  frames: number;
  capturedBytes: number;
  firstUs: number;
  lastUs: number;
  /** Frames per pcapng interface id (classic pcap: all on 0). */
  framesPerInterface: Map<number, number>;
}

/** "1427801538.297551000" → 1427801538297551, by string so no float rounding creeps in. */
export function epochToMicroseconds(epoch: string): number {
  const [seconds, fraction = ''] = epoch.trim().split('.');
  return Number(seconds) * 1_000_000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

export async function tsharkSummary(path: string): Promise<TsharkSummary> {
  const { stdout } = await run(
    'tshark',
    ['-n', '-r', path, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.cap_len', '-e', 'frame.interface_id'],
    { maxBuffer: 256 * 1024 * 1024 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' })); // a cut file exits non-zero but prints what it read
  const summary: TsharkSummary = { frames: 0, capturedBytes: 0, firstUs: -1, lastUs: -1, framesPerInterface: new Map() };
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const [epoch, capLen, interfaceId] = line.split('\t');
    const us = epochToMicroseconds(epoch);
    if (summary.frames === 0) summary.firstUs = us;
    summary.lastUs = us;
    summary.frames++;
    summary.capturedBytes += Number(capLen);
    const id = interfaceId === undefined || interfaceId === '' ? 0 : Number(interfaceId);
    summary.framesPerInterface.set(id, (summary.framesPerInterface.get(id) ?? 0) + 1);
  }
  return summary;
}

export async function runTool(command: string, args: string[]): Promise<string> {
  const { stdout } = await run(command, args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** One capinfos table row: what capinfos says about a file without dissecting it. */
export interface CapinfosRow {
  frames: number;
  capturedBytes: number;
  earliestUs: number;
  latestUs: number;
  chronological: boolean;
}

/** capinfos for many files in one run (fast: no dissection), keyed by the path as given. */
export async function capinfosTable(paths: string[]): Promise<Map<string, CapinfosRow>> {
  const stdout = await runTool('capinfos', ['-T', '-M', '-S', '-r', '-c', '-d', '-a', '-e', '-o', ...paths]);
  const rows = new Map<string, CapinfosRow>();
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const [path, frames, bytes, start, end, chronological] = line.split('\t');
    rows.set(path, {
      frames: Number(frames),
      capturedBytes: Number(bytes),
      earliestUs: epochToMicroseconds(start),
      latestUs: epochToMicroseconds(end),
      chronological: chronological === 'True',
    });
  }
  return rows;
}
