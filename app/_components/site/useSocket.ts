'use client';
/**
 * Every page's Socket.IO connection: one hook opens it with the page's `?token=` as
 * `auth: { token }` (without one, the browser's cookie is what the server sees), tracks the
 * connection, and closes it when the page goes. `wire` registers the page's own listeners once,
 * on the new socket.
 */
import { type RefObject, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { EventsMap } from '@socket.io/component-emitter';

export type Connection = 'connecting' | 'connected' | 'disconnected' | 'refused';

/** `?token=` of the page URL, passed on to the socket and the report link. */
export function pageToken(): string | null {
  if (typeof window === 'undefined') return null;
  return new URLSearchParams(window.location.search).get('token');
}

export interface SocketState<Listen extends EventsMap, Emit extends EventsMap> {
  /** The open socket (null before the page mounts and after it unmounts). */
  socket: RefObject<Socket<Listen, Emit> | null>;
  connection: Connection;
  /** Why the last attempt failed (the server's refusal or a network error), null once connected. */
  connectionError: string | null;
  token: string | null;
}

/** `namespace` is '/' for the hub or e.g. '/datasets'; `wire` sees each socket once. */
export function useSocket<Listen extends EventsMap, Emit extends EventsMap>(
  namespace: string,
  wire: (socket: Socket<Listen, Emit>) => void,
): SocketState<Listen, Emit> {
  const socket = useRef<Socket<Listen, Emit> | null>(null);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [connectionError, setConnectionError] = useState<string | null>(null);
  const [token, setToken] = useState<string | null>(null);
  // The latest wire without reopening the socket when the page re-renders.
  const wireRef = useRef(wire);
  wireRef.current = wire;

  useEffect(() => {
    const presented = pageToken();
    setToken(presented);
    const opened: Socket<Listen, Emit> = io(namespace, { auth: presented ? { token: presented } : {} });
    socket.current = opened;
    opened.on('connect', () => {
      setConnection('connected');
      setConnectionError(null);
    });
    opened.on('disconnect', () => setConnection('disconnected'));
    opened.on('connect_error', (error: Error) => {
      // A refusal by the server's middleware is final; network errors are retried by the client.
      setConnection(opened.active ? 'disconnected' : 'refused');
      setConnectionError(error.message);
    });
    wireRef.current(opened);
    return () => {
      opened.removeAllListeners();
      opened.disconnect();
      socket.current = null;
    };
  }, [namespace]);

  return { socket, connection, connectionError, token };
}
