/**
 * The messages between the monitoring loop and its scoring thread (scoringThread.ts <->
 * scoringWorker.ts). Requests carry an id; every reply names the request it answers.
 */
import type { ModelMetadata } from '../model/export/modelMetadata.ts';
import type { VerdictBatch } from './flowVerdicts.ts';

export type ScoringRequest =
  | { type: 'score'; id: number; rows: Float32Array; count: number }
  | { type: 'swap'; id: number; modelDirectory: string }
  | { type: 'close'; id: number };

export type ScoringReply =
  | { type: 'ready'; metadata: ModelMetadata }
  | { type: 'load-failed'; message: string }
  | { type: 'scored'; id: number; batch: VerdictBatch }
  | { type: 'swapped'; id: number; metadata: ModelMetadata }
  | { type: 'closed'; id: number }
  | { type: 'failed'; id: number; message: string };

export interface ScoringWorkerData {
  modelDirectory: string;
}
