/**
 * Writes a TrainedModel as ONNX: one ai.onnx.ml TreeEnsembleClassifier node, input 'input'
 * float [N, F], outputs 'label' int64 [N] and 'probabilities' float [N, C], no ZipMap.
 * Splits are BRANCH_LT (x < threshold → true branch), the same test predict.ts uses; NaN takes the
 * learned default side through nodes_missing_value_tracks_true.
 * Binary models carry one score column (class_ids all 0) with post_transform LOGISTIC, which
 * onnxruntime expands to [1 - p, p]; multiclass models use SOFTMAX over one column per class.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import type { FeatureTable } from '../../datasets/featureTable.ts';
import { featureImportance } from '../evaluate/importance.ts';
import { METADATA_FORMAT_VERSION, type ModelMetadata } from './modelMetadata.ts';
import type { TrainedModel } from '../train/trainedModel.ts';

const { onnx } = onnxProto;
type Attribute = InstanceType<typeof onnx.AttributeProto>;

export const ONNX_INPUT_NAME = 'input';
export const ONNX_LABEL_OUTPUT = 'label';
export const ONNX_PROBABILITIES_OUTPUT = 'probabilities';
const IR_VERSION = 8;
const DEFAULT_OPSET = 17;
const ML_OPSET = 3;
const PRODUCER = 'netguard';

const text = new TextEncoder();

function ints(name: string, values: ArrayLike<number>): Attribute {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: Array.from(values) });
}
function floats(name: string, values: ArrayLike<number>): Attribute {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.FLOATS, floats: Array.from(values) });
}
function strings(name: string, values: string[]): Attribute {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.STRINGS, strings: values.map((v) => text.encode(v)) });
}
function string(name: string, value: string): Attribute {
  return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.STRING, s: text.encode(value) });
}

function tensorInfo(name: string, elemType: number, dims: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((dim) =>
            typeof dim === 'number' ? onnx.TensorShapeProto.Dimension.create({ dimValue: dim }) : onnx.TensorShapeProto.Dimension.create({ dimParam: dim }),
          ),
        }),
      }),
    }),
  });
}

/** Serialised ONNX ModelProto bytes. */
export function modelToOnnx(model: TrainedModel): Uint8Array {
  const forest = model.forest;
  const nodeTotal = forest.feature.length;
  const treeIds = new Int32Array(nodeTotal);
  const nodeIds = new Int32Array(nodeTotal);
  const featureIds = new Int32Array(nodeTotal);
  const values = new Float32Array(nodeTotal);
  const modes: string[] = new Array(nodeTotal);
  const trueIds = new Int32Array(nodeTotal);
  const falseIds = new Int32Array(nodeTotal);
  const missingTracksTrue = new Int32Array(nodeTotal);
  const classTreeIds: number[] = [];
  const classNodeIds: number[] = [];
  const classIds: number[] = [];
  const classWeights: number[] = [];
  for (let tree = 0; tree < forest.treeCount; tree++) {
    const base = forest.nodeOffset[tree]!;
    const end = forest.nodeOffset[tree + 1]!;
    for (let at = base; at < end; at++) {
      const local = at - base;
      treeIds[at] = tree;
      nodeIds[at] = local;
      if (forest.feature[at]! >= 0) {
        featureIds[at] = forest.feature[at]!;
        values[at] = forest.threshold[at]!;
        modes[at] = 'BRANCH_LT';
        trueIds[at] = forest.left[at]!;
        falseIds[at] = forest.right[at]!;
        missingTracksTrue[at] = forest.defaultLeft[at]!;
      } else {
        modes[at] = 'LEAF';
        classTreeIds.push(tree);
        classNodeIds.push(local);
        classIds.push(forest.treeOutput[tree]!);
        classWeights.push(forest.leafValue[at]!);
      }
    }
  }
  const classCount = model.classNames.length;
  const node = onnx.NodeProto.create({
    name: 'gbdt',
    opType: 'TreeEnsembleClassifier',
    domain: 'ai.onnx.ml',
    input: [ONNX_INPUT_NAME],
    output: [ONNX_LABEL_OUTPUT, ONNX_PROBABILITIES_OUTPUT],
    attribute: [
      ints('nodes_treeids', treeIds),
      ints('nodes_nodeids', nodeIds),
      ints('nodes_featureids', featureIds),
      floats('nodes_values', values),
      strings('nodes_modes', modes),
      ints('nodes_truenodeids', trueIds),
      ints('nodes_falsenodeids', falseIds),
      ints('nodes_missing_value_tracks_true', missingTracksTrue),
      ints('class_treeids', classTreeIds),
      ints('class_nodeids', classNodeIds),
      ints('class_ids', classIds),
      floats('class_weights', classWeights),
      ints('classlabels_int64s', model.classNames.map((_, k) => k)),
      floats('base_values', forest.baseScores),
      string('post_transform', model.objective === 'binary' ? 'LOGISTIC' : 'SOFTMAX'),
    ],
  });
  const graph = onnx.GraphProto.create({
    name: 'netguard_gbdt',
    node: [node],
    input: [tensorInfo(ONNX_INPUT_NAME, onnx.TensorProto.DataType.FLOAT, ['N', model.featureNames.length])],
    output: [
      tensorInfo(ONNX_LABEL_OUTPUT, onnx.TensorProto.DataType.INT64, ['N']),
      tensorInfo(ONNX_PROBABILITIES_OUTPUT, onnx.TensorProto.DataType.FLOAT, ['N', classCount]),
    ],
  });
  const proto = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [
      onnx.OperatorSetIdProto.create({ domain: '', version: DEFAULT_OPSET }),
      onnx.OperatorSetIdProto.create({ domain: 'ai.onnx.ml', version: ML_OPSET }),
    ],
    producerName: PRODUCER,
    producerVersion: '1',
    graph,
  });
  return onnx.ModelProto.encode(proto).finish();
}

