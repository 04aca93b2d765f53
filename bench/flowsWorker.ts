/**
 * One measured run for bench/flows.ts: read + decode + flow features (`corrected`) over a
 * capture, every feature row computed. Prints one JSON line with the packet count and the
 * processing time measured inside the process (start-up and compilation excluded).
 */
import { extractFlowsFromFile, getFeatureFormat } from '../lib/flows/index.ts';

const path = process.argv[2];
if (!path) throw new Error('usage: flowsWorker.ts CAPTURE');
const format = getFeatureFormat('corrected');
const row = new Float64Array(format.columns.length);
let flows = 0;
let checksum = 0;

const started = process.hrtime.bigint();
const result = await extractFlowsFromFile(path, format, (flow) => {
  format.fillRow(flow, row);
  checksum += row[10]!;
  flows++;
});
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(
  JSON.stringify({ packets: result.source.frames, flows, processSeconds: seconds, checksum, peakRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n',
);
