/**
 * Errors at the dataset boundary (CSV files, cache files). Single bad rows are not errors:
 * the loader drops and counts them (see LoadReport). These codes are for what a user must fix.
 */
export const DatasetErrorCode = {
  /** A path given to the loader does not exist. */
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  /** The path exists but cannot be read (a directory, permissions, I/O error). */
  FILE_UNREADABLE: 'FILE_UNREADABLE',
  /** The file has zero bytes, decompresses to nothing, or has a header but no data rows. */
  EMPTY_FILE: 'EMPTY_FILE',
  /** gzip data that zlib rejects (bad header, bad checksum, truncated stream). */
  CORRUPT_GZIP: 'CORRUPT_GZIP',
  /** The first line matches none of the known dataset layouts. */
  UNKNOWN_FORMAT: 'UNKNOWN_FORMAT',
  /** The caller asked for one format and the file is another. */
  FORMAT_MISMATCH: 'FORMAT_MISMATCH',
  /** Several files were given and they are not all the same format / same feature columns. */
  MIXED_FORMATS: 'MIXED_FORMATS',
  /** More rows were malformed than the loader tolerates (see LoadOptions.maxBadRowFraction). */
  TOO_MANY_BAD_ROWS: 'TOO_MANY_BAD_ROWS',
  /** An option passed to the loader is out of range (e.g. maxRows < 1). */
  INVALID_OPTION: 'INVALID_OPTION',
  /** A columnar cache file is truncated, has a bad magic/version, or inconsistent blocks. */
  BAD_CACHE: 'BAD_CACHE',
} as const;

export type DatasetErrorCodeValue = (typeof DatasetErrorCode)[keyof typeof DatasetErrorCode];

export class DatasetError extends Error {
  readonly code: DatasetErrorCodeValue;

  constructor(code: DatasetErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatasetError';
    this.code = code;
  }
}
