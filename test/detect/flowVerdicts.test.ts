import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FlowVerdicts, type VerdictBatch } from '../../lib/detect/flowVerdicts.ts';
import { ScoreCache } from '../../lib/detect/scoreCache.ts';
import { attackCalibrationOf, calibratedAttackProbability } from '../../lib/model/score/calibration.ts';
import { decisionThresholdOf } from '../../lib/model/score/decisionThreshold.ts';
import { Scorer } from '../../lib/model/score/scorer.ts';
import { CIC_MODEL, captureRows, distinctRowCount, KDD_BINARY_MODEL, labCapture, LIVE_MODEL, type RowBuilder, wordsOf } from './flowRows.ts';

/**
 * The cache is direct-mapped with a random seed, so which distinct rows share a slot (and evict
 * each other) is chance. The tests fix the seed (Math.random while a cache is made) and predict the
 * hits with a twin ScoreCache of the same seed and size, fed as FlowVerdicts feeds its own.
 */
const SEED_RANDOM = 0.4242;
async function seeded<T>(make: () => Promise<T>): Promise<T> {
  const random = vi.spyOn(Math, 'random').mockReturnValue(SEED_RANDOM);
  try {
    return await make();
  } finally {
    random.mockRestore();
  }
}

/** Cache hits FlowVerdicts must report for each batch, fed in order to a fresh cache. */
function predictedHits(featureCount: number, batches: Float32Array[]): number[] {
  const random = vi.spyOn(Math, 'random').mockReturnValue(SEED_RANDOM);
  const cache = new ScoreCache(featureCount);
  random.mockRestore();
  return batches.map((rows) => {
    const words = wordsOf(rows);
    const count = rows.length / featureCount;
    const hashes = Array.from({ length: count }, (_, i) => cache.hash(words, i));
    const missed = hashes.map((hash, i) => cache.find(words, i, hash) < 0);
    missed.forEach((miss, i) => miss && cache.store(words, i, hashes[i]!, 0, 0));
    return missed.filter((miss) => !miss).length;
  });
}

/**
 * What FlowVerdicts must answer, computed here from the model's raw probabilities (Scorer.score)
 * without its cache: the calibrated attack probability (lib/model/score/calibration.ts), stretched to put
 * a validated decision threshold at 0.5 for an uncalibrated model that has one, and the most
 * probable class that is not benign.
 */
async function expectedVerdicts(directory: string, rows: Float32Array): Promise<{ confidence: Float32Array; classIndex: Int16Array; raw: Float32Array }> {
  const scorer = await Scorer.load(directory);
  try {
    const { metadata } = scorer;
    const result = await scorer.score(rows);
    const classCount = metadata.classNames.length;
    const count = rows.length / metadata.featureNames.length;
    const calibration = attackCalibrationOf(metadata);
    const threshold = decisionThresholdOf(metadata);
    const benignName = calibration?.benignClass ?? threshold?.benignClass ?? metadata.classNames.find((name) => ['benign', 'normal'].includes(name.toLowerCase()));
    const benign = metadata.classNames.indexOf(benignName!);
    expect(benign).toBeGreaterThanOrEqual(0);
    const confidence = new Float32Array(count);
    const classIndex = new Int16Array(count);
    const raw = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      let p = calibratedAttackProbability(calibration, result.probabilities, i, classCount, benign);
      if (calibration === null && threshold !== null) {
        const t = threshold.threshold;
        p = p < t ? (0.5 * p) / t : 0.5 + (0.5 * (p - t)) / (1 - t);
      }
      confidence[i] = p;
      raw[i] = 1 - result.probabilities[i * classCount + benign]!;
      let best = -1;
      for (let k = 0; k < classCount; k++) {
        if (k !== benign && (best < 0 || result.probabilities[i * classCount + k]! > result.probabilities[i * classCount + best]!)) best = k;
      }
      classIndex[i] = best;
    }
    return { confidence, classIndex, raw };
  } finally {
    await scorer.close();
  }
}

function expectSameVerdicts(batch: VerdictBatch, expected: { confidence: Float32Array; classIndex: Int16Array }): void {
  expect(batch.confidence.length).toBe(expected.confidence.length);
  expect(Array.from(batch.confidence)).toEqual(Array.from(expected.confidence));
  expect(Array.from(batch.classIndex)).toEqual(Array.from(expected.classIndex));
}

