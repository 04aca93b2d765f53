/**
 * NetGuard's process: a Next.js custom server that also hosts Socket.IO (the 2 s batches) and
 * the monitoring loop, on one port. Binds 127.0.0.1 unless HOST says otherwise (then a token
 * is required). SIGINT/SIGTERM stop the capture, flush open flows through detection into the
 * store, and close the database before exiting.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import next from 'next';
import { DatasetCatalogue } from './lib/imports/datasetCatalogue.ts';
import { DatasetImporter } from './lib/imports/datasetImporter.ts';
import { createUploadRoute, uploadLimitFrom } from './lib/realtime/uploadRoute.ts';
import { Monitor } from './lib/monitor/monitor.ts';
import { serverConfigFrom } from './lib/config/serverConfig.ts';
import { ServerPaths } from './lib/config/serverPaths.ts';
import { authorizeHttp } from './lib/realtime/httpAuth.ts';
import { sendJsonError, HttpErrorCode } from './lib/realtime/httpError.ts';
import { attachRealtime } from './lib/realtime/hub.ts';
import { createEveRoute } from './lib/realtime/eveRoute.ts';
import { createReportRoute } from './lib/realtime/reportRoute.ts';
import { createServerMetrics } from './lib/realtime/metrics.ts';
import { createMetricsRoute } from './lib/realtime/metricsRoute.ts';
import { ModelRegistry } from './lib/registry/modelRegistry.ts';
import { applyRetention, closeInterruptedSessions, openStore } from './lib/store/index.ts';
import { streamEveAlerts } from './lib/store/eveStream.ts';
import { streamThreatReport } from './lib/store/reportCsv.ts';
import { datasetResolver } from './lib/training/catalogueDatasets.ts';
import { TrainingRunner } from './lib/training/trainingRunner.ts';

const root = import.meta.dirname;
const log = (line: string) => process.stderr.write(`[netguard] ${line}\n`);

let config;
try {
  config = serverConfigFrom(process.env, root);
} catch (error) {
  log(`cannot start: ${(error as Error).message}`);
  process.exit(1);
}

mkdirSync(config.NETGUARD_DATA_DIR, { recursive: true });
// Every path a client names (capture file, dataset to import, compare or train on) goes through
// this one resolver: inside these folders, after symbolic links, regular files only.
const serverPaths = new ServerPaths(config.allowedDirectories);
log(`clients may name files inside ${serverPaths.allowedDirectories.join(', ')}`);
const store = openStore(join(config.NETGUARD_DATA_DIR, 'netguard.db'), { retentionDays: config.NETGUARD_RETENTION_DAYS });
const interrupted = closeInterruptedSessions(store);
if (interrupted > 0) log(`${interrupted} session(s) were still running when the last process died; marked interrupted`);

// Model versions live in <data>/models; the one activated last survives restarts (active.json),
// and NETGUARD_MODEL is only the first start's choice.
let registry: ModelRegistry;
let monitor: Monitor;
// GET /metrics (Prometheus): the monitor's totals are read at scrape time, so the monitor is
// bound lazily; store write times and batches are observed as they happen.
const metrics = createServerMetrics({ counters: () => monitor.counters(), status: () => monitor.snapshot().status });
let modelDirectory = config.NETGUARD_MODEL;
try {
  registry = await ModelRegistry.open({ directory: join(config.NETGUARD_DATA_DIR, 'models'), shippedModelsDirectory: join(root, 'trained_models'), log });
  modelDirectory = await registry.startupModelDirectory(config.NETGUARD_MODEL);
  monitor = await Monitor.create({
    store,
    modelDirectory,
    samplesDirectory: config.NETGUARD_SAMPLES_DIR,
    files: serverPaths,
    log,
    onStoreWrite: (seconds) => metrics.observeStoreWrite(seconds),
  });
  registry.setActivator(monitor);
} catch (error) {
  log(`cannot load the model in ${modelDirectory}: ${(error as Error).message}`);
  process.exit(1);
}

const app = next({ dev: process.env.NODE_ENV === 'development', dir: root, hostname: config.HOST, port: config.PORT });
const handle = app.getRequestHandler();
await app.prepare();

const token = config.NETGUARD_TOKEN;
const reportRoute = createReportRoute({ token, streamReport: (query, out) => streamThreatReport(store, query, out) });
// Stored alerts as Suricata EVE JSON lines, for log shippers' Suricata modules.
const eveRoute = createEveRoute({ token, streamAlerts: (query, out) => streamEveAlerts(store, query, out) });
const metricsRoute = createMetricsRoute({ token, metrics });
// Dataset imports (/datasets page): uploads streamed into <data>/datasets, catalogue for training.
let uploadLimitBytes: number;
try {
  uploadLimitBytes = uploadLimitFrom(process.env);
} catch (error) {
  log(`cannot start: ${(error as Error).message}`);
  process.exit(1);
}
const datasetCatalogue = await DatasetCatalogue.open(join(config.NETGUARD_DATA_DIR, 'datasets'));
const datasetImporter = new DatasetImporter({ catalogue: datasetCatalogue, samplesDirectory: join(root, 'datasets'), files: serverPaths });
const uploadRoute = createUploadRoute({ datasetsDirectory: datasetCatalogue.directory, limitBytes: uploadLimitBytes, token, log });
const server = createServer((request, response) => {
  if (reportRoute(request, response)) return;
  if (eveRoute(request, response)) return;
  if (metricsRoute(request, response)) return;
  if (uploadRoute(request, response)) return;
  // authorizeHttp also sets the token cookie on a ?token= page, so its scripts and styles load.
  if (token !== undefined && !authorizeHttp(request, response, token)) {
    sendJsonError(response, 401, HttpErrorCode.UNAUTHORIZED, 'unauthorized: add ?token=... to the address');
    return;
  }
  void handle(request, response);
});
// Training from the page runs in a worker thread (lib/training); finished models become registry versions.
const trainingRunner = new TrainingRunner({ workDirectory: join(config.NETGUARD_DATA_DIR, 'training'), registry, resolveDatasets: datasetResolver(datasetCatalogue, serverPaths) });
await trainingRunner.removeLeftovers();
// Every Socket.IO event of every page is registered by the hub, behind one token guard.
const realtime = attachRealtime(server, monitor, {
  token,
  registry,
  files: serverPaths,
  training: trainingRunner,
  datasets: { catalogue: datasetCatalogue, importer: datasetImporter, log },
  onError: (error) => log(`batch failed: ${(error as Error).message}`),
  onBatch: (batch) => metrics.observeBatch(batch),
});

const retention = setInterval(() => {
  applyRetention(store).catch((error: Error) => log(`retention failed: ${error.message}`));
}, 3600_000);
retention.unref();

server.on('error', (error: NodeJS.ErrnoException) => {
  log(error.code === 'EADDRINUSE' ? `port ${config.PORT} is in use; set PORT to another one` : `server error: ${error.message}`);
  process.exit(1);
});
server.listen(config.PORT, config.HOST, () => {
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  process.stdout.write(`NetGuard dashboard on http://${host}:${config.PORT} (model ${monitor.modelVersion})\n`);
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping capture and flushing open flows`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  try {
    await monitor.close();
    await realtime.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  } finally {
    store.close();
    process.exit(0);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
