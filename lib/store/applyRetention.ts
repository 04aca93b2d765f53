import { setImmediate as nextTurn } from 'node:timers/promises';
import { StoreError, StoreErrorCode } from './errors.ts';
import type { Store } from './store.ts';

export interface RetentionOptions {
  /** Default: the store's retentionDays. */
  retentionDays?: number;
  /** Rows deleted per transaction (default 2,000, a few ms of work). */
  chunkRows?: number;
}

export interface RetentionResult {
  /** Wall-clock ms; rows recorded before it were removed. */
  cutoff: number;
  threats: number;
  incidents: number;
  counters: number;
  evidence: number;
  sessions: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes rows recorded (wall clock, recorded_at) more than retentionDays ago, in small
 * transactions with a turn of the event loop between them: the monitor's inserts run between
 * chunks instead of waiting for one long delete. Sessions go once they ended before the cutoff
 * and nothing refers to them any more.
 */
export async function applyRetention(store: Store, options: RetentionOptions = {}): Promise<RetentionResult> {
  const retentionDays = options.retentionDays ?? store.retentionDays;
  const chunkRows = options.chunkRows ?? 2000;
  if (!(retentionDays > 0)) {
    throw new StoreError(StoreErrorCode.BAD_ARGUMENT, `retentionDays must be positive, got ${retentionDays}`);
  }
  if (!Number.isInteger(chunkRows) || chunkRows < 1) {
    throw new StoreError(StoreErrorCode.BAD_ARGUMENT, `chunkRows must be a positive integer, got ${chunkRows}`);
  }
  const cutoff = store.now() - retentionDays * DAY_MS;
  const result: RetentionResult = { cutoff, threats: 0, incidents: 0, counters: 0, evidence: 0, sessions: 0 };
  for (const table of ['threats', 'incidents', 'counters', 'evidence'] as const) {
    // rowid subselect through the recorded_at index: each chunk touches only rows it deletes.
    const remove = store.statement(
      `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE recorded_at < ? LIMIT ?)`,
    );
    for (;;) {
      const deleted = remove.run(cutoff, chunkRows).changes;
      result[table] += deleted;
      if (deleted < chunkRows) break;
      await nextTurn();
    }
  }
  result.sessions = store
    .statement(
      `DELETE FROM capture_sessions WHERE status <> 'running' AND ended_at < ?
         AND NOT EXISTS (SELECT 1 FROM threats WHERE session_id = capture_sessions.id)
         AND NOT EXISTS (SELECT 1 FROM incidents WHERE session_id = capture_sessions.id)
         AND NOT EXISTS (SELECT 1 FROM counters WHERE session_id = capture_sessions.id)
         AND NOT EXISTS (SELECT 1 FROM evidence WHERE session_id = capture_sessions.id)`,
    )
    .run(cutoff).changes;
  return result;
}
