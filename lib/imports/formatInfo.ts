/** detectFileFormat for the page: a file's detected format, or the reason there is none. */
import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import { detectFileFormat } from '../datasets/detectFormat.ts';
import { DatasetError, DatasetErrorCode } from '../datasets/errors.ts';
import type { FileFormatInfo } from './importContract.ts';

/** What every known layout looks like; said instead of what the file's first line holds. */
const KNOWN_LAYOUTS =
  'expected NSL-KDD (headerless, 42 or 43 fields), CIC-IDS2017 GeneratedLabelledFlows or MachineLearningCVE (header with a Label column), ' +
  'improved CIC-IDS2017 (91 columns with Label) or UNSW-NB15 (45 columns with label)';

/**
 * A dataset error as a user may see it: server paths become the file's base name (the user
 * knows their file by its name), and an unknown layout is described by the layouts NetGuard
 * knows, never by the file's own first line: that line could be anyone's file.
 */
export function datasetErrorMessage(error: unknown, paths: readonly string[]): string {
  if (error instanceof DatasetError && error.code === DatasetErrorCode.UNKNOWN_FORMAT) {
    const named = paths.filter((path) => error.message.includes(path));
    return `${(named.length > 0 ? named : paths).map((path) => basename(path)).join(', ')}: the first line matches no dataset layout NetGuard knows; ${KNOWN_LAYOUTS}`;
  }
  let message = error instanceof Error ? error.message : String(error);
  for (const path of paths) message = message.split(path).join(basename(path));
  return message;
}

export async function fileFormatInfo(path: string): Promise<FileFormatInfo> {
  const name = basename(path);
  let bytes = 0;
  try {
    bytes = (await fs.stat(path)).size;
    const detected = await detectFileFormat(path);
    return { name, bytes, format: detected.format, variant: detected.variant, columns: detected.columnNames.length, error: null };
  } catch (error) {
    return { name, bytes, format: null, variant: null, columns: 0, error: datasetErrorMessage(error, [path]) };
  }
}
