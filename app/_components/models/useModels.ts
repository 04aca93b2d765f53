'use client';
/**
 * The /models page's connection: the registry's 'models:*' events, 'models:details', and the
 * training events. Training progress is broadcast, so a page opened mid-run asks
 * 'training:status' once and then follows the rounds.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ActivationResult, ClientToServerEvents, ModelComparison, ModelVersionSummary, ServerToClientEvents } from '../../../lib/realtime/contract.ts';
import { type CatalogueEntry, DATASETS_NAMESPACE, type DatasetsClientEvents, type DatasetsServerEvents } from '../../../lib/imports/importContract.ts';
import type { ModelDetails } from '../../../lib/registry/modelDetails.ts';
import type { TrainingJobState, TrainingProgress, TrainingRequestInput } from '../../../lib/training/trainingRequest.ts';
import { pageToken } from '../useRealtime.ts';

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
  const socketRef = useRef<PageSocket | null>(null);
  const [connected, setConnected] = useState(false);
  const [versions, setVersions] = useState<ModelVersionSummary[]>([]);
  const [training, setTraining] = useState<TrainingJobState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [catalogue, setCatalogue] = useState<CatalogueEntry[]>([]);

  const call = useCallback(async <T,>(run: (socket: PageSocket) => Promise<Reply<T>>): Promise<T | null> => {
    const socket = socketRef.current;
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

  useEffect(() => {
    const presented = pageToken();
    const socket: PageSocket = io({ auth: presented ? { token: presented } : {} });
    socketRef.current = socket;
    socket.on('connect', () => {
      setConnected(true);
      void refresh();
      socket.emit('training:status', (reply) => {
        if (reply.ok) setTraining(reply.data);
      });
    });
    socket.on('disconnect', () => setConnected(false));
    socket.on('connect_error', (e) => setError(e.message));
    socket.on('training:progress', (progress) => setTraining((job) => applyProgress(job, progress)));
    socket.on('training:done', (state) => {
      setTraining(state);
      void refresh();
    });
    // The imported datasets (lib/imports) the Train panel offers, asked again after each connect.
    const datasets: Socket<DatasetsServerEvents, DatasetsClientEvents> = io(DATASETS_NAMESPACE, { auth: presented ? { token: presented } : {} });
    datasets.on('connect', () => {
      datasets.emit('datasets:list', (reply) => {
        if (reply.ok) setCatalogue(reply.data);
      });
    });
    return () => {
      datasets.removeAllListeners();
      datasets.disconnect();
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, [refresh]);

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
