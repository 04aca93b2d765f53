/**
 * Turns finished flows into model threat events: each flow's features go into a Float32 batch in
 * the model's column order; full batches (or the ones a timer flushes) are scored off the event
 * loop by onnxruntime, and every flow the model calls non-benign becomes a ThreatEvent.
 */
import { randomUUID } from 'node:crypto';
import type { ThreatCategory, ThreatEvent } from '../detect/threatEvent.ts';
import { severityFor, type SeverityThresholds } from '../detect/threatEvent.ts';
import { flowIdText } from '../flows/correctedFormat.ts';
import { type FeatureFormat, flowAddressText } from '../flows/featureFormat.ts';
import type { FlowView } from '../flows/flowView.ts';
import type { Scorer } from '../model/scorer.ts';
import type { ModelMetadata } from '../model/modelMetadata.ts';
import { applyDecisionThreshold, type DecisionThreshold, decisionThresholdOf } from '../model/decisionThreshold.ts';

/** Where each model feature comes from in the format's row. */
interface FeatureSource {
  column: number;
  /** For a categorical feature: its dictionary (value = index); the flow's text comes from the format. */
  dictionary?: Map<string, number>;
}

interface PendingFlow {
  time: number;
  sourceIp: string;
  destinationIp: string;
  destinationPort: number;
  protocol: number;
  flowId: string;
  /** Wall-clock ms when the flow left the flow table. */
  endedAt: number;
}

const protocolNames: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6' };
export const protocolName = (protocol: number): string => protocolNames[protocol] ?? String(protocol);

const knownCategories = new Set<ThreatCategory>(['Network', 'Reconnaissance', 'Application', 'Web', 'Endpoint', 'DNS', 'Unknown']);

export function isBenignFamily(family: string): boolean {
  const f = family.toLowerCase();
  return f === 'benign' || f === 'normal';
}

/** Families that are about a victim rather than an actor: their incidents group by destination. */
const victimFamilies = new Set(['DoS', 'DDoS']);

export interface FlowScorerOptions {
  batchSize?: number;
  severity?: SeverityThresholds;
  /** `observedAt`: wall-clock ms when the earliest of these flows left the flow table. */
  onEvents(events: ThreatEvent[], observedAt: number): void;
  onError(error: unknown): void;
}

/**
 * Checks that `format` can feed `metadata`'s model and returns the column of every feature,
 * or throws an Error saying which features the live engine cannot produce.
 */
export function featureSources(format: FeatureFormat, metadata: ModelMetadata): FeatureSource[] {
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

export class FlowScorer {
  private readonly featureCount: number;
  private readonly batchSize: number;
  private rows: Float32Array;
  private pending: PendingFlow[] = [];
  private readonly formatRow: Float64Array;
  private inFlight: Promise<void> = Promise.resolve();
  private queued = 0;
  flowsScored = 0;

  constructor(
    private readonly scorer: Scorer,
    private readonly format: FeatureFormat,
    private readonly sources: FeatureSource[],
    private readonly options: FlowScorerOptions,
  ) {
    this.featureCount = sources.length;
    this.batchSize = options.batchSize ?? 1024;
    this.rows = new Float32Array(this.batchSize * this.featureCount);
    this.formatRow = new Float64Array(format.columns.length);
  }

  /** Adds a finished flow; call once per flow, inside the flow table's callback. */
  add(flow: FlowView): void {
    this.format.fillRow(flow, this.formatRow);
    const base = this.pending.length * this.featureCount;
    for (let j = 0; j < this.featureCount; j++) {
      const source = this.sources[j]!;
      if (source.dictionary === undefined) {
        this.rows[base + j] = this.formatRow[source.column]!;
      } else {
        const code = source.dictionary.get(this.format.text(flow, source.column, TEXT_CONTEXT));
        this.rows[base + j] = code === undefined ? NaN : code;
      }
    }
    const sourceIp = flowAddressText(flow, 0);
    const destinationIp = flowAddressText(flow, 1);
    this.pending.push({
      time: flow.lastUs / 1000,
      sourceIp,
      destinationIp,
      destinationPort: flow.dstPort,
      protocol: flow.protocol,
      endedAt: Date.now(),
      flowId: flowIdText(sourceIp, destinationIp, flow),
    });
    if (this.pending.length === this.batchSize) this.flush();
  }

  /** Sends what is pending to the model; the returned promise settles when every batch so far is scored. */
  flush(): Promise<void> {
    if (this.pending.length > 0) {
      const count = this.pending.length;
      const rows = this.rows.slice(0, count * this.featureCount);
      const flows = this.pending;
      this.pending = [];
      this.queued += count;
      // Batches are scored one after another so events keep the order flows finished in.
      this.inFlight = this.inFlight.then(() => this.scoreBatch(rows, flows)).finally(() => (this.queued -= count));
    }
    return this.inFlight;
  }

  /** Flows handed to the model and not yet scored. */
  get backlog(): number {
    return this.queued + this.pending.length;
  }

  /** The decision rule of the model last seen, by version (parsed once per model, not per batch). */
  private rule: { versionId: string; rule: DecisionThreshold | null } | null = null;

  private ruleOf(metadata: ModelMetadata): DecisionThreshold | null {
    if (this.rule?.versionId !== metadata.versionId) this.rule = { versionId: metadata.versionId, rule: decisionThresholdOf(metadata) };
    return this.rule.rule;
  }

  private async scoreBatch(rows: Float32Array, flows: PendingFlow[]): Promise<void> {
    try {
      // A swap may land while the batch is scored: use the metadata of the model that scored it.
      const before = this.scorer.metadata;
      const result = await this.scorer.score(rows);
      const metadata = result.modelVersion === before.versionId ? before : this.scorer.metadata;
      const classes = result.classNames.length;
      const families = metadata.classFamilies;
      // A model evaluated with a decision threshold (model.json metrics.decisionThreshold) flags live as it was evaluated.
      const rule = this.ruleOf(metadata);
      if (rule !== null) applyDecisionThreshold(result.probabilities, result.classNames, rule, result.labels);
      const events: ThreatEvent[] = [];
      for (let i = 0; i < flows.length; i++) {
        const label = result.labels[i]!;
        const className = result.classNames[label]!;
        const family = families[className]?.family ?? className;
        if (isBenignFamily(family)) continue;
        const confidence = result.probabilities[i * classes + label]!;
        const flow = flows[i]!;
        const category = families[className]?.threatCategory as ThreatCategory | undefined;
        const keySide = victimFamilies.has(family) ? `->${flow.destinationIp}` : `${flow.sourceIp}->`;
        events.push({
          id: randomUUID(),
          time: flow.time,
          sourceIp: flow.sourceIp,
          destinationIp: flow.destinationIp,
          destinationPort: flow.destinationPort,
          protocol: protocolName(flow.protocol),
          threatType: family,
          category: category !== undefined && knownCategories.has(category) ? category : 'Unknown',
          severity: severityFor(confidence, this.options.severity),
          confidence,
          detector: 'model',
          modelVersion: result.modelVersion,
          flowId: flow.flowId,
          incidentId: `model|${family}|${keySide}`,
          summary: className === family ? `flow scored ${family}` : `flow scored ${className} (${family})`,
        });
      }
      this.flowsScored += flows.length;
      if (events.length > 0) this.options.onEvents(events, flows[0]!.endedAt);
    } catch (error) {
      this.options.onError(error);
    }
  }
}

const TEXT_CONTEXT = { rowNumber: 0, utcOffsetMinutes: 0, label: '' };
