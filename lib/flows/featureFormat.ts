import { formatAddress } from '../decode/formatAddress.ts';
import type { FlowMode, FlowView } from './flowView.ts';

/**
 * How a column's value is written: `text` cells (addresses, Flow ID, timestamp, label) come from
 * `text()`; numeric cells come from the row and print as Java's long (`integer`) or double (`real`).
 */
export type ColumnKind = 'text' | 'integer' | 'real';

export interface FeatureColumn {
  /** Trimmed, unique name (the second "Fwd Header Length" of CIC-IDS2017 is "Fwd Header Length.1", as pandas reads it). */
  readonly name: string;
  readonly kind: ColumnKind;
}

export interface TextContext {
  /** 1-based number of the row in the output (the improved dataset's `id`). */
  rowNumber: number;
  /** Wall-clock offset for Timestamp cells, in minutes east of UTC (CIC-IDS2017 was captured at -180). */
  utcOffsetMinutes: number;
  label: string;
}

/** One flow-feature layout, chosen by name from `featureFormats`. */
export interface FeatureFormat {
  readonly name: string;
  readonly description: string;
  /** FlowTable mode whose flows this format describes. */
  readonly flowMode: FlowMode;
  readonly columns: readonly FeatureColumn[];
  /** The dataset's header line, byte for byte (CIC-IDS2017 keeps its leading spaces). */
  readonly headerLine: string;
  /** Default for TextContext.label. */
  readonly defaultLabel: string;
  /** False for flows the original tool never wrote (cic2017: flows of one packet). */
  accepts(flow: FlowView): boolean;
  /** Writes every numeric column into row[column]; text columns are set to NaN. No allocation. */
  fillRow(flow: FlowView, row: Float64Array): void;
  /** Cell text of a `text` column. */
  text(flow: FlowView, column: number, context: TextContext): string;
  /**
   * Formats whose rows depend on earlier flows (kdd's 2-second and 100-connection windows) keep
   * state: each extraction takes its own copy from here and calls fillRow once per flow, in order.
   * Stateless formats leave it out.
   */
  createSession?(): FeatureFormat;
}

/** The format itself, or a fresh stateful copy of it for one extraction. */
export function formatSession(format: FeatureFormat): FeatureFormat {
  return format.createSession?.() ?? format;
}

/** Column list from the header line: names trimmed, a repeated name gets ".1" like pandas does. */
export function columnsFromHeader(headerLine: string, kinds: readonly ColumnKind[]): FeatureColumn[] {
  const names = headerLine.split(',').map((name) => name.trim());
  if (names.length !== kinds.length) {
    throw new Error(`header has ${names.length} columns but ${kinds.length} kinds were given`);
  }
  const seen = new Map<string, number>();
  return names.map((name, i) => {
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return { name: count === 0 ? name : `${name}.${count}`, kind: kinds[i]! };
  });
}

const scratchWords = new Uint32Array(4);

/** Text of the flow's forward source (side 0) or destination (side 1) address. */
export function flowAddressText(flow: FlowView, side: 0 | 1): string {
  return formatAddress(flow.copyAddress(side, scratchWords), flow.ipVersion);
}

/** Sample standard deviation (n - 1), 0 for a single value, as commons-math reports it. */
export function sampleStd(n: number, m2: number): number {
  return n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
}

export function sampleVariance(n: number, m2: number): number {
  return n > 1 ? m2 / (n - 1) : 0;
}
