import { describe, expect, it } from 'vitest';
import { applyProgress } from '../../app/_components/models/useModels.ts';
import type { TrainingJobState, TrainingProgress } from '../../lib/training/trainingRequest.ts';

const job: TrainingJobState = {
  jobId: 'train-a',
  status: 'running',
  phase: 'loading',
  request: { datasets: ['x'], target: 'binary', trees: 3, maxDepth: 4, learningRate: 0.3, classBalancing: 'none', validationFraction: 0.1 },
  datasetPaths: ['x'],
  startedAt: 0,
  finishedAt: null,
  totalRounds: 3,
  rounds: [],
  elapsedMs: 0,
  etaMs: null,
  rowsLoaded: null,
  versionId: null,
  message: null,
};
const progress = (p: Partial<TrainingProgress>): TrainingProgress => ({
  jobId: 'train-a', phase: 'training', round: 0, totalRounds: 3, trainLoss: null, validLoss: null, elapsedMs: 10, etaMs: null, ...p,
});

describe('applyProgress (the /models loss chart state)', () => {
  it('adds a point per new round, ignores repeats, phase-only updates and other jobs', () => {
    let state: TrainingJobState | null = applyProgress(job, progress({ phase: 'training' }));
    expect(state?.phase).toBe('training');
    expect(state?.rounds).toEqual([]);
    state = applyProgress(state, progress({ round: 1, trainLoss: 0.5, validLoss: 0.6, etaMs: 200 }));
    state = applyProgress(state, progress({ round: 1, trainLoss: 0.5, validLoss: 0.6 }));
    state = applyProgress(state, progress({ jobId: 'train-b', round: 2, trainLoss: 0.1 }));
    state = applyProgress(state, progress({ round: 2, trainLoss: 0.4, validLoss: null, etaMs: 100 }));
    expect(state?.rounds).toEqual([
      { round: 1, trainLoss: 0.5, validLoss: 0.6 },
      { round: 2, trainLoss: 0.4, validLoss: null },
    ]);
    expect(state?.etaMs).toBe(100);
    expect(applyProgress(null, progress({ round: 1, trainLoss: 1 }))).toBeNull();
  });
});
