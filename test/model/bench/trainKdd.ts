/**
 * Training-time benchmark on NSL-KDD KDDTrain+, same settings as xgboostKddTrain.py.
 * Usage: npx tsx test/model/bench/trainKdd.ts [trees] [depth] [learningRate] [binary]
 */
import { trainGbdt } from '../../../lib/model/trainGbdt.ts';
import { readKddTable } from './kddTable.ts';

const trees = Number(process.argv[2] ?? 50);
const maxDepth = Number(process.argv[3] ?? 6);
const learningRate = Number(process.argv[4] ?? 0.3);
const binary = process.argv[5] === 'binary';
const table = readKddTable('/work/shared/datasets/nsl-kdd/KDDTrain+.txt.gz', Infinity, binary ? (l) => (l === 'normal' ? 'normal' : 'attack') : undefined);
const started = performance.now();
const cpuStarted = process.cpuUsage();
const model = trainGbdt(table, { trees, maxDepth, learningRate, maxBins: 255, lambda: 1, minChildWeight: 1 });
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuStarted);
const last = model.history[model.history.length - 1]!;
console.log(`ours rows=${table.rowCount} classes=${table.labelNames.length} trees=${trees} depth=${maxDepth} eta=${learningRate}`);
console.log(`train wall ${(ms / 1000).toFixed(3)}s cpu ${((cpu.user + cpu.system) / 1e6).toFixed(3)}s  nodes=${model.forest.feature.length} trainLoss=${last.trainLoss.toFixed(5)}`);
