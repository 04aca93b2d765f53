import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../lib/capture/fileSource.ts';
import { openRecordedSpeedReplay } from '../../lib/capture/replaySource.ts';
import { sharedDataset } from '../sharedDatasets.ts';

async function timeline(source: ReturnType<typeof openCaptureFile>) {
  const frames: { tsUs: number; atMs: number; length: number }[] = [];
  const started = performance.now();
  await source.run((frame) => frames.push({ tsUs: frame.timestampUs, atMs: performance.now() - started, length: frame.capturedLength }));
  return { frames, elapsedMs: performance.now() - started };
}

describe('openRecordedSpeedReplay', () => {
  it('delivers every frame of a real capture at the pace it was recorded', async () => {
    // dns_lab: 22 packets over 3.44 s (capinfos).
    const path = sharedDataset('pcaps/chrissanders-packets/dns_lab.pcapng.gz');
    const fast = await timeline(openCaptureFile(path));
    const paced = await timeline(openRecordedSpeedReplay(path));
    expect(paced.frames.map((f) => [f.tsUs, f.length])).toEqual(fast.frames.map((f) => [f.tsUs, f.length]));
    const spanMs = (fast.frames.at(-1)!.tsUs - fast.frames[0]!.tsUs) / 1000;
    expect(paced.elapsedMs).toBeGreaterThanOrEqual(spanMs - 5);
    expect(paced.elapsedMs).toBeLessThan(spanMs + 1500);
    // No frame arrives before its time; none lags far behind it.
    const first = paced.frames[0]!;
    for (const f of paced.frames) {
      const dueMs = (f.tsUs - first.tsUs) / 1000 + first.atMs;
      expect(f.atMs).toBeGreaterThanOrEqual(dueMs - 2);
      expect(f.atMs - dueMs).toBeLessThan(500);
    }
  });

  it('counts the frames it has delivered, not those read ahead, so the packet rate follows the recording', async () => {
    // http.cap: 43 packets over 30 s, all in the first file chunk.
    const source = openRecordedSpeedReplay(sharedDataset('pcaps/ppa-markofu/http.cap.gz'));
    let delivered = 0;
    const done = source.run(() => delivered++);
    await new Promise((resolve) => setTimeout(resolve, 800));
    const stats = source.stats();
    source.stop();
    await done;
    expect(stats.frames).toBeGreaterThan(0);
    expect(stats.frames).toBeLessThan(43);
    expect(stats.frames).toBeLessThanOrEqual(delivered);
  });

  it('stops promptly in the middle of a long silence', async () => {
    // http.cap: 43 packets over 30 s.
    const source = openRecordedSpeedReplay(sharedDataset('pcaps/ppa-markofu/http.cap.gz'));
    const started = performance.now();
    const done = timeline(source);
    setTimeout(() => source.stop(), 600);
    const { frames } = await done;
    expect(performance.now() - started).toBeLessThan(2000);
    expect(frames.length).toBeLessThan(43);
  });
});
