/**
 * A model evaluated with a decision threshold (NSL-KDD: flag when 1 − P(normal) ≥ t, t ≪ 0.5)
 * flags live flows by that rule, not by argmax: the same ONNX model without the threshold in its
 * model.json flags fewer flows of the same capture, and never one at P(attack) < 0.5.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../lib/detect/evidence.ts';
import { Monitor } from '../../lib/monitor/monitor.ts';
import { openStore } from '../../lib/store/index.ts';
import { sharedDataset } from '../sharedDatasets.ts';

const binaryModel = fileURLToPath(new URL('../../trained_models/nsl-kdd-binary', import.meta.url));
const synscan = sharedDataset('pcaps/chrissanders-packets/synscan.pcapng.gz');

/** The model's flow verdicts that reached evidence fusion, with their attack probability as confidence. */
async function modelEvents(work: string, modelDirectory: string, flowFloor = 0.5): Promise<Evidence[]> {
  const store = openStore(join(work, `${Math.random().toString(36).slice(2)}.db`));
  const events: Evidence[] = [];
  try {
    const monitor = await Monitor.create({
      store, modelDirectory, samplesDirectory: work, log: () => undefined, onEvidence: (e) => events.push(...e),
      fusion: { flowFloor },
    });
    await monitor.start({ source: { kind: 'file', path: synscan, speed: 'max' } });
    await monitor.finished();
  } finally {
    store.close();
  }
  return events.filter((e) => e.detector === 'model');
}

describe('live decision threshold', () => {
  it('flags flows the way the model was evaluated (1 − P(normal) ≥ threshold)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'netguard-threshold-'));
    const argmaxModel = join(work, 'argmax');
    cpSync(binaryModel, argmaxModel, { recursive: true });
    const metadata = JSON.parse(readFileSync(join(argmaxModel, 'model.json'), 'utf8')) as { metrics: Record<string, unknown> };
    const threshold = (metadata.metrics.decisionThreshold as { threshold: number }).threshold;
    expect(threshold).toBeLessThan(0.5);
    delete metadata.metrics.decisionThreshold;
    writeFileSync(join(argmaxModel, 'model.json'), JSON.stringify(metadata));

    // Evidence needs an attack probability of 0.5 (the fusion floor); a thresholded model's scale
    // puts its threshold there, so it flags exactly the flows with P(attack) ≥ threshold.
    const withThreshold = await modelEvents(work, binaryModel);
    const withArgmax = await modelEvents(work, argmaxModel);
    expect(withArgmax.length).toBeGreaterThan(0);
    expect(withArgmax.every((e) => e.confidence >= 0.5)).toBe(true);
    expect(withThreshold.length).toBeGreaterThan(withArgmax.length);
    // Every flow (no floor): the argmax model's raw P(attack) tells which ones reach the threshold.
    const everyFlow = await modelEvents(work, argmaxModel, 0);
    expect(everyFlow.filter((e) => e.confidence >= threshold).length).toBe(withThreshold.length);
  }, 60_000);
});