describe('FlowVerdicts on the shipped live model (Platt-calibrated)', () => {
  let verdicts: FlowVerdicts;
  // A port scan (2,020 flows, nearly all alike) and a LAN where clients browse and one brute-forces SSH.
  let scan: RowBuilder;
  let mixed: RowBuilder;

  beforeAll(async () => {
    verdicts = await seeded(() => FlowVerdicts.load(LIVE_MODEL));
    expect(attackCalibrationOf(verdicts.metadata)).not.toBeNull();
    scan = await captureRows(labCapture('lo-scan-syn'), verdicts.metadata);
    mixed = await captureRows(labCapture('brute-ssh-lan-22'), verdicts.metadata);
  });
  afterAll(async () => {
    await verdicts.close();
  });

  it('gives the attack confidences and classes computed from Scorer.score, and the same again from its cache', async () => {
    const expected = await expectedVerdicts(LIVE_MODEL, mixed.rows());
    const first = await verdicts.verdicts(mixed.rows(), mixed.count);
    expect(first.modelVersion).toBe(verdicts.metadata.versionId);
    expectSameVerdicts(first, expected);
    // The capture holds both kinds: some flows flagged, some not.
    const flagged = Array.from(first.confidence).filter((c) => c >= 0.5).length;
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThan(mixed.count);

    // With this seed no two distinct rows of the capture share a slot: every row is a hit the second time.
    expect(predictedHits(mixed.featureCount, [mixed.rows(), mixed.rows()])).toEqual([first.cacheHits, mixed.count]);
    const second = await verdicts.verdicts(mixed.rows(), mixed.count);
    expect(second.cacheHits).toBe(mixed.count);
    expectSameVerdicts(second, expected);
  });

  it('answers duplicate rows within one batch alike, each as Scorer.score does', async () => {
    const fresh = await seeded(() => FlowVerdicts.load(LIVE_MODEL));
    try {
      const distinct = distinctRowCount(scan.rows(), scan.featureCount, scan.count);
      expect(distinct).toBeLessThan(scan.count / 10);
      const expected = await expectedVerdicts(LIVE_MODEL, scan.rows());
      const batch = await fresh.verdicts(scan.rows(), scan.count);
      expectSameVerdicts(batch, expected);
      // A row's twins are never answered from a stale slot: at most every twin is a hit.
      expect(batch.cacheHits).toBeLessThanOrEqual(scan.count - distinct);
      expect(predictedHits(scan.featureCount, [scan.rows(), scan.rows()])).toEqual([batch.cacheHits, scan.count]);
      const again = await fresh.verdicts(scan.rows(), scan.count);
      expect(again.cacheHits).toBe(scan.count);
      expectSameVerdicts(again, expected);
    } finally {
      await fresh.close();
    }
  });

  it('mixes cached and new rows in one batch in row order', async () => {
    const fresh = await seeded(() => FlowVerdicts.load(LIVE_MODEL));
    try {
      const half = Math.floor(mixed.count / 2);
      const [, hits] = predictedHits(mixed.featureCount, [mixed.rows(0, half), mixed.rows()]);
      await fresh.verdicts(mixed.rows(0, half), half);
      const batch = await fresh.verdicts(mixed.rows(), mixed.count);
      expect(batch.cacheHits).toBe(hits);
      expect(batch.cacheHits).toBeGreaterThanOrEqual(half);
      expect(batch.cacheHits).toBeLessThan(mixed.count);
      expectSameVerdicts(batch, await expectedVerdicts(LIVE_MODEL, mixed.rows()));
    } finally {
      await fresh.close();
    }
  });

  it('drops its cache with the model: after a swap the other model scores every row; rows that share a slot never borrow a verdict', async () => {
    const fresh = await FlowVerdicts.load(LIVE_MODEL);
    try {
      await fresh.verdicts(scan.rows(), scan.count);
      const metadata = await fresh.swap(CIC_MODEL);
      // The CIC model reads ports too: ~2,000 distinct rows, so some share a slot of 16,384.
      const cicRows = await captureRows(labCapture('lo-scan-syn'), metadata);
      const expected = await expectedVerdicts(CIC_MODEL, cicRows.rows());
      const batch = await seeded(() => fresh.verdicts(cicRows.rows(), cicRows.count));
      expect(batch.modelVersion).toBe(metadata.versionId);
      expect(batch.cacheHits).toBe(0);
      expectSameVerdicts(batch, expected);
      const [, hits] = predictedHits(cicRows.featureCount, [cicRows.rows(), cicRows.rows()]);
      expect(hits).toBeLessThan(cicRows.count);
      const again = await fresh.verdicts(cicRows.rows(), cicRows.count);
      expect(again.cacheHits).toBe(hits);
      expectSameVerdicts(again, expected);
    } finally {
      await fresh.close();
    }
  });

  it('scores an empty batch without the model', async () => {
    const batch = await verdicts.verdicts(new Float32Array(0), 0);
    expect(batch.confidence.length).toBe(0);
    expect(batch.cacheHits).toBe(0);
  });
});

describe('FlowVerdicts on the other shipped models', () => {
  it('uncalibrated (CIC-IDS2017 family): confidence is 1 − P(BENIGN)', async () => {
    const verdicts = await FlowVerdicts.load(CIC_MODEL);
    try {
      expect(attackCalibrationOf(verdicts.metadata)).toBeNull();
      expect(decisionThresholdOf(verdicts.metadata)).toBeNull();
      const flows = await captureRows(labCapture('brute-ssh-lan-22'), verdicts.metadata);
      const expected = await expectedVerdicts(CIC_MODEL, flows.rows());
      expectSameVerdicts(await verdicts.verdicts(flows.rows(), flows.count), expected);
      expectSameVerdicts(await verdicts.verdicts(flows.rows(), flows.count), expected);
    } finally {
      await verdicts.close();
    }
  });

  it('validated decision threshold (NSL-KDD binary, kdd rows with categorical features): the threshold maps to 0.5', async () => {
    const verdicts = await FlowVerdicts.load(KDD_BINARY_MODEL);
    try {
      const threshold = decisionThresholdOf(verdicts.metadata);
      expect(threshold).not.toBeNull();
      expect(Object.keys(verdicts.metadata.categories).length).toBeGreaterThan(0);
      const flows = await captureRows(labCapture('brute-ssh-lan-22'), verdicts.metadata);
      const expected = await expectedVerdicts(KDD_BINARY_MODEL, flows.rows());
      const batch = await verdicts.verdicts(flows.rows(), flows.count);
      expectSameVerdicts(batch, expected);
      // Stretched, not raw: rows flagged at the threshold but below 0.5 raw read as ≥ 0.5.
      const stretched = expected.raw.filter((p, i) => p >= threshold!.threshold && p < 0.5 && batch.confidence[i]! >= 0.5).length;
      expect(stretched).toBeGreaterThan(0);
      for (const c of batch.confidence) expect(c >= 0 && c <= 1).toBe(true);
    } finally {
      await verdicts.close();
    }
  });
});
