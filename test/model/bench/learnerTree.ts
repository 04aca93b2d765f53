/**
 * Tree-learner microbenchmark: grows depth-6 trees on KDDTrain+ from fixed binary-logistic
 * gradients and prints the fastest time per tree (min over repetitions filters out other load).
 * Usage: npx tsx test/model/bench/learnerTree.ts [depth] [repetitions]
 */
import { loadDataset } from '../../../lib/datasets/loadDataset.ts';
import { BinMapper } from '../../../lib/model/train/binning.ts';
import { createObjective } from '../../../lib/model/train/objectives.ts';
import { TreeLearner } from '../../../lib/model/train/treeLearner.ts';
import { sharedDataset } from '../../sharedDatasets.ts';

async function main(): Promise<void> {
  const depth = Number(process.argv[2] ?? 6);
  const repetitions = Number(process.argv[3] ?? 40);
  const { table } = await loadDataset([sharedDataset('nsl-kdd/KDDTrain+.txt.gz')]);
  const normal = table.labelNames.indexOf('normal');
  const labels = table.labelCodes.map((code) => (code === normal ? 0 : 1));
  const matrix = BinMapper.fit(table.columns, 255).transform(table.columns);
  const rowCount = table.rowCount;
  const gradients = new Float64Array(rowCount);
  const hessians = new Float64Array(rowCount);
  // Scores from one real feature so gradients vary like they do after a few rounds.
  const scores = Float64Array.from(table.columns[22]!, (value) => Math.log1p(value) - 3);
  createObjective('binary', 2).gradients(scores, labels, new Float32Array(rowCount).fill(1), gradients, hessians);
  const learner = new TreeLearner(matrix, { growth: 'depthwise', maxDepth: depth, maxLeaves: 0, lambda: 1, minChildWeight: 1, minSplitGain: 0 });
  const rows = Int32Array.from({ length: rowCount }, (_, i) => i);
  const mask = new Uint8Array(matrix.featureCount).fill(1);
  let best = Infinity;
  let nodes = 0;
  for (let r = 0; r < repetitions; r++) {
    const started = performance.now();
    nodes = learner.train(gradients, hessians, rows, mask).nodeCount;
    best = Math.min(best, performance.now() - started);
  }
  console.log(`depth ${depth}: ${nodes} nodes, fastest tree ${best.toFixed(2)} ms`);
}

void main();
