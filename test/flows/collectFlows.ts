import type { FeatureFormat } from '../../lib/flows/featureFormat.ts';
import { formatFlowLine } from '../../lib/flows/csvWriter.ts';
import { extractFlowsFromFile, type ExtractFlowsResult } from '../../lib/flows/extractFlows.ts';
import type { FlowTableOptions } from '../../lib/flows/flowTable.ts';
import type { FlowEndReasonValue } from '../../lib/flows/flowView.ts';
import { sharedDataset } from '../sharedDatasets.ts';

export { sharedDataset };

export interface CollectedFlow {
  /** Cells as the CSV writer prints them. */
  cells: string[];
  /** Numeric row as the format fills it (NaN in text columns). */
  row: Float64Array;
  reason: FlowEndReasonValue;
  packets: number;
}

/** Runs a capture through decode + flow table and keeps every accepted flow's cells and row. */
export async function collectFlows(
  path: string,
  format: FeatureFormat,
  options: { utcOffsetMinutes?: number; label?: string; table?: Omit<FlowTableOptions, 'mode' | 'onFlow'> } = {},
): Promise<{ flows: CollectedFlow[]; result: ExtractFlowsResult }> {
  const flows: CollectedFlow[] = [];
  const scratch = new Float64Array(format.columns.length);
  const context = { rowNumber: 0, utcOffsetMinutes: options.utcOffsetMinutes ?? 0, label: options.label ?? format.defaultLabel };
  const result = await extractFlowsFromFile(
    path,
    format,
    (flow) => {
      context.rowNumber++;
      const line = formatFlowLine(format, flow, scratch, context);
      flows.push({ cells: line.split(','), row: scratch.slice(), reason: flow.reason, packets: flow.packets });
    },
    { table: options.table },
  );
  return { flows, result };
}

/** Equal, or within `tolerance` relative to the larger magnitude; NaN matches NaN. */
export function closeEnough(a: number, b: number, tolerance = 1e-6): boolean {
  if (a === b) return true;
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}
