'use client';
/**
 * The page's one connection to the hub. Every 'state' / 'batch' becomes ONE reducer action,
 * so a batch costs one render however many rows it carries.
 */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  MonitorStatus,
  ServerToClientEvents,
  SourcesInfo,
  StartRequest,
} from '../../lib/realtime/contract.ts';
import { initialRealtimeState, reduceRealtime } from './realtimeState.ts';

type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** `?token=` of the page URL, passed on to the socket and the report link. */
export function pageToken(): string | null {
  if (typeof window === 'undefined') return null;
  return new URLSearchParams(window.location.search).get('token');
}

const ACK_TIMEOUT_MS = 15_000;

export type { Connection } from './realtimeState.ts';

export function useRealtime() {
  const [state, dispatch] = useReducer(reduceRealtime, initialRealtimeState);
  const [sources, setSources] = useState<SourcesInfo | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const socketRef = useRef<HubSocket | null>(null);

  useEffect(() => {
    const presented = pageToken();
    setToken(presented);
    const socket: HubSocket = io({ auth: presented ? { token: presented } : {} });
    socketRef.current = socket;
    socket.on('connect', () => {
      dispatch({ type: 'connection', connection: 'connected' });
      socket.emit('monitor:sources', (reply) => {
        if (reply.ok) setSources(reply.data);
      });
    });
    socket.on('disconnect', () => dispatch({ type: 'connection', connection: 'disconnected' }));
    socket.on('connect_error', (error) => {
      // A refusal by the server's middleware is final; network errors are retried by the client.
      const refused = !socket.active;
      dispatch({ type: 'connection', connection: refused ? 'refused' : 'disconnected', error: error.message });
    });
    socket.on('state', (batch) => dispatch({ type: 'state', batch }));
    socket.on('batch', (batch) => dispatch({ type: 'batch', batch }));
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, []);

  const call = useCallback(async (run: (socket: HubSocket) => Promise<Ack<MonitorStatus>>): Promise<Ack<MonitorStatus>> => {
    const socket = socketRef.current;
    if (!socket || !socket.connected) return { ok: false, msg: 'not connected to the NetGuard server' };
    try {
      const reply = await run(socket);
      if (reply.ok) dispatch({ type: 'status', status: reply.data });
      return reply;
    } catch {
      return { ok: false, msg: `the server did not answer within ${ACK_TIMEOUT_MS / 1000} s` };
    }
  }, []);

  const start = useCallback(
    (request: StartRequest) => call((socket) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('monitor:start', request)),
    [call],
  );
  const stop = useCallback(() => call((socket) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('monitor:stop')), [call]);

  return { state, sources, token, start, stop };
}
