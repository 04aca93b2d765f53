'use client';
/**
 * The dashboard's connection to the hub (through useSocket). Every 'state' / 'batch' becomes ONE
 * reducer action, so a batch costs one render however many rows it carries.
 */
import { useCallback, useReducer, useState } from 'react';
import type { Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  MonitorStatus,
  ServerToClientEvents,
  SourcesInfo,
  StartRequest,
} from '../../lib/realtime/contract.ts';
import { initialRealtimeState, reduceRealtime } from './realtimeState.ts';
import { useSocket } from './site/useSocket.ts';

type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 15_000;

export function useRealtime() {
  const [state, dispatch] = useReducer(reduceRealtime, initialRealtimeState);
  const [sources, setSources] = useState<SourcesInfo | null>(null);

  const { socket: socketRef, connection, connectionError, token } = useSocket<ServerToClientEvents, ClientToServerEvents>('/', (socket) => {
    socket.on('connect', () => {
      socket.emit('monitor:sources', (reply) => {
        if (reply.ok) setSources(reply.data);
      });
    });
    socket.on('state', (batch) => dispatch({ type: 'state', batch }));
    socket.on('batch', (batch) => dispatch({ type: 'batch', batch }));
  });

  const call = useCallback(
    async (run: (socket: HubSocket) => Promise<Ack<MonitorStatus>>): Promise<Ack<MonitorStatus>> => {
      const socket = socketRef.current;
      if (!socket || !socket.connected) return { ok: false, msg: 'not connected to the NetGuard server' };
      try {
        const reply = await run(socket);
        if (reply.ok) dispatch({ type: 'status', status: reply.data });
        return reply;
      } catch {
        return { ok: false, msg: `the server did not answer within ${ACK_TIMEOUT_MS / 1000} s` };
      }
    },
    [socketRef],
  );

  const start = useCallback(
    (request: StartRequest) => call((socket) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('monitor:start', request)),
    [call],
  );
  const stop = useCallback(() => call((socket) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck('monitor:stop')), [call]);

  return { state, connection, connectionError, sources, token, start, stop };
}
