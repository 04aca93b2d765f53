import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowVerdicts } from '../../lib/detect/flowVerdicts.ts';
import { ScoringThread } from '../../lib/detect/scoringThread.ts';
import { modelMetadataSchema } from '../../lib/model/export/modelMetadata.ts';
import { CIC_MODEL, captureRows, labCapture, LIVE_MODEL, type RowBuilder } from './flowRows.ts';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));

async function shippedMetadata(directory: string) {
  return modelMetadataSchema.parse(JSON.parse(await readFile(join(directory, 'model.json'), 'utf8')));
}

describe('ScoringThread', () => {
  let thread: ScoringThread;
  let inThread: FlowVerdicts;
  let flows: RowBuilder;

  beforeAll(async () => {
    [thread, inThread] = await Promise.all([ScoringThread.start(LIVE_MODEL), FlowVerdicts.load(LIVE_MODEL)]);
    flows = await captureRows(labCapture('brute-ssh-lan-22'), thread.metadata);
  });
  afterAll(async () => {
    await thread?.close();
    await inThread?.close();
  });

  it('starts on the shipped model and reports its model.json', async () => {
    expect(thread.metadata).toEqual(await shippedMetadata(LIVE_MODEL));
  });

  it('gives the verdicts FlowVerdicts gives in this thread, and takes the rows buffer', async () => {
    const expected = await inThread.verdicts(flows.rows(), flows.count);
    const rows = flows.rows();
    const answer = thread.verdicts(rows, flows.count);
    // Transferred at the call, not copied.
    expect(rows.buffer.byteLength).toBe(0);
    expect(rows.length).toBe(0);
    const batch = await answer;
    expect(batch.modelVersion).toBe(thread.metadata.versionId);
    expect(Array.from(batch.confidence)).toEqual(Array.from(expected.confidence));
    expect(Array.from(batch.classIndex)).toEqual(Array.from(expected.classIndex));
    expect(Array.from(batch.confidence).some((c) => c >= 0.5)).toBe(true);
  });

  it('answers requests in the order they were made', async () => {
    const half = Math.floor(flows.count / 2);
    const expected = await inThread.verdicts(flows.rows(), flows.count);
    const [first, second] = await Promise.all([
      thread.verdicts(flows.rows(0, half), half),
      thread.verdicts(flows.rows(half), flows.count - half),
    ]);
    expect([...first.confidence, ...second.confidence]).toEqual(Array.from(expected.confidence));
  });

  it('swap() loads another shipped model: metadata and verdicts are the new model\'s', async () => {
    const other = await ScoringThread.start(LIVE_MODEL);
    try {
      const before = other.metadata.versionId;
      const metadata = await other.swap(CIC_MODEL);
      const cic = await shippedMetadata(CIC_MODEL);
      expect(metadata.versionId).toBe(cic.versionId);
      expect(metadata.versionId).not.toBe(before);
      expect(other.metadata).toEqual(cic);
      const cicFlows = await captureRows(labCapture('brute-ssh-lan-22'), metadata);
      const batch = await other.verdicts(cicFlows.rows(), cicFlows.count);
      expect(batch.modelVersion).toBe(cic.versionId);
      const cicInThread = await FlowVerdicts.load(CIC_MODEL);
      try {
        expect(Array.from(batch.confidence)).toEqual(Array.from((await cicInThread.verdicts(cicFlows.rows(), cicFlows.count)).confidence));
      } finally {
        await cicInThread.close();
      }
    } finally {
      await other.close();
    }
  });

  it('a failed swap rejects with the loader\'s message and keeps the model', async () => {
    const missing = join(tmpdir(), 'netguard-no-such-model');
    const message = await FlowVerdicts.load(missing).then(() => '', (error: Error) => error.message);
    expect(message).toContain('model.json');
    await expect(thread.swap(missing)).rejects.toThrow(message);
    expect(thread.metadata.versionId).toBe(inThread.metadata.versionId);
    const batch = await thread.verdicts(flows.rows(0, 4), 4);
    expect(batch.modelVersion).toBe(inThread.metadata.versionId);
  });

  it('start() on a bad model directory rejects with the loader\'s message', async () => {
    const missing = join(tmpdir(), 'netguard-no-such-model');
    const bad = await mkdtemp(join(tmpdir(), 'netguard-bad-model-'));
    try {
      await writeFile(join(bad, 'model.json'), JSON.stringify({ versionId: 'half-written' }));
      for (const directory of [missing, bad]) {
        const message = await FlowVerdicts.load(directory).then(() => '', (error: Error) => error.message);
        expect(message).not.toBe('');
        await expect(ScoringThread.start(directory)).rejects.toThrow(message);
      }
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });

  it('after close(), verdicts() rejects (and close() again is harmless)', async () => {
    const closing = await ScoringThread.start(LIVE_MODEL);
    await closing.close();
    await expect(closing.verdicts(flows.rows(0, 1), 1)).rejects.toThrow(/closed/);
    await expect(closing.close()).resolves.toBeUndefined();
  });

  it('keeps a process that awaits verdicts alive, and lets it exit by itself once answered', async () => {
    // The thread is unref'd while idle: without the ref taken per request, this script would
    // exit before the verdicts arrive and print nothing; with a ref left over, it would never exit.
    const script = `(async () => {
      const { ScoringThread } = await import(${JSON.stringify(join(REPOSITORY, 'lib/detect/scoringThread.ts'))});
      const { captureRows, labCapture, LIVE_MODEL } = await import(${JSON.stringify(join(REPOSITORY, 'test/detect/flowRows.ts'))});
      const thread = await ScoringThread.start(LIVE_MODEL);
      const flows = await captureRows(labCapture('lo-brute-ssh'), thread.metadata);
      const batch = await thread.verdicts(flows.rows(), flows.count);
      console.log('scored ' + batch.confidence.length + ' of ' + flows.count);
    })();`;
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPOSITORY, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    clearTimeout(killer);
    const seconds = (performance.now() - started) / 1000;
    expect(signal, stderr).toBeNull();
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^scored (\d+) of \1\n$/);
    expect(stdout).not.toBe('scored 0 of 0\n');
    expect(seconds).toBeLessThan(8);
  });
});
