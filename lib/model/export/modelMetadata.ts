/**
 * The JSON written beside model.onnx: everything a scorer must know to feed the model and to
 * explain its answers. The zod schema is the contract; scorers parse with it before trusting a file.
 */
import { z } from 'zod';
import { attackCalibrationSchema } from '../score/calibration.ts';

export const METADATA_FORMAT_VERSION = 1;

export const modelMetadataSchema = z.object({
  formatVersion: z.literal(METADATA_FORMAT_VERSION),
  /** Stable id of this model: derived from the ONNX bytes. */
  versionId: z.string().min(1),
  createdAt: z.string(),
  /** ONNX graph input name and its row layout. */
  input: z.object({ name: z.string(), layout: z.literal('float32 [rows × features], row-major, NaN = missing') }),
  outputs: z.object({ label: z.string(), probabilities: z.string() }),
  /** Feature names in input column order, as the flow engine writes them. */
  featureNames: z.array(z.string()).min(1),
  /** Flow-engine format that produces these features (null when none can, e.g. UNSW-NB15). */
  featureFormat: z.string().nullable(),
  sourceFormat: z.string(),
  /** Class names; class index k is ONNX label k and probability column k. */
  classNames: z.array(z.string()).min(2),
  /** Class name → family and threat category, as given by the caller. */
  classFamilies: z.record(z.string(), z.object({ family: z.string(), threatCategory: z.string() })),
  /** Categorical feature → dictionary; the feature's value is the index into it. */
  categories: z.record(z.string(), z.array(z.string())),
  /** Evaluation results supplied by the caller (free-form JSON). */
  metrics: z.record(z.string(), z.unknown()),
  trainer: z.object({
    algorithm: z.literal('histogram-gbdt'),
    objective: z.enum(['binary', 'multiclass']),
    config: z.record(z.string(), z.unknown()),
    rounds: z.number().int(),
    roundsTrained: z.number().int(),
    stoppedEarly: z.boolean(),
    trainingMs: z.number(),
    classWeights: z.array(z.number()),
  }),
  trainingData: z.object({
    /** sha256 over the training rows' feature values and labels. */
    fingerprint: z.string(),
    rowCount: z.number().int(),
    validationRowCount: z.number().int(),
    classCounts: z.record(z.string(), z.number().int()),
  }),
  featureImportance: z.array(z.object({ feature: z.string(), gain: z.number(), share: z.number(), splits: z.number().int() })),
  /**
   * Optional calibration of 1 − P(benign) (calibration.ts): models without it are uncalibrated and
   * older model.json files load unchanged. Read it with `attackCalibrationOf`.
   */
  attackCalibration: attackCalibrationSchema.optional(),
});

export type ModelMetadata = z.infer<typeof modelMetadataSchema>;