/** sha256 over the given table rows (feature bytes column by column, then label names). */
export function fingerprintTable(table: FeatureTable, rows?: Int32Array): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ featureNames: table.featureNames, labelNames: table.labelNames, categories: table.categories }));
  const rowCount = rows ? rows.length : table.rowCount;
  const buffer = new Float32Array(rowCount);
  for (const column of table.columns) {
    if (rows) for (let i = 0; i < rowCount; i++) buffer[i] = column[rows[i]!]!;
    else buffer.set(column);
    hash.update(new Uint8Array(buffer.buffer, 0, rowCount * 4));
  }
  const labels = new Int32Array(rowCount);
  for (let i = 0; i < rowCount; i++) labels[i] = table.labelCodes[rows ? rows[i]! : i]!;
  hash.update(new Uint8Array(labels.buffer));
  return hash.digest('hex');
}

export interface MetadataExtras {
  /** Class name → family / threat category (from lib/datasets/families). */
  classFamilies?: Record<string, { family: string; threatCategory: string }>;
  metrics?: Record<string, unknown>;
  createdAt?: Date;
}

export function buildModelMetadata(model: TrainedModel, table: FeatureTable, onnxBytes: Uint8Array, extras: MetadataExtras = {}): ModelMetadata {
  const classCounts: Record<string, number> = {};
  for (const name of model.classNames) classCounts[name] = 0;
  for (let i = 0; i < model.trainRows.length; i++) classCounts[model.classNames[table.labelCodes[model.trainRows[i]!]!]!]!++;
  const createdAt = extras.createdAt ?? new Date();
  return {
    formatVersion: METADATA_FORMAT_VERSION,
    versionId: `gbdt-${createHash('sha256').update(onnxBytes).digest('hex').slice(0, 16)}`,
    createdAt: createdAt.toISOString(),
    input: { name: ONNX_INPUT_NAME, layout: 'float32 [rows × features], row-major, NaN = missing' },
    outputs: { label: ONNX_LABEL_OUTPUT, probabilities: ONNX_PROBABILITIES_OUTPUT },
    featureNames: model.featureNames.slice(),
    featureFormat: table.featureFormat,
    sourceFormat: table.sourceFormat,
    classNames: model.classNames.slice(),
    classFamilies: extras.classFamilies ?? {},
    categories: table.categories,
    metrics: extras.metrics ?? {},
    trainer: {
      algorithm: 'histogram-gbdt',
      objective: model.objective,
      config: { ...model.config },
      rounds: model.rounds,
      roundsTrained: model.roundsTrained,
      stoppedEarly: model.stoppedEarly,
      trainingMs: model.trainingMs,
      classWeights: Array.from(model.classWeights),
    },
    trainingData: {
      fingerprint: fingerprintTable(table, model.trainRows),
      rowCount: model.trainRows.length,
      validationRowCount: model.validationRows.length,
      classCounts,
    },
    featureImportance: featureImportance(model),
  };
}

export interface ExportedModel {
  onnxPath: string;
  metadataPath: string;
  metadata: ModelMetadata;
}

/**
 * Writes `model.onnx` and `model.json` into `directory` (created if needed). Each file is written
 * to a temporary name and renamed, so a watcher never reads half a file.
 */
export async function exportModel(model: TrainedModel, table: FeatureTable, directory: string, extras: MetadataExtras = {}): Promise<ExportedModel> {
  const onnxBytes = modelToOnnx(model);
  const metadata = buildModelMetadata(model, table, onnxBytes, extras);
  await mkdir(directory, { recursive: true });
  const onnxPath = join(directory, 'model.onnx');
  const metadataPath = join(directory, 'model.json');
  await writeFile(`${onnxPath}.tmp`, onnxBytes);
  await rename(`${onnxPath}.tmp`, onnxPath);
  await writeFile(`${metadataPath}.tmp`, `${JSON.stringify(metadata, null, 2)}\n`);
  await rename(`${metadataPath}.tmp`, metadataPath);
  return { onnxPath, metadataPath, metadata };
}
