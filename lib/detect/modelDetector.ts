/**
 * The flow model as a detector: each finished flow's features go into a Float32 batch in the
 * model's column order; full batches (or the ones a timer flushes) go to the scoring thread
 * (scoringThread.ts: the model and an input cache on the other core), and every flow the model
 * flags becomes evidence (lib/detect/evidence.ts) for evidence fusion, never an alert on its own.
 * The attacker of a flow is its initiator. `featureSources` is the one check that the live flow
 * engine can feed a model.
 */
import { formatAddress } from '../decode/formatAddress.ts';
import type { ModelMetadata } from '../model/export/modelMetadata.ts';
import { flowIdText } from '../flows/correctedFormat.ts';
import { type FeatureFormat } from '../flows/featureFormat.ts';
import type { FlowView } from '../flows/flowView.ts';
import type { Evidence } from './evidence.ts';
import { isBenignFamily, type VerdictBatch } from './flowVerdicts.ts';
import { protocolName } from './ruleDetector.ts';
import type { ScoringThread } from './scoringThread.ts';
import type { ThreatCategory } from './threatEvent.ts';

export { isBenignFamily } from './flowVerdicts.ts';

/** Where each model feature comes from in the format's row. */
interface FeatureSource {
  column: number;
  /** For a categorical feature: its dictionary (value = index); the flow's text comes from the format. */
  dictionary?: Map<string, number>;
}

/**
 * What a batch keeps of each flow besides its model row, in typed arrays (one set per batch, none
 * per flow): enough to name the flow in evidence when the model flags it. Text is made only then.
 */
class FlowBatch {
  count = 0;
  /** Wall-clock ms when the batch's first flow left the flow table. */
  firstEndedAt = 0;
  readonly rows: Float32Array;
  readonly addresses: Uint32Array;
  readonly ipVersion: Uint8Array;
  readonly protocol: Uint8Array;
  readonly ports: Uint16Array;
  /** Per flow: last packet ms, first packet ms, packets to server/client, bytes to server/client. */
  readonly numbers: Float64Array;

  constructor(
    readonly capacity: number,
    readonly featureCount: number,
  ) {
    this.rows = new Float32Array(capacity * featureCount);
    this.addresses = new Uint32Array(capacity * 8);
    this.ipVersion = new Uint8Array(capacity);
    this.protocol = new Uint8Array(capacity);
    this.ports = new Uint16Array(capacity * 2);
    this.numbers = new Float64Array(capacity * NUMBERS);
  }

  address(i: number, side: 0 | 1): string {
    return formatAddress(this.addresses.subarray(i * 8 + side * 4, i * 8 + side * 4 + 4), this.ipVersion[i]!);
  }
}
const NUMBERS = 6;

const knownCategories = new Set<ThreatCategory>(['Network', 'Reconnaissance', 'Application', 'Web', 'Endpoint', 'DNS', 'Unknown']);

export interface ModelDetectorOptions {
  batchSize?: number;
  /** Flows below this attack probability are not evidence (fusion's flowFloor); they are only counted. */
  minConfidence: number;
  /**
   * Live capture: flows waiting for the model beyond which finished flows are sampled (see
   * adjustSampling). Unset for a file replay, which pauses its reader instead and scores every flow.
   */
  sampleAbove?: number;
  /** `observedAt`: wall-clock ms when the earliest of these flows left the flow table. */
  onEvidence(evidence: Evidence[], observedAt: number): void;
  onError(error: unknown): void;
}

/**
 * Checks that `format` can feed `metadata`'s model and returns the column of every feature,
 * or throws an Error saying which features the live engine cannot produce.
 */
export function featureSources(format: FeatureFormat, metadata: Pick<ModelMetadata, 'featureNames' | 'categories' | 'versionId'>): FeatureSource[] {
  const columns = new Map(format.columns.map((column, index) => [column.name, { index, kind: column.kind }]));
  const missing: string[] = [];
  const sources = metadata.featureNames.map((name) => {
    const column = columns.get(name);
    if (column === undefined) {
      missing.push(name);
      return { column: -1 };
    }
    const dictionary = metadata.categories[name];
    if (column.kind === 'text') {
      if (dictionary === undefined) missing.push(`${name} (text column without a dictionary)`);
      return { column: column.index, dictionary: new Map((dictionary ?? []).map((value, i) => [value, i])) };
    }
    return { column: column.index };
  });
  if (missing.length > 0) {
    throw new Error(
      `model ${metadata.versionId} needs features the live "${format.name}" flow format does not produce: ${missing.join(', ')}`,
    );
  }
  return sources;
}

/** Flows waiting for the model beyond which live detection samples instead of queueing. */
export const DEFAULT_SAMPLE_ABOVE = 32_768;
/** Batches kept for reuse once their verdicts are in. */
const MAX_FREE_BATCHES = 8;
/** At most one flow in this many is scored while detection is behind. */
const MAX_SAMPLING_INTERVAL = 1024;

