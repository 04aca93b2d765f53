/**
 * One training job at a time, in a worker thread: the trainer is a long synchronous loop, and
 * on the main thread it would stall the monitor's 2 s batches and the capture pipeline. The
 * runner turns the worker's messages into progress (with elapsed time and ETA), registers the
 * finished model as a new version, and on cancel terminates the worker and removes everything
 * the job wrote (its folder holds both the model and runTraining's `.partial` staging).
 */
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { localDatasetResolver } from './catalogueDatasets.ts';
import type { TrainingJobInput, TrainingJobMessage } from './trainingJob.ts';
import {
  parseTrainingRequest,
  type TrainingJobState,
  type TrainingProgress,
} from './trainingRequest.ts';

export type TrainingEvent = { type: 'progress'; progress: TrainingProgress } | { type: 'done'; state: TrainingJobState };

/** Where finished models go (ModelRegistry.register fits). */
export interface ModelSink {
  register(sourceDirectory: string, name?: string): Promise<string>;
}

export interface TrainingRunnerOptions {
  /** Scratch folder for running jobs, e.g. <NETGUARD_DATA_DIR>/training. */
  workDirectory: string;
  /** The model registry; the job's output is copied in as a version, then the job folder removed. */
  registry: ModelSink;
  /** Catalogue ids → files; by default any readable file (server.ts passes its catalogue and allowed folders). */
  resolveDatasets?: (datasets: string[]) => Promise<string[]>;
  /** Heap cap of the worker (MB); the server's own cap does not fit a training run. */
  workerHeapMb?: number;
}

const WORKER_ENTRY = new URL('./trainingWorker.mjs', import.meta.url);

export class TrainingRunner {
  private current: { state: TrainingJobState; worker: Worker | null; folder: string; finished: Promise<TrainingJobState> } | null = null;
  private last: TrainingJobState | null = null;
  private readonly listeners = new Set<(event: TrainingEvent) => void>();
  private jobCount = 0;

  constructor(private readonly options: TrainingRunnerOptions) {}

  /** Removes job folders a killed process left behind (call once at start, before any job). */
  async removeLeftovers(): Promise<void> {
    if (this.current) return;
    await rm(resolve(this.options.workDirectory), { recursive: true, force: true });
  }

  /** Calls `listener` for every progress and the final state of every job; returns the unsubscribe. */
  subscribe(listener: (event: TrainingEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The running job, else the last finished one, else null. */
  status(): TrainingJobState | null {
    return this.current?.state ?? this.last;
  }

  /** Resolves with the final state of the running job (or the last one). */
  async waitForJob(): Promise<TrainingJobState | null> {
    return this.current ? this.current.finished : this.last;
  }

  /** Starts a job; refused while another runs. Resolves once the worker is started. */
  async start(raw: unknown): Promise<TrainingJobState> {
    if (this.current) throw new Error(`a training job (${this.current.state.jobId}) is already running; wait for it or cancel it first`);
    const request = parseTrainingRequest(raw);
    // Claim the slot before any await, so two requests arriving together cannot both start.
    const jobId = `train-${Date.now().toString(36)}-${++this.jobCount}`;
    const folder = join(resolve(this.options.workDirectory), jobId);
    const state: TrainingJobState = {
      jobId,
      status: 'running',
      phase: 'loading',
      request,
      datasetPaths: [],
      startedAt: Date.now(),
      finishedAt: null,
      totalRounds: request.trees,
      rounds: [],
      elapsedMs: 0,
      etaMs: null,
      rowsLoaded: null,
      versionId: null,
      message: null,
    };
    const placeholder = { state, worker: null as Worker | null, folder, finished: Promise.resolve(state) };
    this.current = placeholder;
    try {
      state.datasetPaths = await (this.options.resolveDatasets ?? localDatasetResolver)(request.datasets);
      await mkdir(folder, { recursive: true });
    } catch (error) {
      this.current = null;
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
    const input: TrainingJobInput = { request, datasetPaths: state.datasetPaths, outDir: join(folder, 'model') };
    const worker = new Worker(WORKER_ENTRY, {
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: this.options.workerHeapMb ?? 2048 },
    });
    placeholder.worker = worker;
    placeholder.finished = new Promise<TrainingJobState>((resolveFinished) => {
      let settled = false;
      const finish = async (status: TrainingJobState['status'], message: string | null, versionId: string | null = null) => {
        if (settled) return;
        settled = true;
        state.status = status;
        state.message = message;
        state.versionId = versionId;
        state.finishedAt = Date.now();
        state.elapsedMs = state.finishedAt - state.startedAt;
        state.etaMs = null;
        await rm(folder, { recursive: true, force: true }).catch(() => undefined);
        this.last = state;
        if (this.current?.state === state) this.current = null;
        this.emit({ type: 'done', state });
        resolveFinished(state);
      };
      worker.on('message', (message: TrainingJobMessage) => {
        if (settled) return;
        switch (message.type) {
          case 'phase':
            state.phase = message.phase;
            this.progress(state);
            break;
          case 'loaded':
            state.rowsLoaded = message.rows;
            break;
          case 'round': {
            state.rounds.push({ round: message.round, trainLoss: message.trainLoss, validLoss: message.validLoss });
            const remaining = state.totalRounds - message.round;
            state.etaMs = remaining > 0 ? Math.round((message.trainingMs / message.round) * remaining) : 0;
            this.progress(state);
            break;
          }
          case 'done':
            state.phase = 'registering';
            this.progress(state);
            void this.options.registry
              .register(message.outDir, `trained-${request.target}`)
              .then(
                (versionId) => finish('done', null, versionId),
                (error: Error) => finish('failed', `the model was trained but not registered: ${error.message}`),
              );
            break;
          case 'failed':
            void finish('failed', message.message);
            break;
        }
      });
      worker.on('error', (error) => void finish('failed', `training worker crashed: ${error.message}`));
      worker.on('exit', (code) => {
        if (state.status === 'running' && state.phase !== 'registering') {
          void finish(this.cancelling === state ? 'cancelled' : 'failed', this.cancelling === state ? 'cancelled by the user' : `training worker exited with code ${code}`);
        }
      });
    });
    this.progress(state);
    return state;
  }

  private cancelling: TrainingJobState | null = null;

  /** Terminates the running job's worker and removes its partial output. */
  async cancel(): Promise<TrainingJobState> {
    const job = this.current;
    if (!job) throw new Error('no training job is running');
    // Between the request and the worker's start (datasets being resolved) there is nothing to stop yet.
    if (job.worker === null) throw new Error('the training job is still starting; cancel again in a moment');
    if (job.state.phase === 'registering') throw new Error('the model is already trained and being registered; delete the version instead');
    this.cancelling = job.state;
    await job.worker.terminate();
    return job.finished;
  }

  private progress(state: TrainingJobState): void {
    state.elapsedMs = Date.now() - state.startedAt;
    const last = state.rounds[state.rounds.length - 1];
    this.emit({
      type: 'progress',
      progress: {
        jobId: state.jobId,
        phase: state.phase,
        round: last?.round ?? 0,
        totalRounds: state.totalRounds,
        trainLoss: last?.trainLoss ?? null,
        validLoss: last?.validLoss ?? null,
        elapsedMs: state.elapsedMs,
        etaMs: state.etaMs,
      },
    });
  }

  private emit(event: TrainingEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing listener (a closed socket) must not stop the job or the other listeners.
      }
    }
  }
}
