/**
 * The one way tests and benches find the shared real datasets (see SOURCES.md there):
 * NETGUARD_DATASETS, else ../shared/datasets beside the repository (as a clean clone in CI has
 * it). A missing folder or file is an error that says what is missing and where it was looked for.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder, whether or not it exists (for messages and allow-lists). */
export const SHARED_DATASETS = resolve(process.env.NETGUARD_DATASETS ?? fileURLToPath(new URL('../../shared/datasets', import.meta.url)));

export function sharedDatasetsDirectory(): string {
  if (!existsSync(SHARED_DATASETS)) {
    throw new Error(`the shared datasets are not at ${SHARED_DATASETS}: put the shared/ folder beside the repository or set NETGUARD_DATASETS`);
  }
  return SHARED_DATASETS;
}

/** The path of `relative` inside the shared datasets; throws naming the file when it is not there. */
export function sharedDataset(relative: string): string {
  const path = join(sharedDatasetsDirectory(), relative);
  if (!existsSync(path)) throw new Error(`${relative} is not in the shared datasets at ${SHARED_DATASETS} (see SOURCES.md there)`);
  return path;
}
