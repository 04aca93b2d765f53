/**
 * The realtime hub: a Socket.IO server on NetGuard's HTTP server. A client gets 'state' (the
 * whole current picture) when it connects, then one 'batch' every BATCH_INTERVAL_MS for all
 * clients: the monitor's snapshot plus the incidents updated since the previous batch.
 * In: an http.Server and a MonitorApi. Out: Socket.IO traffic per lib/realtime/contract.ts.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { MonitorApi } from '../monitor/monitorApi.ts';
import type { FileResolver } from '../config/fileResolver.ts';
import { ServerPaths } from '../config/serverPaths.ts';
import type { ModelRegistryApi } from '../registry/modelRegistry.ts';
import { startBatchClock } from './batchClock.ts';
import {
  BATCH_FEED_LIMIT,
  BATCH_INTERVAL_MS,
  FEED_LIMIT,
  type Batch,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from './contract.ts';
import { toFeedRow } from './feedRow.ts';
import { socketTokenGuard } from './httpAuth.ts';
import { attachDatasetHandlers, type DatasetHandlersOptions } from './datasetHandlers.ts';
import { registerModelDetails } from './modelDetailsHandler.ts';
import { registerModelHandlers } from './modelHandlers.ts';
import { registerTrainingHandlers, relayTraining } from './trainingHandlers.ts';
import type { TrainingRunner } from '../training/trainingRunner.ts';
import { registerMonitorHandlers } from './socketHandlers.ts';

export interface RealtimeOptions {
  /** When set, every socket must present it as `auth: { token }` in the handshake. */
  token?: string;
  batchIntervalMs?: number;
  /** Wall clock for `sentAt` (tests can set it). */
  now?: () => number;
  /** Where a failing batch is reported; the hub goes on with the next one. */
  onError?: (error: unknown) => void;
  /**
   * Browser origins allowed besides the page's own (e.g. 'https://netguard.example' behind a
   * proxy that rewrites Host). Requests without an Origin header (non-browser clients) pass.
   */
  allowedOrigins?: string[];
  /** The model registry; with it the 'models:*' events are answered (modelHandlers.ts). */
  registry?: ModelRegistryApi;
  /**
   * Where 'models:compare' may read its datasets: the server's ServerPaths (lib/config).
   * Without it every dataset path is refused.
   */
  files?: FileResolver;
  /** Sees every batch after it is sent (metrics.ts observes its interval and feed latencies). */
  onBatch?: (batch: Batch) => void;
  /** Training from the page ('training:*' events, progress to every client). */
  training?: TrainingRunner;
  /** The '/datasets' namespace (dataset imports and the catalogue). */
  datasets?: DatasetHandlersOptions;
}

export interface RealtimeHub {
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  /** Batches sent so far (the seq of the last one). */
  readonly seq: number;
  /**
   * Stops the batches and disconnects every socket. The HTTP server stays open: it belongs to
   * the caller (Socket.IO's own close() would close it too, which is why it is not used).
   */
  close(): Promise<void>;
}

export { UNAUTHORIZED_MESSAGE } from './httpAuth.ts';

export function attachRealtime(httpServer: HttpServer, monitor: MonitorApi, options: RealtimeOptions = {}): RealtimeHub {
  const now = options.now ?? Date.now;
  const files = options.files ?? new ServerPaths([]);
  const onError = options.onError ?? ((error: unknown) => console.error('[realtime] batch failed:', error));
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    serveClient: false,
    // Other upgrade requests (Next.js dev HMR) belong to other listeners: leave them alone.
    destroyUpgrade: false,
    // WebSockets ignore CORS: without this, any web page the user visits could open a socket
    // to 127.0.0.1 and start or stop captures (cross-site WebSocket hijacking).
    allowRequest: (request, callback) => {
      const allowed = isSameOriginOrAllowed(request.headers.origin, request.headers.host, options.allowedOrigins ?? []);
      callback(allowed ? null : 'origin not allowed', allowed);
    },
  });

  io.use(socketTokenGuard(options.token));

  let seq = 0;

  const picture = (feed: Batch['feed']): Batch => {
    const snapshot = monitor.snapshot();
    return { seq, sentAt: now(), status: snapshot.status, metrics: snapshot.metrics, charts: snapshot.charts, feed };
  };

  // Every client event of every page is registered here, behind the one token guard.
  const detachTraining = options.training === undefined ? () => undefined : relayTraining(io, options.training);
  if (options.datasets !== undefined) attachDatasetHandlers(io, options.datasets, socketTokenGuard(options.token));
  io.on('connection', (socket) => {
    registerMonitorHandlers(socket, monitor);
    if (options.registry !== undefined) {
      registerModelHandlers(socket, options.registry, files);
      registerModelDetails(socket, options.registry);
    }
    if (options.training !== undefined) registerTrainingHandlers(socket, options.training);
    try {
      // The state carries the seq of the last batch, so the client expects seq + 1 next.
      socket.emit('state', picture(monitor.recentIncidents(FEED_LIMIT).map(toFeedRow)));
    } catch (error) {
      onError(error);
    }
  });

  const clock = startBatchClock(options.batchIntervalMs ?? BATCH_INTERVAL_MS, () => {
    try {
      // Drained even with nobody connected: a client that joins later gets the recent feed in 'state'.
      const feed = monitor.drainUpdatedIncidents(BATCH_FEED_LIMIT).map(toFeedRow);
      seq += 1;
      const batch = picture(feed);
      io.emit('batch', batch);
      options.onBatch?.(batch);
    } catch (error) {
      onError(error);
    }
  });

  let closing: Promise<void> | undefined;
  return {
    io,
    get seq() {
      return seq;
    },
    close() {
      closing ??= (async () => {
        clock.stop();
        detachTraining();
        io.disconnectSockets(true);
        io.engine.close();
      })();
      return closing;
    },
  };
}

/** No Origin (not a browser), the page's own origin (same host:port), or one listed. */
export function isSameOriginOrAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
