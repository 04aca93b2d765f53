/**
 * What the page sends to start a training job and what it gets back while the job runs. The
 * request arrives from the network, so it is schema-checked; the trainer's own ranges
 * (lib/model/train/trainConfig.ts) still apply on top of these.
 */
import { z } from 'zod';

export const trainingRequestSchema = z.object({
  /** Labelled dataset files on the server (paths) or dataset catalogue ids. */
  datasets: z.array(z.string().min(1).max(4096)).min(1).max(64),
  target: z.enum(['binary', 'family']),
  trees: z.number().int().min(1).max(2000).default(100),
  maxDepth: z.number().int().min(1).max(16).default(6),
  learningRate: z.number().gt(0).max(1).default(0.3),
  classBalancing: z.enum(['balanced', 'none']).default('none'),
  /** Share of the training rows held out for the validation loss curve (0 = no curve). */
  validationFraction: z.number().min(0).max(0.5).default(0.1),
});

export type TrainingRequestInput = z.input<typeof trainingRequestSchema>;
export type TrainingRequest = z.output<typeof trainingRequestSchema>;

export function parseTrainingRequest(raw: unknown): TrainingRequest {
  const result = trainingRequestSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid training request: ${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'bad value'}`);
  }
  return result.data;
}

export type TrainingPhase = 'loading' | 'training' | 'evaluating' | 'registering';
export type TrainingStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** One boosting round as the loss chart draws it; validLoss null without a validation split. */
export interface RoundPoint {
  round: number;
  trainLoss: number;
  validLoss: number | null;
}

/** Sent to every client on each round and each phase change ('training:progress'). */
export interface TrainingProgress {
  jobId: string;
  phase: TrainingPhase;
  /** Last finished round (0 before the first). */
  round: number;
  totalRounds: number;
  trainLoss: number | null;
  validLoss: number | null;
  /** Since the job started (loading included). */
  elapsedMs: number;
  /** Remaining training time from the rate so far; null before the first round. */
  etaMs: number | null;
}

/** The whole job: what 'training:status' answers and what 'training:done' carries. */
export interface TrainingJobState {
  jobId: string;
  status: TrainingStatus;
  phase: TrainingPhase;
  request: TrainingRequest;
  /** The dataset files the job reads (catalogue ids resolved). */
  datasetPaths: string[];
  startedAt: number;
  finishedAt: number | null;
  totalRounds: number;
  rounds: RoundPoint[];
  elapsedMs: number;
  etaMs: number | null;
  /** Rows the training files gave (after the load). */
  rowsLoaded: number | null;
  /** The registry version of the finished model. */
  versionId: string | null;
  /** Why it failed, or what happened (cancelled). */
  message: string | null;
}

/** Socket.IO events of training (server -> client). */
export type TrainingServerToClientEvents = {
  'training:progress': (progress: TrainingProgress) => void;
  'training:done': (state: TrainingJobState) => void;
};

type TrainingAck<T> = { ok: true; data: T } | { ok: false; msg: string };

/** Socket.IO events of training (client -> server), each answered with an Ack. */
export type TrainingClientToServerEvents = {
  'training:start': (request: TrainingRequestInput, ack: (reply: TrainingAck<TrainingJobState>) => void) => void;
  'training:cancel': (ack: (reply: TrainingAck<TrainingJobState>) => void) => void;
  /** The running job, else the last finished one, else null. */
  'training:status': (ack: (reply: TrainingAck<TrainingJobState | null>) => void) => void;
};