export class ModelDetector {
  private readonly featureCount: number;
  private readonly batchSize: number;
  private batch: FlowBatch;
  private readonly formatRow: Float64Array;
  private readonly addressWords = new Uint32Array(4);
  private inFlight: Promise<void> = Promise.resolve();
  /** Batches whose verdicts are in, kept for reuse (a flood fills one every few milliseconds). */
  private readonly freeBatches: FlowBatch[] = [];
  /** Evidence summary text per (class, confidence in hundredths): a flood repeats a handful. */
  private readonly summaries = new Map<number, string>();
  /** One promise per batch sent and not yet answered, oldest first. */
  private readonly batchesInFlight: Promise<void>[] = [];
  private queued = 0;
  /** Live sampling: one flow in `samplingInterval` is scored; 1 while detection keeps up. */
  private samplingInterval = 1;
  private sinceSampled = 0;
  flowsScored = 0;
  /** Flows whose attack probability reached minConfidence (handed to fusion as evidence). */
  flowsFlagged = 0;
  /** Flows answered by the input cache without running the model. */
  cacheHits = 0;
  /** Live only: finished flows not scored because detection fell behind (sampled out). */
  flowsSampledOut = 0;

  constructor(
    private readonly scoring: ScoringThread,
    private readonly format: FeatureFormat,
    private readonly sources: FeatureSource[],
    private readonly options: ModelDetectorOptions,
  ) {
    this.featureCount = sources.length;
    this.batchSize = options.batchSize ?? 1024;
    this.batch = new FlowBatch(this.batchSize, this.featureCount);
    this.formatRow = new Float64Array(format.columns.length);
  }

  /** Share of finished flows being scored now (1 until live detection falls behind). */
  get samplingShare(): number {
    return 1 / this.samplingInterval;
  }

  /** Adds a finished flow; call once per flow, inside the flow table's callback. */
  add(flow: FlowView): void {
    if (this.samplingInterval > 1) {
      if (++this.sinceSampled < this.samplingInterval) {
        this.flowsSampledOut++;
        return;
      }
      this.sinceSampled = 0;
    }
    const batch = this.batch;
    const i = batch.count++;
    if (i === 0) batch.firstEndedAt = Date.now();
    this.format.fillRow(flow, this.formatRow);
    const rows = batch.rows;
    const base = i * this.featureCount;
    for (let j = 0; j < this.featureCount; j++) {
      const source = this.sources[j]!;
      if (source.dictionary === undefined) {
        rows[base + j] = this.formatRow[source.column]!;
      } else {
        const code = source.dictionary.get(this.format.text(flow, source.column, TEXT_CONTEXT));
        rows[base + j] = code === undefined ? NaN : code;
      }
    }
    this.copyAddress(flow, 0, batch.addresses, i * 8);
    this.copyAddress(flow, 1, batch.addresses, i * 8 + 4);
    batch.ipVersion[i] = flow.ipVersion;
    batch.protocol[i] = flow.protocol;
    batch.ports[i * 2] = flow.srcPort;
    batch.ports[i * 2 + 1] = flow.dstPort;
    const n = i * NUMBERS;
    batch.numbers[n] = flow.lastUs / 1000;
    batch.numbers[n + 1] = flow.startUs / 1000;
    batch.numbers[n + 2] = flow.fwdPackets;
    batch.numbers[n + 3] = flow.bwdPackets;
    batch.numbers[n + 4] = flow.fwdBytes;
    batch.numbers[n + 5] = flow.bwdBytes;
    if (batch.count === this.batchSize) this.flush();
  }

  /** Through one scratch array: a subarray per flow would be two allocations per flow. */
  private copyAddress(flow: FlowView, side: 0 | 1, out: Uint32Array, at: number): void {
    const words = flow.copyAddress(side, this.addressWords);
    out[at] = words[0]!;
    out[at + 1] = words[1]!;
    out[at + 2] = words[2]!;
    out[at + 3] = words[3]!;
  }

  /** Sends what is pending to the model; the returned promise settles when every batch so far is scored. */
  flush(): Promise<void> {
    const batch = this.batch;
    if (batch.count > 0) {
      const count = batch.count;
      this.batch = this.freeBatches.pop() ?? new FlowBatch(this.batchSize, this.featureCount);
      this.queued += count;
      this.adjustSampling();
      // The rows go to the scoring thread (transferred); the batch keeps the rest for the verdicts.
      const scored = this.scoring.verdicts(batch.rows.slice(0, count * this.featureCount), count);
      // Verdicts are handled in the order batches were sent, so evidence keeps the order flows finished in.
      const done = this.inFlight
        .then(() => scored)
        .then((verdicts) => this.acceptVerdicts(batch, verdicts), (error: unknown) => this.options.onError(error))
        .finally(() => {
          // Its flows are evidence now (or nothing): the batch's arrays take the next flows.
          batch.count = 0;
          if (this.freeBatches.length < MAX_FREE_BATCHES) this.freeBatches.push(batch);
          this.queued -= count;
          this.batchesInFlight.shift();
          this.adjustSampling();
        });
      this.inFlight = done;
      this.batchesInFlight.push(done);
    } else {
      this.adjustSampling();
    }
    return this.inFlight;
  }

