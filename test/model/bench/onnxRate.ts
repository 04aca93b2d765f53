/**
 * ONNX scoring throughput of an exported model, in batches.
 * Usage: npx tsx test/model/bench/onnxRate.ts [trees] [batchRows] [intraOpThreads]
 */
import * as ort from 'onnxruntime-node';
import { loadDataset } from '../../../lib/datasets/loadDataset.ts';
import { modelToOnnx } from '../../../lib/model/export/onnxExport.ts';
import { toRowMajor } from '../../../lib/model/train/predict.ts';
import { trainGbdt } from '../../../lib/model/train/trainGbdt.ts';
import { sharedDataset } from '../../sharedDatasets.ts';

async function main(): Promise<void> {
  const trees = Number(process.argv[2] ?? 30);
  const batchRows = Number(process.argv[3] ?? 8192);
  const threads = Number(process.argv[4] ?? 0);
  const { table } = await loadDataset([sharedDataset('nsl-kdd/KDDTrain+.txt.gz')], { maxRows: Math.max(40000, batchRows) });
  const normal = table.labelNames.indexOf('normal');
  const binary = { ...table, labelNames: ['normal', 'attack'], labelCodes: table.labelCodes.map((c) => (c === normal ? 0 : 1)) };
  const model = trainGbdt(binary, { trees, maxDepth: 6 });
  const session = await ort.InferenceSession.create(modelToOnnx(model), threads > 0 ? { intraOpNumThreads: threads } : {});
  const rows = toRowMajor(table.columns).subarray(0, batchRows * table.featureNames.length);
  const feed = () => ({ input: new ort.Tensor('float32', rows, [batchRows, table.featureNames.length]) });
  for (let i = 0; i < 5; i++) await session.run(feed());
  let scored = 0;
  const started = performance.now();
  while (performance.now() - started < 3000) {
    await session.run(feed());
    scored += batchRows;
  }
  const rate = scored / ((performance.now() - started) / 1000);
  console.log(`trees=${model.forest.treeCount} nodes=${model.forest.feature.length} batch=${batchRows} threads=${threads || 'default'}: ${Math.round(rate).toLocaleString('en')} rows/s`);
}

void main();
