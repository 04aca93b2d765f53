import { createReadStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Evidence } from '../../lib/detect/evidence.ts';
import { runTraining } from '../../lib/model/train/trainingRun.ts';
import { Monitor } from '../../lib/monitor/monitor.ts';
import { ACTIVE_FILE } from '../../lib/registry/activeState.ts';
import { liveCompatibility } from '../../lib/registry/liveCompatibility.ts';
import { ModelRegistry } from '../../lib/registry/modelRegistry.ts';
import { readModelMetadata } from '../../lib/registry/modelVersion.ts';
import { openStore, type Store } from '../../lib/store/index.ts';
import { sharedDataset } from '../sharedDatasets.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const shipped = join(repo, 'trained_models');
const portscan = sharedDataset('pcaps/ppa-markofu/portscan.pcap.gz');

/** Every `stride`-th data row of a gzipped CSV (header kept): a real slice spread over the file's classes. */
async function strideSlice(source: string, stride: number, target: string): Promise<void> {
  const lines: string[] = [];
  let index = 0;
  for await (const line of createInterface({ input: createReadStream(source).pipe(createGunzip()) })) {
    if (index === 0 || index % stride === 0) lines.push(line);
    index++;
  }
  writeFileSync(target, `${lines.join('\n')}\n`);
}

async function idOf(folder: string): Promise<string> {
  return (await readModelMetadata(join(shipped, folder))).versionId;
}

