/**
 * Evaluates an exported model (model.onnx + model.json from a training run) on labelled dataset
 * files: the files are loaded with the model's categorical dictionaries, their features checked
 * against the model's (names and order), their labels mapped to the model's target, the rows
 * scored through onnxruntime (the Scorer), and the metrics computed as training computed them.
 * Also writes the per-row predictions CSV (one line per input row, dropped rows included).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rename, rm } from 'node:fs/promises';
import type { FeatureTable } from '../../datasets/featureTable.ts';
import type { DatasetFormatName } from '../../datasets/formats.ts';
import { loadDataset, type LoadReport } from '../../datasets/loadDataset.ts';
import { decisionThresholdOf } from '../score/decisionThreshold.ts';
import { evaluatePredictions, predictedClasses, type EvaluationReport } from './evaluation.ts';
import { alignInputRows } from './inputRows.ts';
import type { ModelMetadata } from '../export/modelMetadata.ts';
import { Scorer } from '../score/scorer.ts';
import { inModelFeatureOrder, scoreTable, truthCodes } from './scoreTable.ts';
import { readTargetMetadata, type TargetMetadata } from '../train/targetMetadata.ts';
import { targetClassOf } from '../train/trainingTarget.ts';

export interface ModelEvaluation {
  metadata: ModelMetadata;
  target: TargetMetadata;
  paths: string[];
  table: FeatureTable;
  loadReport: LoadReport;
  /** Row-major [table rows × classes]. */
  probabilities: Float32Array;
  predicted: Int32Array;
  /** Model class per table row, or NO_CLASS. */
  truth: Int32Array;
  report: EvaluationReport;
}

export async function evaluateModel(modelDir: string, paths: string[]): Promise<ModelEvaluation> {
  const scorer = await Scorer.load(modelDir);
  try {
    const metadata = scorer.metadata;
    const target = await readTargetMetadata(modelDir);
    const loaded = await loadDataset(paths, { categories: metadata.categories });
    const loadReport = loaded.report;
    const table = inModelFeatureOrder(loaded.table, metadata.featureNames);
    if (table.sourceFormat !== metadata.sourceFormat) {
      throw new Error(
        `${paths.join(', ')} is ${table.sourceFormat} data (${table.featureFormat ?? 'no live'} features) but model ${metadata.versionId} `
          + `was trained on ${metadata.sourceFormat} (${metadata.featureFormat ?? 'no live'} features): it lacks the features the model needs`,
      );
    }
    const probabilities = await scoreTable(scorer, table);
    const { truth, unmatched } = truthCodes(table, metadata.classNames, target.target.kind);
    const decision = decisionThresholdOf(metadata);
    return {
      metadata,
      target,
      paths,
      table,
      loadReport,
      probabilities,
      predicted: predictedClasses(probabilities, metadata.classNames, decision),
      truth,
      report: evaluatePredictions({ truth, probabilities, classNames: metadata.classNames, decision, unmatchedLabels: unmatched }),
    };
  } finally {
    await scorer.close();
  }
}

export const PREDICTIONS_HEADER = 'row_number,true_label,predicted_class,probability,label,drop_reason';

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One line per input data row, in input order: row_number (1-based over all files), true_label
 * (the row's label mapped to the model's target), predicted_class, probability (of the predicted
 * class), label (the dataset's own label) and drop_reason. A row the loader dropped keeps its
 * line with only row_number and drop_reason filled. Written whole or not at all.
 */
export async function writePredictionsCsv(path: string, evaluation: ModelEvaluation): Promise<{ rows: number; dropped: number }> {
  const alignment = await alignInputRows(evaluation.paths, evaluation.loadReport);
  const { table, metadata, probabilities, predicted } = evaluation;
  const format = table.sourceFormat as DatasetFormatName;
  const kind = evaluation.target.target.kind;
  const classCount = metadata.classNames.length;
  const trueClassOfLabel = table.labelNames.map((label) => targetClassOf(label, kind, format));
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  try {
    const write = async (text: string) => {
      if (!out.write(text)) await once(out, 'drain');
    };
    await write(`${PREDICTIONS_HEADER}\n`);
    let chunk = '';
    for (let input = 0; input < alignment.tableRow.length; input++) {
      const row = alignment.tableRow[input]!;
      if (row < 0) {
        chunk += `${input + 1},,,,,${csvField(alignment.dropped.get(input) ?? 'dropped')}\n`;
      } else {
        const label = table.labelCodes[row]!;
        const k = predicted[row]!;
        const probability = probabilities[row * classCount + k]!;
        chunk += `${input + 1},${csvField(trueClassOfLabel[label]!)},${csvField(metadata.classNames[k]!)},${Number(probability.toPrecision(6))},${csvField(table.labelNames[label]!)},\n`;
      }
      if (chunk.length > 1 << 16) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(chunk);
    out.end();
    await once(out, 'close');
    await rename(partial, path);
  } catch (error) {
    out.destroy();
    await rm(partial, { force: true });
    throw error;
  }
  return { rows: alignment.tableRow.length, dropped: alignment.dropped.size };
}
