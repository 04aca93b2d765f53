'use client';
/**
 * The /models page's connection: the registry's 'models:*' events, 'models:details', and the
 * training events. Training progress is broadcast, so a page opened mid-run asks
 * 'training:status' once and then follows the rounds.
 */
import { useCallback, useRef, useState } from 'react';
import type { Socket } from 'socket.io-client';
import type { Ack, ActivationResult, ClientToServerEvents, ModelComparison, ModelVersionSummary, ServerToClientEvents } from '../../../lib/realtime/contract.ts';
import { type CatalogueEntry, DATASETS_NAMESPACE, type DatasetsClientEvents, type DatasetsServerEvents } from '../../../lib/imports/importContract.ts';
import type { ModelDetails } from '../../../lib/registry/modelDetails.ts';
import type { TrainingJobState, TrainingProgress, TrainingRequestInput } from '../../../lib/training/trainingRequest.ts';
import { useSocket } from '../site/useSocket.ts';

type Reply<T> = Ack<T>;
type PageSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 120_000;

/** Folds one progress message into the job state the page draws. */
export function applyProgress(job: TrainingJobState | null, progress: TrainingProgress): TrainingJobState | null {
  if (!job || job.jobId !== progress.jobId) return job;
  const rounds = job.rounds;
  const last = rounds[rounds.length - 1];
  const next = progress.round > (last?.round ?? 0) && progress.trainLoss !== null
    ? [...rounds, { round: progress.round, trainLoss: progress.trainLoss, validLoss: progress.validLoss }]
    : rounds;
  return { ...job, phase: progress.phase, rounds: next, elapsedMs: progress.elapsedMs, etaMs: progress.etaMs };
}

export function useModels() {
  const [versions, setVersions] = useState<ModelVersionSummary[]>([]);
  const [training, setTraining] = useState<TrainingJobState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [catalogue, setCatalogue] = useState<CatalogueEntry[]>([]);
  // The hub socket, for call() before useSocket has returned it (refresh runs from its 'connect').
  const hubRef = useRef<PageSocket | null>(null);

  const call = useCallback(async <T,>(run: (socket: PageSocket) => Promise<Reply<T>>): Promise<T | null> => {
    const socket = hubRef.current;
    if (!socket || !socket.connected) {
      setError('not connected to the NetGuard server');
      return null;
    }
    try {
      const reply = await run(socket);
      if (!reply.ok) {
        setError(reply.msg);
        return null;
      }
      setError(null);
      return reply.data;
    } catch {
      setError(`the server did not answer within ${ACK_TIMEOUT_MS / 1000} s`);
      return null;
    }
  }, []);

  const refresh = useCallback(async () => {
    const list = await call<ModelVersionSummary[]>((s) => s.timeout(ACK_TIMEOUT_MS).emitWithAck('models:list'));
    if (list) setVersions(list);
  }, [call]);

  const hub = useSocket<ServerToClientEvents, ClientToServerEvents>('/', (socket: PageSocket) => {
    hubRef.current = socket;
    socket.on('connect', () => {
      void refresh();
      socket.emit('training:status', (reply) => {
        if (reply.ok) setTraining(reply.data);
      });
    });
    socket.on('connect_error', (e) => setError(e.message));
    socket.on('training:progress', (progress) => setTraining((job) => applyProgress(job, progress)));
    socket.on('training:done', (state) => {
      setTraining(state);
      void refresh();
    });
  });
  const connected = hub.connection === 'connected';

  // The imported datasets (lib/imports) the Train panel offers, asked again after each connect.
  useSocket<DatasetsServerEvents, DatasetsClientEvents>(DATASETS_NAMESPACE, (datasets) => {
    datasets.on('connect', () => {
      datasets.emit('datasets:list', (reply) => {
        if (reply.ok) setCatalogue(reply.data);
      });
    });
  });

  const afterChange = useCallback(async <T,>(result: T | null): Promise<T | null> => {
    await refresh();
    return result;
  }, [refresh]);

  return {
    connected,
    versions,
    catalogue,
    training,
    error,
    clearError: () => setError(null),
    refresh,
    details: (id: string) => call<ModelDetails>((s) => s.timeout(ACK_TIMEOUT_MS).emitWithAck('models:details', { id })),
    activate: async (id: string): Promise<ActivationResult | null> => afterChange(await call<ActivationResult>((s) => s.timeout(ACK_TIMEOUT_MS).emitWithAck('models:activate', { id }))),
    rollback: async (): Promise<ActivationResult | null> => afterChange(await call<ActivationResult>((s) => s.timeout(ACK_TIMEOUT_MS).emitWithAck('models:rollback'))),
    remove: async (id: string) => afterChange(await call<{ id: string }>((s) => s.timeout(ACK_TIMEOUT_MS).emitWithAck('models:delete', { id }))),
    compare: (a: string, b: string, dataset: string[]): Promise<ModelComparison | null> =>
      call<ModelComparison>((s) => s.timeout(600_000).emitWithAck('models:compare', { a, b, dataset })),
    startTraining: async (request: TrainingRequestInput) => {
      const job = await call<TrainingJobState>((s) => s.timeout(ACK_TIMEOUT_MS).emitWithAck('training:start', request));
      if (job) setTraining(job);
      return job;
    },
    cancelTraining: async () => {
      const job = await call<TrainingJobState>((s) => s.timeout(ACK_TIMEOUT_MS).emitWithAck('training:cancel'));
      if (job) setTraining(job);
      return job;
    },
  };
}
