/**
 * The worker side of a training job: one `runTraining` call whose phases and rounds go to the
 * parent as messages. Runs inside trainingWorker.mjs; nothing here touches the parent's state.
 */
import { datasetErrorMessage } from '../imports/formatInfo.ts';
import { runTraining } from '../model/train/trainingRun.ts';
import type { TrainingPhase, TrainingRequest } from './trainingRequest.ts';

export interface TrainingJobInput {
  request: TrainingRequest;
  datasetPaths: string[];
  outDir: string;
}

export type TrainingJobMessage =
  | { type: 'phase'; phase: TrainingPhase }
  | { type: 'loaded'; rows: number }
  | { type: 'round'; round: number; trainLoss: number; validLoss: number | null; trainingMs: number }
  | { type: 'done'; outDir: string; versionId: string }
  | { type: 'failed'; message: string };

export async function runTrainingJob(input: TrainingJobInput, post: (message: TrainingJobMessage) => void): Promise<void> {
  const { request } = input;
  try {
    post({ type: 'phase', phase: 'loading' });
    let trainingStarted = false;
    const result = await runTraining({
      trainPaths: input.datasetPaths,
      target: request.target,
      outDir: input.outDir,
      config: {
        trees: request.trees,
        maxDepth: request.maxDepth,
        learningRate: request.learningRate,
        classWeights: request.classBalancing,
        validationFraction: request.validationFraction,
      },
      onLoaded: (what, report) => {
        if (what !== 'train') return;
        post({ type: 'loaded', rows: report.rows });
      },
      onRound: (info) => {
        if (!trainingStarted) {
          trainingStarted = true;
          post({ type: 'phase', phase: 'training' });
        }
        post({
          type: 'round',
          round: info.round,
          trainLoss: info.trainLoss,
          validLoss: Number.isFinite(info.validLoss) ? info.validLoss : null,
          trainingMs: info.elapsedMs,
        });
        if (info.round === request.trees) post({ type: 'phase', phase: 'evaluating' });
      },
    });
    post({ type: 'done', outDir: result.outDir, versionId: result.metadata.versionId });
  } catch (error) {
    // Sent to every client: a file NetGuard cannot parse is described, never quoted.
    post({ type: 'failed', message: datasetErrorMessage(error, input.datasetPaths) });
  }
}
