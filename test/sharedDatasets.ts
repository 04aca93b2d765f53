/**
 * Where the shared real datasets live for the tests: NETGUARD_DATASETS, else ../shared/datasets
 * beside the repository (as a clean clone in CI has it). Says clearly what is missing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function sharedDatasetsDirectory(): string {
  const directory = resolve(process.env.NETGUARD_DATASETS ?? fileURLToPath(new URL('../../shared/datasets', import.meta.url)));
  if (!existsSync(directory)) {
    throw new Error(`the shared datasets are not at ${directory}: put the shared/ folder beside the repository or set NETGUARD_DATASETS`);
  }
  return directory;
}
