/**
 * What model.json carries beyond the scorer's schema (modelMetadata.ts) for a model made by a
 * training run: the target (binary / family / multiclass), every fine label and its class, the
 * binary decision threshold, and where the data came from. The scorer ignores these keys; the
 * evaluate command reads them back with this schema.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TARGET_KINDS } from './trainingTarget.ts';

export const fineClassSchema = z.object({
  label: z.string(),
  class: z.string(),
  family: z.string(),
  threatCategory: z.string(),
});

export const sourceFileSchema = z.object({ file: z.string(), bytes: z.number().int() });

export const targetMetadataSchema = z.object({
  target: z.object({
    kind: z.enum(TARGET_KINDS),
    /** Fine labels seen in training and the class each was trained as. */
    fineClasses: z.array(fineClassSchema),
  }),
  dataSources: z.object({
    /** sha256 of the training files' bytes and the load options (lib/datasets fingerprintSources). */
    fingerprint: z.string(),
    train: z.array(sourceFileSchema),
    /** Test set name → files; the metrics in model.json / metrics.json are on these. */
    tests: z.record(z.string(), z.array(sourceFileSchema)),
  }),
});

export type TargetMetadata = z.infer<typeof targetMetadataSchema>;

/** Reads the target block of `directory/model.json`; a model without one fails with a clear message. */
export async function readTargetMetadata(directory: string): Promise<TargetMetadata> {
  const path = join(directory, 'model.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read model metadata ${path}: ${(error as Error).message}`);
  }
  const parsed = targetMetadataSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`${path} has no usable training target (was it written by "netguard train"?): ${problems.join('; ')}`);
  }
  return parsed.data;
}
