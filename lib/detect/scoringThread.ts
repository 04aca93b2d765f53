/**
 * The flow model on its own thread. onnxruntime-node runs a batch synchronously on the calling
 * thread (it only defers the start), so scored on the event loop a flood's batches stall packet
 * decoding; on a worker thread both cores work. Rows are transferred, not copied; verdicts come
 * back in request order. If the thread dies, every waiting request fails with the reason and the
 * next one starts a new thread on the current model.
 */
import { Worker } from 'node:worker_threads';
import type { ModelMetadata } from '../model/export/modelMetadata.ts';
import type { VerdictBatch } from './flowVerdicts.ts';
import type { ScoringReply, ScoringRequest, ScoringWorkerData } from './scoringMessages.ts';

const WORKER_ENTRY = new URL('./scoringWorker.mjs', import.meta.url);

interface Waiting {
  resolve(reply: ScoringReply): void;
  reject(error: Error): void;
}

export class ScoringThread {
  private worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private closed = false;
  private alive = true;

  private constructor(
    worker: Worker,
    private current: { metadata: ModelMetadata; directory: string },
  ) {
    this.worker = worker;
    this.listen(worker);
  }

  /** Starts the thread and loads the model in `modelDirectory`; rejects with the load error. */
  static async start(modelDirectory: string): Promise<ScoringThread> {
    const { worker, metadata } = await spawn(modelDirectory);
    return new ScoringThread(worker, { metadata, directory: modelDirectory });
  }

  /** The model that scores the next batch. */
  get metadata(): ModelMetadata {
    return this.current.metadata;
  }

  /** Verdicts for `count` rows; `rows` is transferred to the thread (unusable here afterwards). */
  async verdicts(rows: Float32Array, count: number): Promise<VerdictBatch> {
    const reply = await this.request({ type: 'score', id: 0, rows, count }, [rows.buffer as ArrayBuffer]);
    if (reply.type !== 'scored') throw new Error(`scoring thread answered ${reply.type} to a score request`);
    return reply.batch;
  }

  /** Loads the model in `modelDirectory` on the thread and scores with it from the next batch. */
  async swap(modelDirectory: string): Promise<ModelMetadata> {
    const reply = await this.request({ type: 'swap', id: 0, modelDirectory });
    if (reply.type !== 'swapped') throw new Error(`scoring thread answered ${reply.type} to a swap request`);
    this.current = { metadata: reply.metadata, directory: modelDirectory };
    return reply.metadata;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Asked to close, the thread releases the model and exits by itself; terminate() is the fallback.
    if (this.alive) await this.request({ type: 'close', id: 0 }).catch(() => undefined);
    await this.worker.terminate();
  }

  private async request(message: ScoringRequest, transfer: ArrayBuffer[] = []): Promise<ScoringReply> {
    if (this.closed && message.type !== 'close') throw new Error('the scoring thread is closed');
    if (!this.alive) await this.respawn();
    const id = this.nextId++;
    // Held while a request waits, so a process awaiting verdicts does not exit under it.
    if (this.waiting.size === 0) this.worker.ref();
    const reply = new Promise<ScoringReply>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.worker.postMessage({ ...message, id }, transfer);
    const answer = await reply;
    if (answer.type === 'failed') throw new Error(answer.message);
    return answer;
  }

  private listen(worker: Worker): void {
    worker.on('message', (reply: ScoringReply) => {
      if (!('id' in reply)) return;
      const waiting = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      waiting?.resolve(reply);
    });
    const fail = (reason: string) => {
      if (this.worker !== worker) return;
      this.alive = false;
      for (const waiting of this.waiting.values()) waiting.reject(new Error(`the scoring thread stopped: ${reason}`));
      this.waiting.clear();
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`exit code ${code}`));
    // Idle, the thread must not keep a finished CLI run alive (after the listeners: adding one refs it).
    worker.unref();
  }

  private async respawn(): Promise<void> {
    const { worker, metadata } = await spawn(this.current.directory);
    this.worker = worker;
    this.alive = true;
    this.current = { ...this.current, metadata };
    this.listen(worker);
  }
}

function spawn(modelDirectory: string): Promise<{ worker: Worker; metadata: ModelMetadata }> {
  const workerData: ScoringWorkerData = { modelDirectory };
  const worker = new Worker(WORKER_ENTRY, { workerData, resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 } });
  return new Promise((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the scoring thread exited (code ${code}) before loading the model`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (reply: ScoringReply) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      if (reply.type === 'ready') resolve({ worker, metadata: reply.metadata });
      else {
        void worker.terminate();
        reject(new Error(reply.type === 'load-failed' ? reply.message : `scoring thread sent ${reply.type} before ready`));
      }
    });
  });
}
