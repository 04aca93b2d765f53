/**
 * The trainer's own prediction on raw float rows — the reference the ONNX export is checked
 * against. Input is row-major Float32Array [rows × features], NaN = missing.
 */
import type { Forest } from './forest.ts';
import { createObjective } from './objectives.ts';
import type { TrainedModel } from './trainedModel.ts';

/** Raw scores, class-major: scores[output * rowCount + row]. Accumulated in float64. */
export function predictScores(forest: Forest, input: Float32Array, featureCount: number): Float64Array {
  const rowCount = Math.floor(input.length / featureCount);
  const scores = new Float64Array(forest.outputCount * rowCount);
  for (let k = 0; k < forest.outputCount; k++) scores.fill(forest.baseScores[k]!, k * rowCount, (k + 1) * rowCount);
  const { feature, threshold, left, right, defaultLeft, leafValue, nodeOffset, treeOutput } = forest;
  for (let tree = 0; tree < forest.treeCount; tree++) {
    const base = nodeOffset[tree]!;
    const scoreBase = treeOutput[tree]! * rowCount;
    for (let row = 0; row < rowCount; row++) {
      const rowBase = row * featureCount;
      let node = base;
      while (feature[node]! >= 0) {
        const value = input[rowBase + feature[node]!]!;
        const goesLeft = value !== value ? defaultLeft[node] === 1 : value < threshold[node]!;
        node = base + (goesLeft ? left[node]! : right[node]!);
      }
      scores[scoreBase + row] += leafValue[node]!;
    }
  }
  return scores;
}

/** Class probabilities, row-major [rows × classes] like the ONNX 'probabilities' output. */
export function predictProbabilities(model: TrainedModel, input: Float32Array): Float32Array {
  const featureCount = model.featureNames.length;
  if (input.length % featureCount !== 0) {
    throw new Error(`Input length ${input.length} is not a multiple of the model's ${featureCount} features`);
  }
  const scores = predictScores(model.forest, input, featureCount);
  const rowCount = input.length / featureCount;
  const classCount = model.classNames.length;
  const objective = createObjective(model.objective, classCount);
  const out = new Float32Array(rowCount * classCount);
  const rowProbabilities = new Float64Array(classCount);
  for (let row = 0; row < rowCount; row++) {
    objective.probabilities(scores, rowCount, row, rowProbabilities);
    for (let k = 0; k < classCount; k++) out[row * classCount + k] = rowProbabilities[k]!;
  }
  return out;
}

/** Index of the most probable class of each row (first on ties). */
export function argmaxRows(probabilities: Float32Array, classCount: number): Int32Array {
  const rowCount = probabilities.length / classCount;
  const labels = new Int32Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    let best = 0;
    for (let k = 1; k < classCount; k++) {
      if (probabilities[row * classCount + k]! > probabilities[row * classCount + best]!) best = k;
    }
    labels[row] = best;
  }
  return labels;
}

/** Row-major copy of the given table rows (all rows when omitted) — the layout scorers take. */
export function toRowMajor(columns: Float32Array[], rows?: Int32Array): Float32Array {
  const featureCount = columns.length;
  const rowCount = rows ? rows.length : featureCount > 0 ? columns[0]!.length : 0;
  const out = new Float32Array(rowCount * featureCount);
  for (let f = 0; f < featureCount; f++) {
    const column = columns[f]!;
    for (let i = 0; i < rowCount; i++) out[i * featureCount + f] = column[rows ? rows[i]! : i]!;
  }
  return out;
}
