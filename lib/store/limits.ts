import { StoreError, StoreErrorCode } from './errors.ts';

/** A row limit from a caller: default when absent, clamped to max, an error when not a positive integer. */
export function clampLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new StoreError(StoreErrorCode.BAD_ARGUMENT, `limit must be a positive integer, got ${limit}`);
  }
  return Math.min(limit, max);
}
