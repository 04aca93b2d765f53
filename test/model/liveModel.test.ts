import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getFeatureFormat } from '../../lib/flows/featureFormats.ts';
import { isLiveExcludedFeature, LIVE_EXCLUDED_FEATURE_NAMES } from '../../lib/model/train/liveFeatures.ts';
import { modelMetadataSchema } from '../../lib/model/export/modelMetadata.ts';
import { targetMetadataSchema } from '../../lib/model/train/targetMetadata.ts';

const repo = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));
const MODEL = repo('trained_models/live-corrected-family');

describe('live model (trained_models/live-corrected-family)', () => {
  const raw = JSON.parse(readFileSync(`${MODEL}/model.json`, 'utf8'));
  const metadata = modelMetadataSchema.parse(raw);

  it('learns from none of the excluded features, and every excluded name is a real corrected column', () => {
    const corrected = new Set(getFeatureFormat('corrected').columns.map((column) => column.name));
    for (const name of LIVE_EXCLUDED_FEATURE_NAMES) expect(corrected.has(name), name).toBe(true);
    expect(metadata.featureNames.filter(isLiveExcludedFeature)).toEqual([]);
    for (const name of ['Dst Port', 'Src Port', 'FWD Init Win Bytes', 'Bwd Init Win Bytes', 'Fwd Seg Size Min', 'Timestamp']) {
      expect(metadata.featureNames).not.toContain(name);
    }
    // Every other numeric corrected column the dataset has is a feature the live engine computes.
    for (const name of metadata.featureNames) expect(corrected.has(name), name).toBe(true);
    expect(metadata.featureFormat).toBe('corrected');
  });

  it('has the live classes, benign first, with monitor families, and realistic benign weight', () => {
    expect(metadata.classNames.slice(0, 4)).toEqual(['BENIGN', 'PortScan', 'DoS', 'BruteForce']);
    expect(metadata.classNames).not.toContain('Heartbleed');
    expect(metadata.classNames).not.toContain('Infiltration');
    for (const name of metadata.classNames) expect(metadata.classFamilies[name]?.family).toBe(name);
    const target = targetMetadataSchema.parse(raw);
    expect(target.target.kind).toBe('family');
    // Benign rows carry ≥ 90 % of the training weight.
    const counts = metadata.trainingData.classCounts;
    const weights = metadata.trainer.classWeights;
    const total = metadata.classNames.reduce((sum, name, k) => sum + counts[name]! * weights[k]!, 0);
    expect((counts.BENIGN! * weights[0]!) / total).toBeGreaterThanOrEqual(0.9 - 1e-9);
    expect(metadata.trainer.config.classWeights).not.toBe('balanced');
  });

  it('records its reliability table and per-scenario figures', () => {
    const metrics = JSON.parse(readFileSync(`${MODEL}/metrics.json`, 'utf8'));
    expect(metrics.testSets['held-out'].macroF1).toBeGreaterThan(0.9);
    expect(existsSync(`${MODEL}/model.onnx`)).toBe(true);
    if (metrics.calibration) {
      expect(metrics.calibration.reliability.length).toBeGreaterThan(3);
      expect(['isotonic', 'platt']).toContain(metrics.calibration.method);
    }
  });
});
