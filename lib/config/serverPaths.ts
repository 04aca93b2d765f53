/**
 * The only way a path that arrives over the network (socket events, HTTP) reaches the file
 * system: it must be absolute, and inside one of the allowed folders both as written and after
 * every symbolic link is followed (realpath); it must then be a readable regular file. A
 * refusal names the allowed folders and never shows a byte of the file.
 *
 * Paths outside the folders are refused before any file system call, so a refusal says
 * nothing about whether the file exists. The check and the later open are not atomic: a
 * symbolic link swapped in between by someone who can write inside an allowed folder would
 * win that race; nobody can create files there through NetGuard except as uploads (which get
 * names NetGuard makes).
 */
import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { checkPathText, checkRegularFile, type FileResolver, type FileRole } from './fileResolver.ts';
import { PathError, PathErrorCode } from './pathError.ts';

/** True when `path` is `directory` or below it (both absolute and normalised). */
export function isInside(path: string, directory: string): boolean {
  const rel = relative(directory, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The folders without repeats and without folders inside another listed one. */
function outermost(directories: readonly string[]): string[] {
  const unique = [...new Set(directories.map((directory) => resolve(directory)))];
  return unique.filter((directory) => !unique.some((other) => other !== directory && isInside(directory, other)));
}

function realOrSelf(directory: string): string {
  try {
    return realpathSync.native(directory);
  } catch {
    return directory;
  }
}

export class ServerPaths implements FileResolver {
  /** Absolute folders, outermost only (datasets/pcaps disappears under datasets). */
  readonly allowedDirectories: readonly string[];

  constructor(allowedDirectories: readonly string[]) {
    for (const directory of allowedDirectories) {
      if (!isAbsolute(directory)) throw new Error(`allowed folder ${directory} must be an absolute path`);
    }
    this.allowedDirectories = outermost(allowedDirectories);
  }

  /** Ends every refusal, so the user knows where a file has to be. */
  private note(): string {
    const list = this.allowedDirectories.length > 0 ? this.allowedDirectories.join(', ') : '(none configured)';
    return `; NetGuard reads files only inside ${list} (NETGUARD_ALLOWED_DIRS adds folders)`;
  }

  private refuse(message: string): PathError {
    return new PathError(PathErrorCode.PATH_NOT_ALLOWED, `${message}${this.note()}`);
  }

  resolveFile(path: string, role: FileRole): string {
    checkPathText(path, role);
    // Relative to what? Not the process's working directory: the user cannot see it.
    if (!isAbsolute(path)) throw this.refuse(`"${path}" is a relative path; give the ${role}'s absolute path`);
    const written = resolve(path);
    // Folders are realpath'd per call: one created or remounted after start-up still counts.
    const folders = this.allowedDirectories.map((directory) => ({ written: directory, real: realOrSelf(directory) }));
    if (!folders.some((folder) => isInside(written, folder.written) || isInside(written, folder.real))) {
      throw this.refuse(`${path} is outside the folders NetGuard may read`);
    }
    let real: string;
    try {
      real = realpathSync.native(written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new PathError(PathErrorCode.FILE_NOT_FOUND, `no ${role} at ${path}${this.note()}`, { cause: error });
      if (code === 'ELOOP') throw this.refuse(`${path} is a loop of symbolic links`);
      throw new PathError(PathErrorCode.FILE_UNREADABLE, `${path} cannot be read (${code ?? 'error'})${this.note()}`, { cause: error });
    }
    if (!folders.some((folder) => isInside(real, folder.real))) {
      throw this.refuse(`${path} leads outside the folders NetGuard may read (through a symbolic link)`);
    }
    checkRegularFile(real, path, role, this.note());
    return real;
  }

  /**
   * Regular files under the allowed folders whose names match `pattern`, as absolute paths a
   * client may send back (each passes resolveFile), with their sizes; at most `limit`, at most
   * `depth` folders down, symbolic links not followed. For the dashboard's capture-file picker.
   */
  listFiles(pattern: RegExp, limit = 500, depth = 4): ListedFile[] {
    const found: ListedFile[] = [];
    const walk = (directory: string, level: number): void => {
      let entries: Dirent[];
      try {
        entries = readdirSync(directory, { withFileTypes: true });
      } catch {
        return; // an unreadable or vanished folder lists nothing
      }
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        if (found.length >= limit) return;
        const path = join(directory, entry.name);
        if (entry.isDirectory() && level < depth) walk(path, level + 1);
        else if (entry.isFile() && pattern.test(entry.name)) found.push({ path, bytes: statSync(path, { throwIfNoEntry: false })?.size ?? 0 });
      }
    };
    for (const directory of this.allowedDirectories) walk(directory, 0);
    return found;
  }
}

export interface ListedFile {
  path: string;
  bytes: number;
}
