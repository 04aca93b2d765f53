/**
 * The client -> server events. Each handler answers through the acknowledgement with
 * `{ ok: true, data }` or `{ ok: false, msg }` and never throws: a bad request or a monitor
 * failure becomes a message for that client, never a crashed server. Authorisation happened
 * once, at connect (hub.ts middleware), before any of these can run.
 */
import type { Socket } from 'socket.io';
import { z } from 'zod';
import type { MonitorApi } from '../monitor/monitorApi.ts';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from './contract.ts';
import { parseStartRequest } from './startRequestSchema.ts';

export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

type AckFn<T> = (reply: Ack<T>) => void;

function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message !== '') return error.message;
  return typeof error === 'string' && error !== '' ? error : 'the monitor failed without a message';
}

/** Runs `work` and answers its result; a client that sent no callback gets nothing (and breaks nothing). */
export async function answer<T>(ack: unknown, work: () => Promise<T>): Promise<void> {
  let reply: Ack<T>;
  try {
    reply = { ok: true, data: await work() };
  } catch (error) {
    reply = { ok: false, msg: errorMessage(error) };
  }
  if (typeof ack === 'function') (ack as AckFn<T>)(reply);
}

const EVIDENCE_LIMIT = 1000;
const evidenceRequestSchema = z.object({ incidentId: z.string().min(1).max(200) });

export function registerMonitorHandlers(socket: RealtimeSocket, monitor: MonitorApi): void {
  // Arguments are typed by the contract but arrive from the network: read them as unknown.
  socket.on('monitor:sources', (...args: unknown[]) => {
    void answer(args[args.length - 1], () => monitor.sources());
  });

  socket.on('monitor:start', (...args: unknown[]) => {
    const [request, ack] = args;
    if (typeof request === 'function' && ack === undefined) {
      void answer(request, () => Promise.reject(new Error('invalid start request: no request given')));
      return;
    }
    const parsed = parseStartRequest(request);
    if (!parsed.ok) {
      void answer(ack, () => Promise.reject(new Error(parsed.msg)));
      return;
    }
    void answer(ack, () => monitor.start(parsed.request));
  });

  socket.on('monitor:stop', (...args: unknown[]) => {
    void answer(args[args.length - 1], () => monitor.stop());
  });

  socket.on('incidents:evidence', (...args: unknown[]) => {
    const [request, ack] = args;
    const parsed = evidenceRequestSchema.safeParse(request);
    void answer(ack, async () => {
      if (!parsed.success) throw new Error(`invalid evidence request: ${parsed.error.issues[0]?.message ?? 'bad value'} (send { incidentId })`);
      return monitor.incidentEvidence(parsed.data.incidentId, EVIDENCE_LIMIT);
    });
  });
}