describe('model registry', () => {
  let work: string;
  let registryDir: string;
  let registry: ModelRegistry;
  let store: Store;
  let monitor: Monitor;
  let cicId: string;
  let binaryId: string;
  let familyId: string;
  let liveId: string;
  // The model's flow verdicts as they reach evidence fusion.
  const events: Evidence[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'netguard-registry-'));
    registryDir = join(work, 'models');
    [cicId, binaryId, familyId, liveId] = await Promise.all(
      ['cic2017-corrected-family', 'nsl-kdd-binary', 'nsl-kdd-family', 'live-corrected-family'].map(idOf),
    );
    registry = await ModelRegistry.open({ directory: registryDir, shippedModelsDirectory: shipped });
    store = openStore(join(work, 'netguard.db'));
    monitor = await Monitor.create({
      store,
      modelDirectory: await registry.startupModelDirectory(join(shipped, 'cic2017-corrected-family')),
      samplesDirectory: work,
      log: () => undefined,
      onEvidence: (batch) => events.push(...batch),
    });
    registry.setActivator(monitor);
  }, 30_000);

  afterAll(async () => {
    await monitor?.stop();
    store?.close();
  });

  it('registers the shipped models at first start with their metrics and live capability', async () => {
    const versions = await registry.list();
    expect(versions.map((v) => v.id).sort()).toEqual([cicId, binaryId, familyId, liveId].sort());
    for (const folder of ['cic2017-corrected-family', 'nsl-kdd-binary', 'nsl-kdd-family', 'live-corrected-family']) {
      const version = versions.find((v) => v.name === folder)!;
      expect(version, folder).toBeDefined();
      const metrics = JSON.parse(readFileSync(join(registryDir, version.id, 'metrics.json'), 'utf8')) as {
        testSets: Record<string, { accuracy: number; macroF1: number }>;
      };
      for (const headline of version.metrics) {
        expect(headline.accuracy).toBe(metrics.testSets[headline.testSet]!.accuracy);
        expect(headline.macroF1).toBe(metrics.testSets[headline.testSet]!.macroF1);
      }
      expect(version.metrics.length).toBe(Object.keys(metrics.testSets).length);
      expect(version.live.capable).toBe(true);
      expect(version.datasets.length).toBeGreaterThan(0);
    }
    const kdd = versions.find((v) => v.id === binaryId)!;
    expect(kdd.featureFormat).toBe('kdd');
    expect(kdd.live.note).toContain('hot, num_failed_logins, logged_in');
    expect(kdd.decisionThreshold).toBeGreaterThan(0);
    expect(versions.find((v) => v.id === cicId)!.live.note).toBeUndefined();
    expect(registry.activeVersion()).toBe(cicId);
    expect(versions.filter((v) => v.active).map((v) => v.id)).toEqual([cicId]);
  });

  it('activates NSL-KDD binary: the status and the replayed capture\'s model flow verdicts carry its version', async () => {
    expect(monitor.snapshot().status.modelVersion).toBe(cicId);
    const result = await registry.activate(binaryId);
    expect(result).toMatchObject({ versionId: binaryId, appliesTo: 'now' });
    expect(result.note).toContain('always 0 live');
    expect(monitor.snapshot().status.modelVersion).toBe(binaryId);
    expect(registry.activeVersion()).toBe(binaryId);

    events.length = 0;
    await monitor.start({ source: { kind: 'file', path: portscan, speed: 'max' } });
    await monitor.finished();
    const modelEvents = events.filter((e) => e.detector === 'model');
    expect(modelEvents.length).toBeGreaterThan(0);
    expect(new Set(modelEvents.map((e) => e.modelVersion))).toEqual(new Set([binaryId]));
  }, 30_000);

  it('a model of another feature format activated during a session applies from the next session', async () => {
    events.length = 0;
    // Recorded speed: the 2.8 s capture is still running when the CIC model is activated.
    await monitor.start({ source: { kind: 'file', path: portscan, speed: 'recorded' } });
    const result = await registry.activate(cicId);
    expect(result).toMatchObject({ versionId: cicId, appliesTo: 'next-session' });
    expect(monitor.snapshot().status.modelVersion).toBe(binaryId);
    await monitor.finished();
    const during = events.filter((e) => e.detector === 'model');
    expect(during.length).toBeGreaterThan(0);
    expect(new Set(during.map((e) => e.modelVersion))).toEqual(new Set([binaryId]));

    await monitor.start({ source: { kind: 'file', path: portscan, speed: 'max' } });
    expect(monitor.snapshot().status.modelVersion).toBe(cicId);
    await monitor.finished();
  }, 30_000);

  it('rolls back to the previous version, and back again', async () => {
    expect(registry.activeVersion()).toBe(cicId);
    const back = await registry.rollback();
    expect(back).toMatchObject({ versionId: binaryId, appliesTo: 'now' });
    expect(monitor.snapshot().status.modelVersion).toBe(binaryId);
    expect(registry.activeVersion()).toBe(binaryId);
    const first = await registry.rollback();
    expect(first.versionId).toBe(cicId);
    expect(monitor.snapshot().status.modelVersion).toBe(cicId);
    await expect(registry.rollback()).rejects.toThrow(/no earlier model version/);
  });

  it('refuses to delete the active version and deletes another', async () => {
    await expect(registry.delete(cicId)).rejects.toThrow(/is the active model/);
    expect(existsSync(join(registryDir, cicId, 'model.onnx'))).toBe(true);
    await registry.delete(familyId);
    expect((await registry.list()).map((v) => v.id)).not.toContain(familyId);
    await expect(registry.delete(familyId)).rejects.toThrow(/no model version/);
    await expect(registry.activate('../escape')).rejects.toThrow(/not a model version id/);
  });

  it('refuses a UNSW-NB15 model for live monitoring with the reason', async () => {
    const slice = join(work, 'unsw-slice.csv');
    await strideSlice(sharedDataset('unsw-nb15/UNSW_NB15_training-set.csv.gz'), 40, slice);
    const run = await runTraining({
      trainPaths: [slice],
      target: 'binary',
      config: { trees: 5, maxDepth: 3 },
      outDir: join(work, 'unsw-tiny'),
    });
    expect(run.metadata.featureFormat).toBeNull();
    const id = await registry.register(join(work, 'unsw-tiny'));
    const version = await registry.get(id);
    expect(version.name).toBe('unsw-tiny');
    expect(version.sourceFormat).toBe('unsw-nb15');
    expect(version.live.capable).toBe(false);
    expect(version.live.reason).toMatch(/unsw-nb15 features, which the live flow engine cannot produce/);
    await expect(registry.activate(id)).rejects.toThrow(/cannot run on live traffic: .*unsw-nb15/);
    expect(registry.activeVersion()).toBe(cicId);
    expect(monitor.snapshot().status.modelVersion).toBe(cicId);
    // A kdd-format model whose features the format cannot produce is refused naming them.
    const kdd = await readModelMetadata(join(registryDir, binaryId));
    const broken = liveCompatibility({ ...kdd, featureNames: [...kdd.featureNames, 'payload_entropy'] });
    expect(broken.capable).toBe(false);
    expect(broken.reason).toContain('payload_entropy');
    const badThreshold = liveCompatibility({ ...kdd, metrics: { ...kdd.metrics, decisionThreshold: { benignClass: 'benign', threshold: 0.5, method: 'x' } } });
    expect(badThreshold).toMatchObject({ capable: false });
    expect(badThreshold.reason).toMatch(/benign class 'benign'/);
  }, 60_000);

  it('compares two versions on the same test data as their training run did', async () => {
    const registered = await registry.register(join(shipped, 'nsl-kdd-family'), 'family-again');
    expect(registered).toBe(familyId);
    const comparison = await registry.compare(binaryId, familyId, [sharedDataset('nsl-kdd/KDDTest+.txt.gz')]);
    for (const side of [comparison.a, comparison.b]) {
      const recorded = JSON.parse(readFileSync(join(registryDir, side.id, 'metrics.json'), 'utf8')) as {
        testSets: Record<string, { rows: number; accuracy: number; macroF1: number }>;
      };
      expect(side.report.rows).toBe(recorded.testSets['KDDTest+']!.rows);
      expect(comparison.rows).toBe(recorded.testSets['KDDTest+']!.rows);
      expect(side.report.accuracy).toBeCloseTo(recorded.testSets['KDDTest+']!.accuracy, 9);
      expect(side.report.macroF1).toBeCloseTo(recorded.testSets['KDDTest+']!.macroF1, 9);
    }
    expect(comparison.a.report.confusion.classes).toEqual(['normal', 'attack']);
    expect(comparison.b.report.confusion.classes.length).toBe(5);
  }, 60_000);

  it('a restart keeps the active version', async () => {
    await registry.activate(binaryId);
    const state = JSON.parse(readFileSync(join(registryDir, ACTIVE_FILE), 'utf8')) as { active: string };
    expect(state.active).toBe(binaryId);
    const reopened = await ModelRegistry.open({ directory: registryDir, shippedModelsDirectory: shipped });
    expect(reopened.activeVersion()).toBe(binaryId);
    // The deleted shipped model stays deleted (only the first start copies them in).
    expect(await reopened.startupModelDirectory(join(shipped, 'cic2017-corrected-family'))).toBe(join(registryDir, binaryId));
    const restarted = await Monitor.create({ store, modelDirectory: join(registryDir, binaryId), samplesDirectory: work, log: () => undefined });
    expect(restarted.snapshot().status.modelVersion).toBe(binaryId);
  });
});
