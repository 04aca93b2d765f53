'use client';
/** The page's connection to the '/datasets' namespace: catalogue, samples, detect, import with progress. */
import { useCallback, useState } from 'react';
import type { Socket } from 'socket.io-client';
import {
  DATASETS_NAMESPACE,
  type Ack,
  type CatalogueEntry,
  type DatasetsClientEvents,
  type DatasetsServerEvents,
  type DetectedSource,
  type ImportProgress,
  type ImportSource,
  type SampleFile,
} from '../../../lib/imports/importContract.ts';
import { useSocket } from '../site/useSocket.ts';

type DatasetsSocket = Socket<DatasetsServerEvents, DatasetsClientEvents>;

const notConnected = { ok: false as const, msg: 'not connected to the server' };

export function useDatasets() {
  const [catalogue, setCatalogue] = useState<CatalogueEntry[]>([]);
  const [samples, setSamples] = useState<SampleFile[]>([]);
  const [progress, setProgress] = useState<ImportProgress | null>(null);

  const { socket: socketRef, connection, token } = useSocket<DatasetsServerEvents, DatasetsClientEvents>(DATASETS_NAMESPACE, (socket: DatasetsSocket) => {
    socket.on('connect', () => {
      socket.emit('datasets:list', (reply) => reply.ok && setCatalogue(reply.data));
      socket.emit('datasets:samples', (reply) => reply.ok && setSamples(reply.data));
    });
    socket.on('datasets:progress', (p) => setProgress(p));
  });
  const connected = connection === 'connected';

  const refresh = useCallback(() => {
    socketRef.current?.emit('datasets:list', (reply) => {
      if (reply.ok) setCatalogue(reply.data);
    });
  }, [socketRef]);

  const detect = useCallback(
    (source: ImportSource) =>
      new Promise<Ack<DetectedSource>>((resolve) => {
        const socket = socketRef.current;
        if (!socket) return resolve(notConnected);
        socket.emit('datasets:detect', source, resolve);
      }),
    [socketRef],
  );

  const runImport = useCallback(
    (source: ImportSource) =>
      new Promise<Ack<CatalogueEntry>>((resolve) => {
        const socket = socketRef.current;
        if (!socket) return resolve(notConnected);
        setProgress(null);
        socket.emit('datasets:import', { requestId: `r-${Date.now()}`, source }, (reply) => {
          if (reply.ok) refresh();
          resolve(reply);
        });
      }),
    [refresh, socketRef],
  );

  return { connected, catalogue, samples, progress, token, detect, runImport };
}
