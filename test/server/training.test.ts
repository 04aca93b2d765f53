import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelDetails } from '../../lib/registry/modelDetails.ts';
import type {
  TrainingClientToServerEvents,
  TrainingJobState,
  TrainingProgress,
  TrainingServerToClientEvents,
} from '../../lib/training/trainingRequest.ts';
import { type Client, connect, type RunningServer, samplesDirectory, sharedDataset, sharedDatasetsDir, startServer, waitFor } from './serverProcess.ts';

type DetailsClient = Socket<Record<string, never>, { 'models:details': (request: { id: string }, ack: (reply: { ok: true; data: ModelDetails } | { ok: false; msg: string }) => void) => void }>;
type TrainingClient = Socket<TrainingServerToClientEvents, TrainingClientToServerEvents>;
const kddSlice = sharedDataset('nsl-kdd/KDDTrain+_20Percent.txt.gz');

describe('server: training over Socket.IO', () => {
  let server: RunningServer;
  const samples = samplesDirectory(['pcaps/ppa-markofu/portscan.pcap.gz']);

  beforeAll(async () => {
    server = await startServer({ samplesDir: samples, env: { NETGUARD_ALLOWED_DIRS: sharedDatasetsDir } });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('trains in a worker while the 2 s batches keep coming, then lists the new version; cancel leaves nothing', async () => {
    const { socket: hub, batches } = await connect(server.url);
    const socket = hub as unknown as TrainingClient;
    // A second client sees the same progress: it is broadcast.
    const { socket: otherHub } = await connect(server.url);
    const other = otherHub as unknown as TrainingClient;
    const progress: TrainingProgress[] = [];
    const seenByOther: TrainingProgress[] = [];
    const done: TrainingJobState[] = [];
    socket.on('training:progress', (p) => progress.push(p));
    other.on('training:progress', (p) => seenByOther.push(p));
    socket.on('training:done', (state) => done.push(state));

    const outside = await socket.emitWithAck('training:start', { datasets: ['/no/such/file.csv'], target: 'binary' });
    expect(outside.ok).toBe(false);
    if (!outside.ok) expect(outside.msg).toMatch(/outside the folders NetGuard may read/);
    const missing = await socket.emitWithAck('training:start', { datasets: [`${sharedDatasetsDir}/no-such-file.csv`], target: 'binary' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.msg).toMatch(/nor a file on the server/);

    const before = (hub as Client).emitWithAck('models:list');
    const listedBefore = await before;
    if (!listedBefore.ok) throw new Error(listedBefore.msg);

    const started = await socket.emitWithAck('training:start', { datasets: [kddSlice], target: 'binary', trees: 10, maxDepth: 4, learningRate: 0.3, classBalancing: 'balanced', validationFraction: 0.1 });
    if (!started.ok) throw new Error(started.msg);
    const refused = await socket.emitWithAck('training:start', { datasets: [kddSlice], target: 'binary' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.msg).toMatch(/already running/);

    const batchesBefore = batches.length;
    const final = await waitFor('the training job to finish', () => done.find((d) => d.jobId === started.data.jobId), 60_000);
    expect(final.message).toBeNull();
    expect(final.status).toBe('done');
    expect(progress.filter((p) => p.round > 0 && p.phase === 'training').map((p) => p.round)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(seenByOther.length).toBe(progress.length);

    // Batches kept their cadence while the trainer ran (gaps well under a stalled loop's).
    const during = batches.slice(Math.max(0, batchesBefore - 1)).map((b) => b.at);
    for (let i = 1; i < during.length; i++) expect(during[i]! - during[i - 1]!).toBeLessThan(3500);

    const listed = await (hub as Client).emitWithAck('models:list');
    if (!listed.ok) throw new Error(listed.msg);
    expect(listed.data.length).toBe(listedBefore.data.length + 1);
    const version = listed.data.find((v) => v.id === final.versionId);
    expect(version).toMatchObject({ target: 'binary', sourceFormat: 'nsl-kdd', active: false });
    const details = await (socket as unknown as DetailsClient).emitWithAck('models:details', { id: final.versionId! });
    if (!details.ok) throw new Error(details.msg);
    const heldOut = details.data.testSets['held-out'];
    expect(heldOut?.confusion?.classes.sort()).toEqual([...version!.classes].sort());
    // The confusion matrix covers every held-out row the metrics were computed on.
    expect(heldOut!.confusion!.matrix.flat().reduce((a, b) => a + b, 0)).toBe(heldOut!.rows);
    expect(details.data.topFeatures.length).toBeGreaterThan(0);
    const unknown = await (socket as unknown as DetailsClient).emitWithAck('models:details', { id: '../etc' });
    expect(unknown.ok).toBe(false);
    const status = await socket.emitWithAck('training:status');
    expect(status).toMatchObject({ ok: true, data: { jobId: started.data.jobId, status: 'done' } });

    // Cancel: a long family run, stopped after its first round.
    const long = await socket.emitWithAck('training:start', { datasets: [kddSlice], target: 'family', trees: 2000, maxDepth: 6 });
    if (!long.ok) throw new Error(long.msg);
    await waitFor('a first round', () => progress.some((p) => p.jobId === long.data.jobId && p.round >= 1), 60_000);
    // Three batches while the worker trains: the 2 s cadence holds (a stalled loop would stretch the gaps).
    const fromBatch = batches.length;
    await waitFor('three batches during training', () => batches.length >= fromBatch + 3, 20_000);
    expect(done.some((d) => d.jobId === long.data.jobId)).toBe(false);
    const gaps = batches.slice(fromBatch - 1).map((b, i, all) => (i === 0 ? 0 : b.at - all[i - 1]!.at)).slice(1);
    for (const gap of gaps) expect(gap).toBeLessThan(3000);
    const cancelled = await socket.emitWithAck('training:cancel');
    expect(cancelled).toMatchObject({ ok: true, data: { jobId: long.data.jobId, status: 'cancelled' } });
    expect(readdirSync(join(server.dataDir, 'training'))).toEqual([]);
    const after = await (hub as Client).emitWithAck('models:list');
    if (!after.ok) throw new Error(after.msg);
    expect(after.data.length).toBe(listedBefore.data.length + 1);
    expect(existsSync(join(server.dataDir, 'training', long.data.jobId))).toBe(false);
    socket.disconnect();
    other.disconnect();
  }, 120_000);
});
