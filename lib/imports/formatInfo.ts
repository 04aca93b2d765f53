/** detectFileFormat for the page: a file's detected format, or the reason there is none. */
import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import { detectFileFormat } from '../datasets/detectFormat.ts';
import type { FileFormatInfo } from './importContract.ts';

/** Server paths in messages become the file's base name: the user knows their file by its name. */
export function userMessage(message: string, path: string): string {
  return message.split(path).join(basename(path));
}

export async function fileFormatInfo(path: string): Promise<FileFormatInfo> {
  const name = basename(path);
  let bytes = 0;
  try {
    bytes = (await fs.stat(path)).size;
    const detected = await detectFileFormat(path);
    return { name, bytes, format: detected.format, variant: detected.variant, columns: detected.columnNames.length, error: null };
  } catch (error) {
    return { name, bytes, format: null, variant: null, columns: 0, error: userMessage((error as Error).message, path) };
  }
}
