import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Scorer } from '../../lib/model/score/scorer.ts';
import { ModelRegistry } from '../../lib/registry/modelRegistry.ts';
import type { TrainingProgress } from '../../lib/training/trainingRequest.ts';
import { TrainingRunner } from '../../lib/training/trainingRunner.ts';
import { sharedDataset } from '../sharedDatasets.ts';

const kddSlice = sharedDataset('nsl-kdd/KDDTrain+_20Percent.txt.gz');

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'netguard-training-'));
  const registry = await ModelRegistry.open({ directory: join(dir, 'models') });
  const workDirectory = join(dir, 'training');
  const runner = new TrainingRunner({ workDirectory, registry });
  return { registry, runner, workDirectory };
}

describe('TrainingRunner (worker thread)', () => {
  it('reports every round, keeps the event loop responsive and registers a loadable model', async () => {
    const { registry, runner, workDirectory } = await setup();
    const progress: TrainingProgress[] = [];
    runner.subscribe((event) => {
      if (event.type === 'progress') progress.push(event.progress);
    });
    let maxLag = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      maxLag = Math.max(maxLag, now - last - 20);
      last = now;
    }, 20);
    try {
      const started = await runner.start({ datasets: [kddSlice], target: 'binary', trees: 12, maxDepth: 4, validationFraction: 0.1 });
      expect(started.status).toBe('running');
      await expect(runner.start({ datasets: [kddSlice], target: 'binary' })).rejects.toThrow(/already running/);
      const final = await runner.waitForJob();
      expect(final?.message).toBeNull();
      expect(final?.status).toBe('done');
      const perRound = progress.filter((p) => p.phase === 'training' && p.round > 0);
      const rounds = perRound.map((p) => p.round);
      expect(rounds).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      for (const p of perRound) {
        expect(p.trainLoss).toBeGreaterThan(0);
        expect(p.validLoss).toBeGreaterThan(0);
        expect(p.etaMs).not.toBeNull();
      }
      // Boosting lowers the training loss.
      expect(final!.rounds[11]!.trainLoss).toBeLessThan(final!.rounds[0]!.trainLoss);
      expect(final!.rowsLoaded).toBeGreaterThan(20_000);
      expect(progress.map((p) => p.phase)).toContain('evaluating');

      const versions = await registry.list();
      const version = versions.find((v) => v.id === final!.versionId);
      expect(version?.target).toBe('binary');
      expect(version?.params).toMatchObject({ trees: 12, maxDepth: 4 });
      expect(version?.metrics[0]?.accuracy).toBeGreaterThan(0.9);
      const scorer = await Scorer.load(registry.directoryOf(final!.versionId!));
      await scorer.close();
      // The job's scratch folder is gone once the version is registered.
      expect(readdirSync(workDirectory)).toEqual([]);
    } finally {
      clearInterval(ticker);
    }
    expect(maxLag).toBeLessThanOrEqual(200);
  }, 50_000);

  it('cancel terminates the worker and leaves no partial model', async () => {
    const { registry, runner, workDirectory } = await setup();
    const before = (await registry.list()).length;
    const firstRound = new Promise<void>((resolve) => {
      runner.subscribe((event) => {
        if (event.type === 'progress' && event.progress.round >= 1) resolve();
      });
    });
    const started = await runner.start({ datasets: [kddSlice], target: 'family', trees: 2000, maxDepth: 6, validationFraction: 0.1 });
    await firstRound;
    expect(existsSync(join(workDirectory, started.jobId))).toBe(true);
    const cancelled = await runner.cancel();
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.rounds.length).toBeLessThan(2000);
    expect(existsSync(join(workDirectory, started.jobId))).toBe(false);
    expect((await registry.list()).length).toBe(before);
    await expect(runner.cancel()).rejects.toThrow(/no training job/);
    // The slot is free again: a bad dataset is now refused for itself, not as "already running".
    await expect(runner.start({ datasets: ['/nonexistent/kdd.txt'], target: 'binary' })).rejects.toThrow(/nor a file on the server/);
  }, 50_000);

  it('refuses a malformed request with the field at fault', async () => {
    const { runner } = await setup();
    await expect(runner.start({ datasets: [kddSlice], target: 'multiclass' })).rejects.toThrow(/target/);
    await expect(runner.start({ datasets: [], target: 'binary' })).rejects.toThrow(/datasets/);
    expect(runner.status()).toBeNull();
  });
});
