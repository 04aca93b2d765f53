/**
 * Turns a path someone typed into the path of a regular file to open, or a PathError saying
 * why not. Two resolvers share the checks and messages: `ServerPaths` (serverPaths.ts) for
 * paths that arrive over the network, confined to the allowed folders, and `localFiles` for
 * the command line, whose user reads their own files.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { PathError, PathErrorCode } from './pathError.ts';

/** What the caller wants the file to be; it names the file in messages. */
export type FileRole = 'capture file' | 'dataset file';

export interface FileResolver {
  /** The path to open: a readable regular file. Throws PathError; never opens the file. */
  resolveFile(path: string, role: FileRole): string;
  /** Files a client may choose (the server's allowed folders); absent for the command line. */
  listFiles?(pattern: RegExp, limit?: number): { path: string; bytes: number }[];
}

/** Rejects what no file system call should see (fs throws its own cryptic errors on NUL). */
export function checkPathText(path: unknown, role: FileRole): asserts path is string {
  if (typeof path !== 'string' || path.trim() === '') throw new PathError(PathErrorCode.INVALID_PATH, `give the path of a ${role} on the server`);
  if (path.includes('\0')) throw new PathError(PathErrorCode.INVALID_PATH, `the ${role} path holds a NUL byte`);
}

function kindOf(stats: Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Checks with stat (no open: a FIFO would block, a device never ends) that `path` is a regular
 * file this process may read. `shown` is how the user wrote it; `note` ends every message.
 */
export function checkRegularFile(path: string, shown: string, role: FileRole, note = ''): void {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new PathError(PathErrorCode.FILE_NOT_FOUND, `no ${role} at ${shown}${note}`, { cause: error });
    throw new PathError(PathErrorCode.FILE_UNREADABLE, `${shown} cannot be read (${code ?? 'error'})${note}`, { cause: error });
  }
  const kind = kindOf(stats);
  if (kind !== null) throw new PathError(PathErrorCode.NOT_A_REGULAR_FILE, `${shown} is ${kind}, not a ${role}${note}`);
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw new PathError(PathErrorCode.FILE_UNREADABLE, `${shown} cannot be read by the NetGuard process (permission denied)${note}`, { cause: error });
  }
}

/** The command line's resolver: any readable regular file, relative to the working directory. */
export const localFiles: FileResolver = {
  resolveFile(path, role) {
    checkPathText(path, role);
    const absolute = resolve(path);
    checkRegularFile(absolute, path, role);
    return absolute;
  },
};
