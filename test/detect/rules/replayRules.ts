import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openCaptureFile } from '../../../lib/capture/fileSource.ts';
import { DecodeAnomalies } from '../../../lib/decode/anomalies.ts';
import { decodeFrame } from '../../../lib/decode/decodeFrame.ts';
import { DecodedPacket } from '../../../lib/decode/packet.ts';
import { parseDetectorConfig, type DetectorConfigInput } from '../../../lib/detect/detectorConfig.ts';
import type { RuleDetection, RuleName } from '../../../lib/detect/ruleDetector.ts';
import { ruleDetectors, ruleEnabled, ruleNames } from '../../../lib/detect/ruleDetectors.ts';
import { type LabTruth, labTruthSchema } from '../../../lib/model/train/labTruth.ts';
import { sharedDataset } from '../../sharedDatasets.ts';

export type { LabTruth };

/** Where the lab captures live (recorded with real tools in network namespaces, each with a .truth.json). */
export const LAB_DIRECTORY = fileURLToPath(new URL('../../../datasets/lab/', import.meta.url));

export { sharedDataset as sharedCapture };

export interface LabCapture {
  truth: LabTruth;
  path: string;
}

/** Every lab capture that has both its pcap and its truth file (none when the folder is absent). */
export function labCaptures(): LabCapture[] {
  if (!existsSync(LAB_DIRECTORY)) return [];
  return readdirSync(LAB_DIRECTORY)
    .filter((name) => name.endsWith('.truth.json'))
    .map((name) => ({ name, path: `${LAB_DIRECTORY}${name.replace(/\.truth\.json$/, '.pcap.gz')}` }))
    .filter(({ path }) => existsSync(path))
    .map(({ name, path }) => ({ truth: labTruthSchema.parse(JSON.parse(readFileSync(`${LAB_DIRECTORY}${name}`, 'utf8'))), path }))
    .sort((a, b) => a.truth.scenario.localeCompare(b.truth.scenario));
}

export interface RuleReplay {
  detections: RuleDetection[];
  packets: number;
  firstUs: number;
  lastUs: number;
}

/**
 * Replays a real capture through the rule detectors themselves (not the engine: the detections
 * keep every field), on the packet clock, sweeping once per second of packet time as the live
 * monitor does, and flushing at the end.
 */
export async function replayRules(path: string, config: DetectorConfigInput = {}, rules?: readonly RuleName[]): Promise<RuleReplay> {
  const parsed = parseDetectorConfig(config);
  const detections: RuleDetection[] = [];
  const names = rules ?? ruleNames.filter((name) => ruleEnabled(parsed, name));
  const detectors = names.map((name) => ruleDetectors[name]({ config: parsed, emit: (detection) => detections.push(detection) }));
  const packet = new DecodedPacket();
  const anomalies = new DecodeAnomalies();
  let packets = 0;
  let firstUs = NaN;
  let nextSweepUs = Infinity;
  await openCaptureFile(path).run((frame) => {
    if (!decodeFrame(frame, packet, anomalies)) return;
    packets++;
    const nowUs = packet.timestampUs;
    if (packets === 1) {
      firstUs = nowUs;
      nextSweepUs = nowUs + 1e6;
    }
    // The live monitor sweeps about once a second whether packets come or not.
    while (nowUs >= nextSweepUs) {
      for (const detector of detectors) detector.sweep(nextSweepUs);
      nextSweepUs += 1e6;
    }
    for (const detector of detectors) detector.observePacket(packet);
  });
  const lastUs = packet.timestampUs;
  for (const detector of detectors) detector.sweep(Infinity);
  return { detections, packets, firstUs, lastUs };
}

/** "rule:brute-force 10.0.0.1->10.0.0.2:22 BruteForce": one line per detection, for readable failures. */
export function describe(detection: RuleDetection): string {
  return `${detection.detector} ${detection.sourceIp}->${detection.destinationIp}:${detection.destinationPort} ${detection.threatType}: ${detection.summary}`;
}
