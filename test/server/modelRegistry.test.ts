import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, repoRoot, type RunningServer, samplesDirectory, sharedDataset, sharedDatasetsDir, startServer, waitFor } from './serverProcess.ts';

const idOf = (folder: string) =>
  (JSON.parse(readFileSync(join(repoRoot, 'trained_models', folder, 'model.json'), 'utf8')) as { versionId: string }).versionId;

describe('server: model registry over Socket.IO', () => {
  let server: RunningServer;
  const samples = samplesDirectory(['pcaps/ppa-markofu/portscan.pcap.gz']);
  const cicId = idOf('cic2017-corrected-family');
  // The default live model (NETGUARD_MODEL's default).
  const liveId = idOf('live-corrected-family');
  const binaryId = idOf('nsl-kdd-binary');
  const familyId = idOf('nsl-kdd-family');

  beforeAll(async () => {
    server = await startServer({ samplesDir: samples, env: { NETGUARD_ALLOWED_DIRS: sharedDatasetsDir } });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('lists, activates (batches and stored threats carry the new version), refuses, rolls back, and keeps the choice over a restart', async () => {
    const { socket, state, batches } = await connect(server.url);
    expect(state.status.modelVersion).toBe(liveId);
    const listed = await socket.emitWithAck('models:list');
    if (!listed.ok) throw new Error(listed.msg);
    expect(listed.data.map((v) => v.id).sort()).toEqual([liveId, cicId, binaryId, familyId].sort());
    expect(listed.data.find((v) => v.active)?.id).toBe(liveId);

    const activated = await socket.emitWithAck('models:activate', { id: binaryId });
    expect(activated).toMatchObject({ ok: true, data: { versionId: binaryId, appliesTo: 'now' } });
    await waitFor('a batch with the new model version', () => batches.some(({ batch }) => batch.status.modelVersion === binaryId), 10_000);

    const started = await socket.emitWithAck('monitor:start', { source: { kind: 'sample', name: 'portscan.pcap.gz', speed: 'max' } });
    if (!started.ok) throw new Error(started.msg);
    const sessionId = started.data.sessionId!;
    await waitFor('the replay to end', () => batches.some(({ batch }) => batch.status.sessionId === sessionId && !batch.status.running) || undefined, 30_000);
    const report = await (await fetch(`${server.url}/api/report.csv?session=${sessionId}`)).text();
    const rows = report.trim().split('\n').slice(1);
    expect(rows.filter((row) => row.includes(binaryId)).length).toBeGreaterThan(0);
    expect(rows.some((row) => row.includes(liveId))).toBe(false);

    const deleteActive = await socket.emitWithAck('models:delete', { id: binaryId });
    expect(deleteActive.ok).toBe(false);
    if (!deleteActive.ok) expect(deleteActive.msg).toMatch(/is the active model/);
    const unknown = await socket.emitWithAck('models:activate', { id: 'gbdt-0000000000000000' });
    expect(unknown).toEqual({ ok: false, msg: 'there is no model version "gbdt-0000000000000000"' });
    const malformed = await socket.emitWithAck('models:activate', {} as { id: string });
    expect(malformed.ok).toBe(false);

    const compared = await socket.emitWithAck('models:compare', { a: binaryId, b: familyId, dataset: sharedDataset('nsl-kdd/KDDTest-21.txt.gz') });
    if (!compared.ok) throw new Error(compared.msg);
    const recorded = JSON.parse(readFileSync(join(server.dataDir, 'models', binaryId, 'metrics.json'), 'utf8')) as {
      testSets: Record<string, { accuracy: number }>;
    };
    expect(compared.data.a.report.accuracy).toBeCloseTo(recorded.testSets['KDDTest-21']!.accuracy, 9);
    expect(compared.data.b.report.confusion.classes.length).toBe(5);

    const beforeRollback = batches.length;
    const rolledBack = await socket.emitWithAck('models:rollback');
    expect(rolledBack).toMatchObject({ ok: true, data: { versionId: liveId, appliesTo: 'now' } });
    await waitFor('a batch with the previous version', () => batches.slice(beforeRollback).some(({ batch }) => batch.status.modelVersion === liveId), 10_000);
    expect(await socket.emitWithAck('models:activate', { id: familyId })).toMatchObject({ ok: true });
    socket.disconnect();

    expect(await server.stop()).toBe(0);
    server = await startServer({ samplesDir: samples, dataDir: server.dataDir, env: { NETGUARD_ALLOWED_DIRS: sharedDatasetsDir } });
    const again = await connect(server.url);
    expect(again.state.status.modelVersion).toBe(familyId);
    again.socket.disconnect();
  }, 120_000);
});
