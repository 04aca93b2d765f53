/**
 * Real flows as model rows, for the scoring tests (scoreCache, flowVerdicts, scoringThread,
 * modelDetector): a lab capture goes through the product's flow engine, and each flow becomes a
 * Float32 row in the model's feature order, taken column by column as ModelDetector.add takes it
 * (featureSources, the format's fillRow, a categorical feature's dictionary code).
 */
import { fileURLToPath } from 'node:url';
import { openCaptureFile } from '../../lib/capture/fileSource.ts';
import { Frame, type FrameSink, type PacketSource, type SourceStats } from '../../lib/capture/frame.ts';
import { featureSources } from '../../lib/detect/modelDetector.ts';
import type { FeatureFormat } from '../../lib/flows/featureFormat.ts';
import { formatSession } from '../../lib/flows/featureFormat.ts';
import { getFeatureFormat } from '../../lib/flows/featureFormats.ts';
import { extractFlows } from '../../lib/flows/extractFlows.ts';
import type { FlowView } from '../../lib/flows/flowView.ts';
import type { ModelMetadata } from '../../lib/model/export/modelMetadata.ts';

export function shippedModel(name: string): string {
  return fileURLToPath(new URL(`../../trained_models/${name}`, import.meta.url));
}

/** The model the monitor ships with, and two others of the trained_models folder. */
export const LIVE_MODEL = shippedModel('live-corrected-family');
export const CIC_MODEL = shippedModel('cic2017-corrected-family');
export const KDD_BINARY_MODEL = shippedModel('nsl-kdd-binary');

export function labCapture(scenario: string): string {
  return fileURLToPath(new URL(`../../datasets/lab/${scenario}.pcap.gz`, import.meta.url));
}

/** Grows a row-major Float32 batch of model rows, one per flow added. */
export class RowBuilder {
  readonly featureCount: number;
  count = 0;
  private data: Float32Array;
  private readonly sources: ReturnType<typeof featureSources>;
  private readonly formatRow: Float64Array;

  constructor(
    readonly format: FeatureFormat,
    metadata: Pick<ModelMetadata, 'featureNames' | 'categories' | 'versionId'>,
  ) {
    this.sources = featureSources(format, metadata);
    this.featureCount = this.sources.length;
    this.formatRow = new Float64Array(format.columns.length);
    this.data = new Float32Array(1024 * this.featureCount);
  }

  add(flow: FlowView): void {
    if ((this.count + 1) * this.featureCount > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.format.fillRow(flow, this.formatRow);
    const base = this.count * this.featureCount;
    this.sources.forEach((source, j) => {
      if (source.dictionary === undefined) this.data[base + j] = this.formatRow[source.column]!;
      else {
        const code = source.dictionary.get(this.format.text(flow, source.column, { rowNumber: 0, utcOffsetMinutes: 0, label: '' }));
        this.data[base + j] = code ?? NaN;
      }
    });
    this.count++;
  }

  /** A copy of rows [from, to) (a copy: the scoring thread takes its buffer away). */
  rows(from = 0, to = this.count): Float32Array {
    return this.data.slice(from * this.featureCount, to * this.featureCount);
  }
}

/** Rows of the first `limit` flows of a capture in `metadata`'s feature order, in the order flows finished. */
export async function captureRows(path: string, metadata: ModelMetadata, limit = Number.POSITIVE_INFINITY): Promise<RowBuilder> {
  const format = formatSession(getFeatureFormat(metadata.featureFormat ?? 'corrected'));
  const builder = new RowBuilder(format, metadata);
  await extractFlows(openCaptureFile(path), format, (flow) => {
    if (builder.count < limit) builder.add(flow);
  });
  return builder;
}

/**
 * A capture read into memory first, then handed on in one synchronous run: every flow of the
 * replay finishes within one turn of the event loop, so no reply of the scoring thread can come
 * in between (the worst case of a live flood, made repeatable).
 */
export async function heldCapture(path: string): Promise<PacketSource> {
  const held: { linkType: number; bytes: Uint8Array; originalLength: number; timestampUs: number; interfaceIndex: number }[] = [];
  const stats: SourceStats = await openCaptureFile(path).run((frame) => {
    held.push({
      linkType: frame.linkType,
      bytes: frame.buffer.slice(frame.offset, frame.offset + frame.capturedLength),
      originalLength: frame.originalLength,
      timestampUs: frame.timestampUs,
      interfaceIndex: frame.interfaceIndex,
    });
  });
  return {
    description: `held:${path}`,
    run(sink: FrameSink): Promise<SourceStats> {
      const frame = new Frame();
      for (const h of held) {
        frame.linkType = h.linkType;
        frame.buffer = h.bytes;
        frame.offset = 0;
        frame.capturedLength = h.bytes.length;
        frame.originalLength = h.originalLength;
        frame.timestampUs = h.timestampUs;
        frame.interfaceIndex = h.interfaceIndex;
        sink(frame);
      }
      return Promise.resolve(stats);
    },
    stop(): void {},
    stats: () => stats,
  };
}

/** The rows' Float32 bits as words (the cache's key). */
export function wordsOf(rows: Float32Array): Uint32Array {
  return new Uint32Array(rows.buffer, rows.byteOffset, rows.length);
}

/** Distinct rows (by exact bits) among rows [0, count). */
export function distinctRowCount(rows: Float32Array, featureCount: number, count: number): number {
  const words = wordsOf(rows);
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) seen.add(words.subarray(i * featureCount, (i + 1) * featureCount).join(','));
  return seen.size;
}
