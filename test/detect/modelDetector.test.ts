import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PacketSource } from '../../lib/capture/frame.ts';
import type { Evidence } from '../../lib/detect/evidence.ts';
import { FlowVerdicts, isBenignFamily } from '../../lib/detect/flowVerdicts.ts';
import { featureSources, ModelDetector, type ModelDetectorOptions } from '../../lib/detect/modelDetector.ts';
import { ScoringThread } from '../../lib/detect/scoringThread.ts';
import { correctedFlowId, extractFlows, extractFlowsFromFile, flowAddressText, getFeatureFormat } from '../../lib/flows/index.ts';
import type { FlowView } from '../../lib/flows/flowView.ts';
import { heldCapture, labCapture, LIVE_MODEL, RowBuilder } from './flowRows.ts';

/** What the flow table said about a flow, read inside its callback. */
interface SeenFlow {
  flowId: string;
  source: string;
  destination: string;
  sourcePort: number;
  destinationPort: number;
  protocol: number;
  startMs: number;
  lastMs: number;
  packetsToServer: number;
  packetsToClient: number;
  bytesToServer: number;
  bytesToClient: number;
}

function seen(flow: FlowView): SeenFlow {
  return {
    flowId: correctedFlowId(flow),
    source: flowAddressText(flow, 0),
    destination: flowAddressText(flow, 1),
    sourcePort: flow.srcPort,
    destinationPort: flow.dstPort,
    protocol: flow.protocol,
    startMs: flow.startUs / 1000,
    lastMs: flow.lastUs / 1000,
    packetsToServer: flow.fwdPackets,
    packetsToClient: flow.bwdPackets,
    bytesToServer: flow.fwdBytes,
    bytesToClient: flow.bwdBytes,
  };
}

const PROTOCOL_NAMES: Record<number, string> = { 6: 'TCP', 17: 'UDP', 1: 'ICMP' };
const MIN_CONFIDENCE = 0.5;