  /**
   * Resolves once at most `flows` flows wait for the model (a file replay's reader waits here):
   * the scoring thread keeps working on the rest while the reader goes on.
   */
  async waitUntilBacklogAtMost(flows: number): Promise<void> {
    if (this.batch.count > 0 && this.backlog > flows) this.flush();
    while (this.queued > flows && this.batchesInFlight.length > 0) await this.batchesInFlight[0];
  }


  /** Flows handed to the model and not yet scored. */
  get backlog(): number {
    return this.queued + this.batch.count;
  }

  /**
   * Live only: while more flows wait than `sampleAbove`, score one in twice as many (as sFlow and
   * nProbe sample); halve the interval again while the backlog is under a quarter, and score every
   * flow once nothing waits. Runs when a batch is sent, when one is answered and on every flush
   * (the monitor's 250 ms timer), so sampling never outlives the backlog: a brute force right
   * after a flood is scored in full. Bounds the memory and the delay between a flow's end and its
   * verdict whatever the load.
   */
  private adjustSampling(): void {
    const limit = this.options.sampleAbove;
    if (limit === undefined) return;
    if (this.queued > limit) this.samplingInterval = Math.min(MAX_SAMPLING_INTERVAL, this.samplingInterval * 2);
    else if (this.queued === 0) this.samplingInterval = 1;
    else if (this.queued < limit / 4 && this.samplingInterval > 1) this.samplingInterval /= 2;
  }

  /** The family table of the model last seen, by version (built once per model, not per batch). */
  private families: { versionId: string; family: (string | null)[]; category: ThreatCategory[] } | null = null;

  private familiesOf(metadata: ModelMetadata) {
    if (this.families?.versionId !== metadata.versionId) {
      this.summaries.clear();
      this.families = {
        versionId: metadata.versionId,
        family: metadata.classNames.map((name) => {
          const family = metadata.classFamilies[name]?.family ?? name;
          return isBenignFamily(family) ? null : family;
        }),
        category: metadata.classNames.map((name) => {
          const category = metadata.classFamilies[name]?.threatCategory as ThreatCategory | undefined;
          return category !== undefined && knownCategories.has(category) ? category : 'Unknown';
        }),
      };
    }
    return this.families;
  }

  private summaryOf(classIndex: number, className: string, family: string, confidence: number): string {
    const hundredths = Math.round(confidence * 100);
    const key = classIndex * 1000 + hundredths;
    let summary = this.summaries.get(key);
    if (summary === undefined) {
      const shown = (hundredths / 100).toFixed(2);
      summary = className === family ? `flow scored ${family} (${shown})` : `flow scored ${className} (${family}, ${shown})`;
      this.summaries.set(key, summary);
    }
    return summary;
  }

  private acceptVerdicts(batch: FlowBatch, verdicts: VerdictBatch): void {
    this.flowsScored += batch.count;
    this.cacheHits += verdicts.cacheHits;
    const metadata = this.scoring.metadata;
    // A swap may land while the batch is scored; a batch scored by the previous model is judged
    // by that model's classes only if they are still known here.
    if (verdicts.modelVersion !== metadata.versionId) return this.options.onError(new Error(`batch scored by model ${verdicts.modelVersion}, now ${metadata.versionId}: its verdicts are dropped`));
    const table = this.familiesOf(metadata);
    const evidence: Evidence[] = [];
    for (let i = 0; i < batch.count; i++) {
      const confidence = verdicts.confidence[i]!;
      if (confidence < this.options.minConfidence) continue;
      const classIndex = verdicts.classIndex[i]!;
      const family = classIndex < 0 ? null : table.family[classIndex]!;
      if (family === null) continue;
      const className = metadata.classNames[classIndex]!;
      const sourceIp = batch.address(i, 0);
      const destinationIp = batch.address(i, 1);
      const sourcePort = batch.ports[i * 2]!;
      const destinationPort = batch.ports[i * 2 + 1]!;
      const protocol = batch.protocol[i]!;
      const n = i * NUMBERS;
      evidence.push({
        time: batch.numbers[n]!,
        attacker: sourceIp,
        family,
        category: table.category[classIndex]!,
        target: destinationIp,
        destinationPort,
        protocol: protocolName(protocol),
        confidence,
        detector: 'model',
        modelVersion: verdicts.modelVersion,
        flowId: flowIdText(sourceIp, destinationIp, sourcePort, destinationPort, protocol),
        flow: {
          sourcePort,
          startMs: batch.numbers[n + 1]!,
          packetsToServer: batch.numbers[n + 2]!,
          packetsToClient: batch.numbers[n + 3]!,
          bytesToServer: batch.numbers[n + 4]!,
          bytesToClient: batch.numbers[n + 5]!,
        },
        summary: this.summaryOf(classIndex, className, family, confidence),
      });
    }
    this.flowsFlagged += evidence.length;
    if (evidence.length > 0) this.options.onEvidence(evidence, batch.firstEndedAt);
  }
}

const TEXT_CONTEXT = { rowNumber: 0, utcOffsetMinutes: 0, label: '' };
