/**
 * What the registry shows of one model version: read from its folder's model.json (schema-checked),
 * metrics.json (headline figures per test set) and version.json (the name it was registered
 * under). A folder whose model.json does not parse is not a version.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type ModelMetadata, modelMetadataSchema } from '../model/export/modelMetadata.ts';
import { type LiveCompatibility, liveCompatibility } from './liveCompatibility.ts';

export const VERSION_INFO_FILE = 'version.json';

export const versionInfoSchema = z.object({
  /** Human name, e.g. the training output folder's name ('nsl-kdd-binary'). */
  name: z.string(),
  registeredAt: z.string(),
  /** Where the files were copied from. */
  origin: z.string(),
});
export type VersionInfo = z.infer<typeof versionInfoSchema>;

export interface HeadlineMetrics {
  testSet: string;
  rows: number;
  accuracy: number;
  macroF1: number;
}

export interface ModelVersionSummary {
  id: string;
  name: string;
  createdAt: string;
  registeredAt: string;
  /** binary / family / multiclass; null for a model.json without a training target. */
  target: string | null;
  featureFormat: string | null;
  sourceFormat: string;
  classes: string[];
  /** One entry per test set in metrics.json. */
  metrics: HeadlineMetrics[];
  /** Training files (name and size). */
  datasets: { file: string; bytes: number }[];
  /** Trainer parameters as the run used them. */
  params: Record<string, unknown>;
  decisionThreshold: number | null;
  live: LiveCompatibility;
  active: boolean;
}

const metricsFileSchema = z.object({
  testSets: z.record(z.string(), z.object({ rows: z.number(), accuracy: z.number(), macroF1: z.number() }).passthrough()).default({}),
}).passthrough();

const targetSchema = z.object({
  target: z.object({ kind: z.string() }).optional(),
  dataSources: z.object({ train: z.array(z.object({ file: z.string(), bytes: z.number() })) }).optional(),
}).passthrough();

export async function readModelMetadata(directory: string): Promise<ModelMetadata> {
  const path = join(directory, 'model.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  const parsed = modelMetadataSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path} is not a NetGuard model description: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

async function readJson(path: string): Promise<unknown> {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return {};
  }
}

export async function summarizeVersion(directory: string, activeId: string | null): Promise<ModelVersionSummary> {
  const metadata = await readModelMetadata(directory);
  const raw = await readJson(join(directory, 'model.json'));
  const extra = targetSchema.safeParse(raw);
  const metricsFile = metricsFileSchema.safeParse(await readJson(join(directory, 'metrics.json')));
  const info = versionInfoSchema.safeParse(await readJson(join(directory, VERSION_INFO_FILE)));
  const threshold = metadata.metrics.decisionThreshold as { threshold?: unknown } | undefined;
  return {
    id: metadata.versionId,
    name: info.success ? info.data.name : metadata.versionId,
    createdAt: metadata.createdAt,
    registeredAt: info.success ? info.data.registeredAt : metadata.createdAt,
    target: extra.success ? (extra.data.target?.kind ?? null) : null,
    featureFormat: metadata.featureFormat,
    sourceFormat: metadata.sourceFormat,
    classes: metadata.classNames,
    metrics: metricsFile.success
      ? Object.entries(metricsFile.data.testSets).map(([testSet, m]) => ({ testSet, rows: m.rows, accuracy: m.accuracy, macroF1: m.macroF1 }))
      : [],
    datasets: extra.success ? (extra.data.dataSources?.train ?? []) : [],
    params: metadata.trainer.config,
    decisionThreshold: typeof threshold?.threshold === 'number' ? threshold.threshold : null,
    live: liveCompatibility(metadata),
    active: metadata.versionId === activeId,
  };
}