describe('ModelDetector with a real scoring thread', () => {
  let thread: ScoringThread;
  let reference: FlowVerdicts;
  // The synflood capture held in memory: 25,087 flows finished in one turn of the event loop.
  let flood: PacketSource;

  beforeAll(async () => {
    [thread, reference, flood] = await Promise.all([
      ScoringThread.start(LIVE_MODEL),
      FlowVerdicts.load(LIVE_MODEL),
      heldCapture(labCapture('dos-synflood-lan')),
    ]);
  });
  afterAll(async () => {
    await thread?.close();
    await reference?.close();
  });

  function detector(options: Partial<ModelDetectorOptions> = {}) {
    const format = getFeatureFormat(thread.metadata.featureFormat ?? 'corrected');
    const evidence: Evidence[] = [];
    const observedAt: number[] = [];
    const errors: unknown[] = [];
    const model = new ModelDetector(thread, format, featureSources(format, thread.metadata), {
      minConfidence: MIN_CONFIDENCE,
      onEvidence: (batch, at) => {
        evidence.push(...batch);
        observedAt.push(at);
      },
      onError: (error) => errors.push(error),
      ...options,
    });
    return { model, format, evidence, observedAt, errors };
  }

  it.each(['brute-ssh-lan-22', 'lo-scan-syn'])('%s: scores every flow, and flags exactly the flows the model flags, named as the flow table named them', async (scenario) => {
    const startedAt = Date.now();
    const { model, format, evidence, observedAt, errors } = detector({ batchSize: 64 });
    const rows = new RowBuilder(format, thread.metadata);
    const flows: SeenFlow[] = [];
    await extractFlowsFromFile(labCapture(scenario), format, (flow) => {
      model.add(flow);
      rows.add(flow);
      flows.push(seen(flow));
    });
    await model.flush();
    expect(errors).toEqual([]);
    // Several batches, so evidence must keep the order flows finished in across them.
    expect(flows.length).toBeGreaterThan(2 * 64);
    expect(model.flowsScored).toBe(flows.length);
    expect(model.backlog).toBe(0);
    expect(model.flowsSampledOut).toBe(0);
    expect(model.samplingShare).toBe(1);
    expect(model.cacheHits).toBeLessThanOrEqual(model.flowsScored);

    // The verdicts of the same rows in this thread: which flows must be evidence, and how sure.
    const metadata = thread.metadata;
    const verdicts = await reference.verdicts(rows.rows(), rows.count);
    const flagged: number[] = [];
    for (let i = 0; i < rows.count; i++) {
      const classIndex = verdicts.classIndex[i]!;
      const family = classIndex < 0 ? null : (metadata.classFamilies[metadata.classNames[classIndex]!]?.family ?? metadata.classNames[classIndex]!);
      if (verdicts.confidence[i]! >= MIN_CONFIDENCE && family !== null && !isBenignFamily(family)) flagged.push(i);
    }
    expect(flagged.length).toBeGreaterThan(0);
    expect(model.flowsFlagged).toBe(flagged.length);
    expect(evidence.length).toBe(flagged.length);
    for (const at of observedAt) {
      expect(at).toBeGreaterThanOrEqual(startedAt);
      expect(at).toBeLessThanOrEqual(Date.now());
    }

    evidence.forEach((item, k) => {
      const i = flagged[k]!;
      const flow = flows[i]!;
      const className = metadata.classNames[verdicts.classIndex[i]!]!;
      expect(item.flowId).toBe(flow.flowId);
      expect(`${item.attacker}-${item.target}-${item.flow?.sourcePort}-${item.destinationPort}-${flow.protocol}`).toBe(flow.flowId);
      expect(item).toMatchObject({
        attacker: flow.source,
        target: flow.destination,
        destinationPort: flow.destinationPort,
        protocol: PROTOCOL_NAMES[flow.protocol],
        time: flow.lastMs,
        confidence: verdicts.confidence[i],
        detector: 'model',
        modelVersion: metadata.versionId,
        family: metadata.classFamilies[className]?.family ?? className,
        category: metadata.classFamilies[className]?.threatCategory,
        flow: {
          sourcePort: flow.sourcePort,
          startMs: flow.startMs,
          packetsToServer: flow.packetsToServer,
          packetsToClient: flow.packetsToClient,
          bytesToServer: flow.bytesToServer,
          bytesToClient: flow.bytesToClient,
        },
      });
      expect(item.summary).toContain(item.family);
    });
  });

  it('live flood with sampleAbove: flows beyond the backlog limit are sampled out and counted, every flow accounted for', async () => {
    const { model, format, evidence, errors } = detector({ sampleAbove: 2_000 });
    let added = 0;
    await extractFlows(flood, format, (flow) => {
      model.add(flow);
      added++;
    });
    // No verdict could come back while the flows finished: the backlog went over the limit.
    expect(model.samplingShare).toBeLessThan(1);
    expect(model.flowsSampledOut).toBeGreaterThan(0);
    await model.flush();
    expect(errors).toEqual([]);
    expect(added).toBeGreaterThan(20_000);
    expect(model.flowsScored).toBeGreaterThan(0);
    expect(model.flowsScored + model.flowsSampledOut).toBe(added);
    expect(model.flowsScored).toBeLessThan(added / 2);
    expect(evidence.length).toBe(model.flowsFlagged);
    expect(evidence.length).toBeLessThanOrEqual(model.flowsScored);
  });

  // Found by this test (the interval was adjusted only when a batch was sent, so once a flood had
  // drained the share stayed at 1/32 and a brute force right after was 97 % sampled out).
  it('after a flood has drained, the flows that finish next are scored again (sampling does not outlive the backlog)', async () => {
    const { model, format, errors } = detector({ sampleAbove: 2_000 });
    await extractFlows(flood, format, (flow) => model.add(flow));
    await model.flush();
    expect(model.backlog).toBe(0);
    const sampledOut = model.flowsSampledOut;
    const scored = model.flowsScored;
    let added = 0;
    await extractFlowsFromFile(labCapture('lo-brute-ssh'), format, (flow) => {
      model.add(flow);
      added++;
    });
    await model.flush();
    expect(errors).toEqual([]);
    expect(added).toBe(100);
    expect(model.flowsScored - scored + (model.flowsSampledOut - sampledOut)).toBe(added);
    expect(model.flowsScored - scored).toBeGreaterThanOrEqual(0.9 * added);
  });

  it('without sampleAbove (a file replay) nothing is sampled; waitUntilBacklogAtMost(n) resolves with at most n waiting', async () => {
    const { model, format, errors } = detector();
    let added = 0;
    await extractFlows(flood, format, (flow) => {
      model.add(flow);
      added++;
    });
    expect(model.samplingShare).toBe(1);
    expect(model.flowsSampledOut).toBe(0);
    expect(model.backlog).toBe(added);
    expect(model.flowsScored).toBe(0);

    for (const limit of [16_384, 4_096, 1_000, 0]) {
      await model.waitUntilBacklogAtMost(limit);
      expect(model.backlog).toBeLessThanOrEqual(limit);
      expect(model.flowsScored + model.backlog).toBe(added);
    }
    await model.flush();
    expect(errors).toEqual([]);
    expect(model.flowsSampledOut).toBe(0);
    expect(model.flowsScored).toBe(added);
    expect(model.cacheHits).toBeGreaterThan(added / 2);
  });
});
