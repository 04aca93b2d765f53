/**
 * Scores feature rows with an exported model (model.onnx + model.json) through onnxruntime-node.
 * The metadata is schema-checked at load; callers state the feature names of their rows and a
 * mismatch is refused naming the missing/extra features. `swap` loads a new model completely and
 * then replaces the reference: batches already running finish on the old session, which is
 * released once they are done.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { type ModelMetadata, modelMetadataSchema } from '../export/modelMetadata.ts';

export const ScorerErrorCode = {
  SCHEMA_MISMATCH: 'SCHEMA_MISMATCH',
  BAD_METADATA: 'BAD_METADATA',
  BAD_BATCH: 'BAD_BATCH',
  LOAD_FAILED: 'LOAD_FAILED',
} as const;
export type ScorerErrorCode = (typeof ScorerErrorCode)[keyof typeof ScorerErrorCode];

export class ScorerError extends Error {
  constructor(readonly code: ScorerErrorCode, message: string) {
    super(message);
    this.name = 'ScorerError';
  }
}

export interface ScoreResult {
  /** Predicted class index per row (index into classNames). */
  labels: Int32Array;
  /** Row-major [rows × classes]. */
  probabilities: Float32Array;
  classNames: string[];
  /** versionId of the model that scored this batch. */
  modelVersion: string;
}

export interface ScorerOptions {
  /**
   * onnxruntime intra-op threads per session (default 1). One thread avoids fighting the flow
   * engine for the cores; batches already run off the event loop.
   */
  intraOpNumThreads?: number;
}

/** Where an exported model lives: a directory holding model.onnx + model.json, or both paths. */
export type ModelLocation = string | { onnxPath: string; metadataPath: string };

interface LoadedModel {
  session: ort.InferenceSession;
  metadata: ModelMetadata;
  inFlight: number;
  retired: boolean;
}

export class Scorer {
  private current: LoadedModel;
  /** Swaps take effect in call order even when a later model loads faster. */
  private swapQueue: Promise<unknown> = Promise.resolve();

  private constructor(model: LoadedModel, private readonly options: ScorerOptions) {
    this.current = model;
  }

  static async load(location: ModelLocation, options: ScorerOptions = {}): Promise<Scorer> {
    return new Scorer(await loadModel(location, options), options);
  }

  get metadata(): ModelMetadata {
    return this.current.metadata;
  }

  /** Throws SCHEMA_MISMATCH unless `featureNames` equals the model's features, in order. */
  checkFeatures(featureNames: readonly string[]): void {
    checkFeatureNames(this.current.metadata, featureNames);
  }

  /**
   * Scores `rows` (Float32Array, row-major [rows × features]). With `featureNames`, the names are
   * checked against the model that will score the batch.
   */
  async score(rows: Float32Array, featureNames?: readonly string[]): Promise<ScoreResult> {
    const model = this.current;
    const { metadata } = model;
    if (featureNames) checkFeatureNames(metadata, featureNames);
    const featureCount = metadata.featureNames.length;
    if (rows.length % featureCount !== 0) {
      throw new ScorerError(ScorerErrorCode.BAD_BATCH, `Batch of ${rows.length} values is not a whole number of rows of ${featureCount} features`);
    }
    const rowCount = rows.length / featureCount;
    if (rowCount === 0) {
      return { labels: new Int32Array(0), probabilities: new Float32Array(0), classNames: metadata.classNames, modelVersion: metadata.versionId };
    }
    model.inFlight++;
    try {
      const output = await model.session.run({ [metadata.input.name]: new ort.Tensor('float32', rows, [rowCount, featureCount]) });
      const labelData = output[metadata.outputs.label]!.data as BigInt64Array;
      const labels = new Int32Array(rowCount);
      for (let i = 0; i < rowCount; i++) labels[i] = Number(labelData[i]);
      return {
        labels,
        probabilities: output[metadata.outputs.probabilities]!.data as Float32Array,
        classNames: metadata.classNames,
        modelVersion: metadata.versionId,
      };
    } finally {
      model.inFlight--;
      if (model.retired && model.inFlight === 0) void model.session.release();
    }
  }

  /**
   * Loads the model at `location` fully (session + metadata), then makes it current. Scoring
   * never waits and never sees a half-loaded model; if loading fails the old model stays.
   */
  swap(location: ModelLocation): Promise<ModelMetadata> {
    const loading = loadModel(location, this.options);
    // Observed here so a failure while an earlier swap is pending is not an unhandled rejection.
    loading.catch(() => undefined);
    const applied = this.swapQueue.then(async () => {
      const next = await loading;
      const previous = this.current;
      this.current = next;
      previous.retired = true;
      if (previous.inFlight === 0) await previous.session.release();
      return next.metadata;
    });
    // A failed swap must not block the ones queued after it.
    this.swapQueue = applied.catch(() => undefined);
    return applied;
  }

  async close(): Promise<void> {
    this.current.retired = true;
    if (this.current.inFlight === 0) await this.current.session.release();
  }
}

function checkFeatureNames(metadata: ModelMetadata, featureNames: readonly string[]): void {
  const expected = metadata.featureNames;
  if (expected.length === featureNames.length && expected.every((name, i) => name === featureNames[i])) return;
  const given = new Set(featureNames);
  const wanted = new Set(expected);
  const missing = expected.filter((name) => !given.has(name));
  const extra = featureNames.filter((name) => !wanted.has(name));
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing ${missing.length} feature(s): ${missing.join(', ')}`);
  if (extra.length > 0) parts.push(`extra ${extra.length} feature(s): ${extra.join(', ')}`);
  if (parts.length === 0) {
    const at = expected.findIndex((name, i) => name !== featureNames[i]);
    parts.push(`same features in a different order (position ${at}: model expects '${expected[at]}', rows have '${featureNames[at]}')`);
  }
  throw new ScorerError(
    ScorerErrorCode.SCHEMA_MISMATCH,
    `Rows do not match model ${metadata.versionId} (feature format ${metadata.featureFormat ?? 'none'}): ${parts.join('; ')}`,
  );
}

async function loadModel(location: ModelLocation, options: ScorerOptions): Promise<LoadedModel> {
  const { onnxPath, metadataPath } =
    typeof location === 'string' ? { onnxPath: join(location, 'model.onnx'), metadataPath: join(location, 'model.json') } : location;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(metadataPath, 'utf8'));
  } catch (error) {
    throw new ScorerError(ScorerErrorCode.BAD_METADATA, `Cannot read model metadata ${metadataPath}: ${(error as Error).message}`);
  }
  const parsed = modelMetadataSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ScorerError(ScorerErrorCode.BAD_METADATA, `Model metadata ${metadataPath} is invalid: ${problems.join('; ')}`);
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(await readFile(onnxPath), { intraOpNumThreads: options.intraOpNumThreads ?? 1 });
  } catch (error) {
    throw new ScorerError(ScorerErrorCode.LOAD_FAILED, `Cannot load ONNX model ${onnxPath}: ${(error as Error).message}`);
  }
  const metadata = parsed.data;
  const inputName = session.inputNames[0];
  if (inputName !== metadata.input.name) {
    await session.release();
    throw new ScorerError(ScorerErrorCode.BAD_METADATA, `ONNX input is '${inputName}' but metadata says '${metadata.input.name}'`);
  }
  return { session, metadata, inFlight: 0, retired: false };
}
