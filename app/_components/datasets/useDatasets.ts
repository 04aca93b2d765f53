'use client';
/** The page's connection to the '/datasets' namespace: catalogue, samples, detect, import with progress. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
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
import { pageToken } from '../useRealtime.ts';

type DatasetsSocket = Socket<DatasetsServerEvents, DatasetsClientEvents>;

const notConnected = { ok: false as const, msg: 'not connected to the server' };

export function useDatasets() {
  const socketRef = useRef<DatasetsSocket | null>(null);
  const [connected, setConnected] = useState(false);
  const [catalogue, setCatalogue] = useState<CatalogueEntry[]>([]);
  const [samples, setSamples] = useState<SampleFile[]>([]);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [token, setToken] = useState<string | null>(null);

  const refresh = useCallback(() => {
    socketRef.current?.emit('datasets:list', (reply) => {
      if (reply.ok) setCatalogue(reply.data);
    });
  }, []);

  useEffect(() => {
    const presented = pageToken();
    setToken(presented);
    const socket: DatasetsSocket = io(DATASETS_NAMESPACE, { auth: presented ? { token: presented } : {} });
    socketRef.current = socket;
    socket.on('connect', () => {
      setConnected(true);
      socket.emit('datasets:list', (reply) => reply.ok && setCatalogue(reply.data));
      socket.emit('datasets:samples', (reply) => reply.ok && setSamples(reply.data));
    });
    socket.on('disconnect', () => setConnected(false));
    socket.on('datasets:progress', (p) => setProgress(p));
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, []);

  const detect = useCallback(
    (source: ImportSource) =>
      new Promise<Ack<DetectedSource>>((resolve) => {
        const socket = socketRef.current;
        if (!socket) return resolve(notConnected);
        socket.emit('datasets:detect', source, resolve);
      }),
    [],
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
    [refresh],
  );

  return { connected, catalogue, samples, progress, token, detect, runImport };
}
