/** Error codes of the store; messages say what to do. */
export const StoreErrorCode = {
  /** The database file could not be opened or created (missing directory, permissions, not SQLite). */
  OPEN_FAILED: 'OPEN_FAILED',
  /** The file was written by a newer NetGuard (schema version above the ones this build knows). */
  NEWER_SCHEMA: 'NEWER_SCHEMA',
  /** A session id that is not in capture_sessions. */
  UNKNOWN_SESSION: 'UNKNOWN_SESSION',
  /** A caller-supplied value out of range (limits, time ranges, retention days). */
  BAD_ARGUMENT: 'BAD_ARGUMENT',
} as const;
export type StoreErrorCode = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
