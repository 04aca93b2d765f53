/**
 * The single source of truth for every trainer parameter: defaults, allowed ranges and what each
 * one does (in the spirit of LightGBM's config.h). Parse user input with `parseTrainConfig`.
 */
import { z } from 'zod';

export const classWeightsSchema = z
  .union([z.literal('none'), z.literal('balanced'), z.record(z.string(), z.number().positive())])
  .describe(
    "Per-class multipliers on gradients and hessians. 'none': every row weighs 1. 'balanced': " +
      'weight = rows / (classes × rows of that class), as scikit-learn. A record maps class name → ' +
      'weight; classes left out weigh 1.',
  );

export const trainConfigSchema = z
  .object({
    objective: z
      .enum(['auto', 'binary', 'multiclass'])
      .default('auto')
      .describe("Loss to minimise. 'auto' picks 'binary' for 2 classes and 'multiclass' otherwise."),
    trees: z
      .number().int().min(1).max(100_000)
      .default(100)
      .describe('Boosting rounds. Multiclass grows one tree per class per round.'),
    growth: z
      .enum(['depthwise', 'leafwise'])
      .default('depthwise')
      .describe("'depthwise' splits every splittable leaf level by level (XGBoost); 'leafwise' always splits the leaf with the largest gain (LightGBM)."),
    maxDepth: z
      .number().int().min(0).max(64)
      .default(6)
      .describe('Deepest allowed node, root = depth 0. 0 = unlimited (only sensible with leafwise and maxLeaves).'),
    maxLeaves: z
      .number().int().min(0).max(65_536)
      .default(0)
      .describe('Most leaves per tree. 0 = unlimited (depth bounds the tree). leafwise requires maxLeaves > 0 or maxDepth > 0.'),
    learningRate: z
      .number().gt(0).max(1)
      .default(0.3)
      .describe('Shrinkage applied to every leaf value (eta).'),
    lambda: z
      .number().min(0)
      .default(1)
      .describe('L2 regularisation on leaf values; added to the hessian sum in gains and leaf values.'),
    minChildWeight: z
      .number().min(0)
      .default(1)
      .describe('Smallest hessian sum a child may have; splits that make a lighter child are rejected.'),
    minSplitGain: z
      .number().min(0)
      .default(0)
      .describe('Smallest loss reduction a split must bring (gamma).'),
    subsample: z
      .number().gt(0).max(1)
      .default(1)
      .describe('Fraction of training rows drawn (without replacement) for each round.'),
    colsampleByTree: z
      .number().gt(0).max(1)
      .default(1)
      .describe('Fraction of features drawn for each tree.'),
    classWeights: classWeightsSchema.default('none'),
    earlyStoppingRounds: z
      .number().int().min(0)
      .default(0)
      .describe('Stop when validation logloss has not improved for this many rounds; the model keeps the best round. 0 = off.'),
    validationFraction: z
      .number().min(0).max(0.5)
      .default(0)
      .describe('Fraction of rows held out (stratified by class, seeded) as the validation split. Required (> 0) with early stopping.'),
    seed: z
      .number().int()
      .default(42)
      .describe('Seed for the validation split and row/column subsampling; the same seed gives byte-identical trees.'),
    maxBins: z
      .number().int().min(2).max(255)
      .default(255)
      .describe('Most value bins per feature; missing values get one extra bin of their own.'),
  })
  .superRefine((config, context) => {
    if (config.earlyStoppingRounds > 0 && config.validationFraction === 0) {
      context.addIssue({
        code: 'custom',
        path: ['validationFraction'],
        message: 'earlyStoppingRounds needs a validation split: set validationFraction > 0 (e.g. 0.1)',
      });
    }
    if (config.growth === 'leafwise' && config.maxLeaves === 0 && config.maxDepth === 0) {
      context.addIssue({
        code: 'custom',
        path: ['maxLeaves'],
        message: 'leafwise growth needs a bound: set maxLeaves > 0 or maxDepth > 0',
      });
    }
  });

export type TrainConfig = z.output<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;

/** Validates and fills defaults; throws an Error listing every bad parameter. */
export function parseTrainConfig(input: TrainConfigInput = {}): TrainConfig {
  const result = trainConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`);
    throw new Error(`Invalid training config: ${problems.join('; ')}`);
  }
  return result.data;
}
