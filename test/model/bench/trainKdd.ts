/**
 * Training-time benchmark on NSL-KDD KDDTrain+, same settings as xgboostKddTrain.py
 * (multiclass on the fine labels, 255 value bins + missing ≈ xgboost max_bin 256).
 * Usage: npx tsx test/model/bench/trainKdd.ts [trees] [depth] [learningRate] [binary]
 */
import { loadDataset } from '../../../lib/datasets/loadDataset.ts';
import { trainGbdt } from '../../../lib/model/train/trainGbdt.ts';
import { sharedDataset } from '../../sharedDatasets.ts';

async function main(): Promise<void> {
  const trees = Number(process.argv[2] ?? 50);
  const maxDepth = Number(process.argv[3] ?? 6);
  const learningRate = Number(process.argv[4] ?? 0.3);
  const binary = process.argv[5] === 'binary';
  let { table } = await loadDataset([sharedDataset('nsl-kdd/KDDTrain+.txt.gz')]);
  if (binary) {
    const normal = table.labelNames.indexOf('normal');
    table = { ...table, labelNames: ['normal', 'attack'], labelCodes: table.labelCodes.map((code) => (code === normal ? 0 : 1)) };
  }
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const model = trainGbdt(table, { trees, maxDepth, learningRate, maxBins: 255, lambda: 1, minChildWeight: 1 });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  const last = model.history[model.history.length - 1]!;
  console.log(`ours rows=${table.rowCount} classes=${table.labelNames.length} trees=${trees} depth=${maxDepth} eta=${learningRate}`);
  console.log(`train wall ${(ms / 1000).toFixed(3)}s cpu ${((cpu.user + cpu.system) / 1e6).toFixed(3)}s  nodes=${model.forest.feature.length} trainLoss=${last.trainLoss.toFixed(5)}`);
}

void main();
