/**
 * ONNX scoring throughput of the shipped models through the Scorer (the production path), on
 * real rows: trained_models/nsl-kdd-binary on KDDTest+, trained_models/cic2017-corrected-family on
 * the CIC-IDS2017 improved samples. Rows are repeated to fill a batch. Prints rows/s (wall) and
 * CPU seconds per million rows for each intra-op thread count and batch size.
 * Usage: npx tsx test/model/bench/onnxShipped.ts [threads=1,2] [batches=16384,65536,262144] [seconds=2]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../../../lib/datasets/loadDataset.ts';
import { toRowMajor } from '../../../lib/model/train/predict.ts';
import { inModelFeatureOrder } from '../../../lib/model/evaluate/scoreTable.ts';
import { Scorer } from '../../../lib/model/score/scorer.ts';
import { sharedDataset } from '../../sharedDatasets.ts';

const repo = (relative: string) => fileURLToPath(new URL(`../../../${relative}`, import.meta.url));
const CIC_DIR = sharedDataset('cic-ids2017/improved-cicids2017-rnd5000');

const MODELS = [
  { name: 'nsl-kdd-binary', data: () => [sharedDataset('nsl-kdd/KDDTest+.txt.gz')] },
  {
    name: 'cic2017-corrected-family',
    data: () => readdirSync(CIC_DIR).filter((file) => file.endsWith('.csv.gz') && !file.startsWith('data_header_reference')).sort().map((file) => join(CIC_DIR, file)),
  },
];

async function main(): Promise<void> {
  const threadCounts = (process.argv[2] ?? '1,2').split(',').map(Number);
  const batchSizes = (process.argv[3] ?? '16384,65536,262144').split(',').map(Number);
  const seconds = Number(process.argv[4] ?? 2);
  for (const { name, data } of MODELS) {
    const directory = repo(`trained_models/${name}`);
    const probe = await Scorer.load(directory);
    const metadata = probe.metadata;
    await probe.close();
    const { table: loaded } = await loadDataset(data(), { categories: metadata.categories });
    const table = inModelFeatureOrder(loaded, metadata.featureNames);
    const real = toRowMajor(table.columns);
    const width = metadata.featureNames.length;
    for (const threads of threadCounts) {
      const scorer = await Scorer.load(directory, { intraOpNumThreads: threads });
      for (const batchRows of batchSizes) {
        const batch = new Float32Array(batchRows * width);
        for (let at = 0; at < batch.length; at += real.length) batch.set(real.subarray(0, Math.min(real.length, batch.length - at)), at);
        for (let i = 0; i < 2; i++) await scorer.score(batch);
        let scored = 0;
        const started = performance.now();
        const cpuStarted = process.cpuUsage();
        while (performance.now() - started < seconds * 1000) {
          await scorer.score(batch);
          scored += batchRows;
        }
        const wall = (performance.now() - started) / 1000;
        const cpu = process.cpuUsage(cpuStarted);
        const cpuPerMillion = ((cpu.user + cpu.system) / 1e6) / (scored / 1e6);
        console.log(`${name} (${width} features, ${metadata.classNames.length} classes, ${table.rowCount} real rows) threads=${threads} batch=${batchRows}: `
          + `${Math.round(scored / wall).toLocaleString('en')} rows/s wall, ${cpuPerMillion.toFixed(2)} CPU s per M rows`);
      }
      await scorer.close();
    }
  }
}

void main();
