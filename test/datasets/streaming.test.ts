import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../lib/datasets/loadDataset.ts';
import { KDD_TRAIN } from './sharedData.ts';

const dir = mkdtempSync(join(tmpdir(), 'netguard-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('streaming', () => {
  it('a multi-member gzip of 4 × KDDTrain+ (76 MB of text) loads with a JS heap far below the text size', async () => {
    const member = readFileSync(KDD_TRAIN);
    const path = join(dir, 'kdd-x4.txt.gz');
    writeFileSync(path, Buffer.concat([member, member, member, member]));
    const textBytes = gunzipSync(member).length * 4;

    global.gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let peakHeap = 0;
    let lastBytes = 0;
    let calls = 0;
    const { table, report } = await loadDataset([path], {
      onProgress: ({ bytesRead, totalBytes, rows }) => {
        calls++;
        expect(bytesRead).toBeGreaterThanOrEqual(lastBytes);
        expect(bytesRead).toBeLessThanOrEqual(totalBytes);
        expect(rows).toBeGreaterThanOrEqual(0);
        lastBytes = bytesRead;
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - baseline);
      },
    });
    expect(table.rowCount).toBe(4 * 125973);
    expect(report.labelCounts.normal).toBe(4 * 67343);
    expect(lastBytes).toBe(member.length * 4);
    expect(calls).toBeGreaterThan(10);
    // Typed-array columns live outside the JS heap; what is on it is one parser chunk, the
    // dictionaries and garbage not yet collected. Holding the text would need > textBytes.
    console.log(`text ${(textBytes / 1e6).toFixed(0)} MB, peak heap growth ${(peakHeap / 1e6).toFixed(1)} MB, ${Math.round(report.rowsPerSecond)} rows/s`);
    expect(peakHeap).toBeLessThan(textBytes / 2);
  });
});
