/**
 * Training over Socket.IO, registered by the hub (so its token check applies): 'training:start',
 * 'training:cancel' and 'training:status' answer with Ack like the other client events;
 * every job's progress and final state go to all clients ('training:progress', 'training:done'),
 * so a second tab sees the same run.
 */
import type { Server } from 'socket.io';
import type { TrainingRunner } from '../training/trainingRunner.ts';
import type { ClientToServerEvents, ServerToClientEvents } from './contract.ts';
import { answer, type RealtimeSocket } from './socketHandlers.ts';

/** Relays every job's progress and final state to all clients; returns the function that stops it. */
export function relayTraining(io: Server<ClientToServerEvents, ServerToClientEvents>, runner: TrainingRunner): () => void {
  return runner.subscribe((event) => {
    if (event.type === 'progress') io.emit('training:progress', event.progress);
    else io.emit('training:done', event.state);
  });
}

export function registerTrainingHandlers(socket: RealtimeSocket, runner: TrainingRunner): void {
  // Arguments arrive from the network: read them as unknown, the runner schema-checks them.
  socket.on('training:start', (...args: unknown[]) => {
    void answer(args[args.length - 1], async () => {
      if (args.length < 2) throw new Error('invalid training request: no request given');
      return runner.start(args[0]);
    });
  });
  socket.on('training:cancel', (...args: unknown[]) => {
    void answer(args[args.length - 1], () => runner.cancel());
  });
  socket.on('training:status', (...args: unknown[]) => {
    void answer(args[args.length - 1], async () => runner.status());
  });
}
