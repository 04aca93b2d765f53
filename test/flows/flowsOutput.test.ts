import { execFileSync, spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedDataset } from './collectFlows.ts';

const bin = new URL('../../bin/netguard.mjs', import.meta.url).pathname;

function runFlows(capture: string, out: string): Promise<number | null> {
  const child = spawn(process.execPath, [bin, 'flows', capture, '--format', 'corrected', '-o', out, '--quiet'], { stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', resolve));
}

describe('netguard flows -o', () => {
  // `-o /dev/null` used to write /dev/null.partial and rename it over the device. A FIFO stands
  // in for the device here, so a regression cannot replace the machine's /dev/null.
  it('writes straight into a FIFO and leaves it a FIFO, with the same bytes a file gets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netguard-fifo-'));
    const capture = sharedDataset('pcaps/padmavatisb/portscan.pcap.gz');
    const file = join(dir, 'flows.csv');
    expect(await runFlows(capture, file)).toBe(0);

    const fifo = join(dir, 'flows.fifo');
    execFileSync('mkfifo', [fifo]);
    const reading = readFile(fifo);
    expect(await runFlows(capture, fifo)).toBe(0);
    const piped = await reading;
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(piped.length).toBeGreaterThan(10_000);
    expect(piped.equals(readFileSync(file))).toBe(true);
  });
});
