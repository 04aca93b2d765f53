/**
 * The one error a refused or unusable server path raises. Socket handlers answer it as
 * `{ ok: false, msg }`; an HTTP route answers `{ error: { message, code, status } }` with
 * `status` from PATH_ERROR_HTTP_STATUS. No message ever holds a byte of the file.
 */
export const PathErrorCode = {
  /** Not a usable path string: empty, or holding a NUL byte. */
  INVALID_PATH: 'INVALID_PATH',
  /** Relative, or outside the folders NetGuard may read (after following symbolic links). */
  PATH_NOT_ALLOWED: 'PATH_NOT_ALLOWED',
  /** Nothing at that path (inside an allowed folder). */
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  /** A directory, a device, a named pipe or a socket: refused before anything opens it. */
  NOT_A_REGULAR_FILE: 'NOT_A_REGULAR_FILE',
  /** The process may not read it (permissions). */
  FILE_UNREADABLE: 'FILE_UNREADABLE',
} as const;

export type PathErrorCodeValue = (typeof PathErrorCode)[keyof typeof PathErrorCode];

export const PATH_ERROR_HTTP_STATUS: Readonly<Record<PathErrorCodeValue, number>> = {
  INVALID_PATH: 400,
  PATH_NOT_ALLOWED: 403,
  FILE_NOT_FOUND: 404,
  NOT_A_REGULAR_FILE: 422,
  FILE_UNREADABLE: 403,
};

export class PathError extends Error {
  readonly code: PathErrorCodeValue;

  constructor(code: PathErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PathError';
    this.code = code;
  }
}
