/**
 * What the /models page shows of one version beyond the registry's summary: per test set the
 * confusion matrix and per-class figures, and the top features by gain, read from the version's
 * metrics.json (written by runTraining). lib/realtime serves it as 'models:details' { id }.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const testSetSchema = z.object({
  rows: z.number(),
  accuracy: z.number(),
  macroF1: z.number(),
  perClass: z.array(z.object({ class: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number() })).default([]),
  confusion: z.object({ classes: z.array(z.string()), matrix: z.array(z.array(z.number())) }).nullable().default(null),
});

const metricsFileSchema = z.object({
  testSets: z.record(z.string(), testSetSchema).default({}),
  topFeatures: z.array(z.object({ feature: z.string(), gain: z.number(), share: z.number() })).default([]),
  training: z.object({ trainRows: z.number().optional(), validationRows: z.number().optional(), roundsTrained: z.number().optional(), trainingMs: z.number().optional() }).passthrough().optional(),
});

export type ModelDetails = z.infer<typeof metricsFileSchema> & { id: string };

export async function readModelDetails(directory: string, id: string): Promise<ModelDetails> {
  const path = join(directory, 'metrics.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`model version ${id} has no readable metrics.json: ${(error as Error).message}`);
  }
  const parsed = metricsFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`metrics.json of model version ${id} is not in the trainer's layout: ${parsed.error.issues[0]?.path.join('.')}`);
  return { id, ...parsed.data };
}
