/**
 * A lab capture as training / evaluation rows: the capture goes through the product's own flow
 * engine (`extractFlows` in the `corrected` format, default flow-table settings — exactly what the
 * monitor computes live), each finished flow's numeric columns are taken by name as the monitor's
 * FlowScorer takes them (float32, no other conversion), and each flow is labelled by the
 * scenario's truth file (labTruth.ts).
 */
import { access } from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureTable } from '../../datasets/featureTable.ts';
import { flowAddressText } from '../../flows/featureFormat.ts';
import { getFeatureFormat } from '../../flows/featureFormats.ts';
import { extractFlowsFromFile } from '../../flows/extractFlows.ts';
import { LabFlowLabeler, type LabTruth, readLabTruth } from './labTruth.ts';

export const LAB_FEATURE_FORMAT = 'corrected';

export interface LabScenario {
  truth: LabTruth;
  capturePath: string;
  truthPath: string;
}

/** Every `<scenario>.pcap.gz` with a `<scenario>.truth.json` beside it, by name. */
export async function findLabScenarios(directory: string): Promise<LabScenario[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const scenarios: LabScenario[] = [];
  for (const name of names.filter((entry) => entry.endsWith('.truth.json')).sort()) {
    const stem = name.slice(0, -'.truth.json'.length);
    const capturePath = [join(directory, `${stem}.pcap.gz`), join(directory, `${stem}.pcap`)];
    let found: string | null = null;
    for (const path of capturePath) {
      try {
        await access(path);
        found = path;
        break;
      } catch {
        // try the next spelling
      }
    }
    if (found === null) continue; // a capture still being written has no pcap yet
    const truthPath = join(directory, name);
    scenarios.push({ truth: await readLabTruth(truthPath), capturePath: found, truthPath });
  }
  return scenarios;
}

export interface LabFlows {
  scenario: string;
  /** Rows labelled with `labelNames` = [benignClass, family?]; features in `featureNames` order. */
  table: FeatureTable;
  /** Per row: forward source and destination address, flow start (packet clock, µs). */
  sourceIps: string[];
  destinationIps: string[];
  startUs: Float64Array;
  attackFlows: number;
  benignFlows: number;
}

/**
 * Runs one lab capture through the corrected flow engine and labels every flow. `featureNames`
 * must all be numeric columns of the corrected format.
 */
export async function labFlowTable(scenario: LabScenario, featureNames: readonly string[], benignClass: string): Promise<LabFlows> {
  const format = getFeatureFormat(LAB_FEATURE_FORMAT);
  const columnOf = featureNames.map((name) => {
    const index = format.columns.findIndex((column) => column.name === name);
    if (index < 0 || format.columns[index]!.kind === 'text') throw new Error(`'${name}' is not a numeric ${LAB_FEATURE_FORMAT} column`);
    return index;
  });
  const labeler = new LabFlowLabeler(scenario.truth);
  const labelNames = scenario.truth.family === null ? [benignClass] : [benignClass, scenario.truth.family];
  const values: number[][] = featureNames.map(() => []);
  const labels: number[] = [];
  const sourceIps: string[] = [];
  const destinationIps: string[] = [];
  const starts: number[] = [];
  const row = new Float64Array(format.columns.length);
  await extractFlowsFromFile(scenario.capturePath, format, (flow) => {
    format.fillRow(flow, row);
    for (let j = 0; j < columnOf.length; j++) values[j]!.push(row[columnOf[j]!]!);
    const ends = { sourceIp: flowAddressText(flow, 0), destinationIp: flowAddressText(flow, 1), startUs: flow.startUs, lastUs: flow.lastUs };
    labels.push(labeler.isAttack(ends) ? 1 : 0);
    sourceIps.push(ends.sourceIp);
    destinationIps.push(ends.destinationIp);
    starts.push(ends.startUs);
  });
  const attackFlows = labels.reduce((sum, label) => sum + label, 0);
  const table: FeatureTable = {
    sourceFormat: 'lab',
    featureFormat: LAB_FEATURE_FORMAT,
    rowCount: labels.length,
    featureNames: featureNames.slice(),
    columns: values.map((column) => Float32Array.from(column)),
    categories: {},
    labelCodes: Int32Array.from(labels),
    labelNames,
    sourceVariant: `lab capture ${scenario.truth.scenario}`,
  };
  return {
    scenario: scenario.truth.scenario,
    table,
    sourceIps,
    destinationIps,
    startUs: Float64Array.from(starts),
    attackFlows,
    benignFlows: labels.length - attackFlows,
  };
}
