import Database from 'better-sqlite3';
import { StoreError, StoreErrorCode } from './errors.ts';
import { migrate } from './migrations.ts';
import { Store, type StoreOptions } from './store.ts';

export const DEFAULT_RETENTION_DAYS = 30;

/**
 * Opens (creating if needed) the SQLite store at `path` and migrates it to the latest schema.
 * WAL journal, synchronous FULL by default, foreign keys on, 5 s busy timeout for the moments
 * another connection (a report reader, a second process) holds a lock.
 */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  if (!(retentionDays > 0)) {
    throw new StoreError(StoreErrorCode.BAD_ARGUMENT, `retentionDays must be a positive number of days, got ${retentionDays}`);
  }
  const synchronous = options.synchronous ?? 'FULL';
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    throw new StoreError(
      StoreErrorCode.OPEN_FAILED,
      `cannot open the threat database "${path}": ${(error as Error).message} (check that the directory exists and is writable)`,
    );
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 16 MB page cache (default 2 MB): the random-uuid id and incident indexes touch pages all over.
    db.pragma('cache_size = -16384');
    migrate(db);
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError(
      StoreErrorCode.OPEN_FAILED,
      `cannot use "${path}" as the threat database: ${(error as Error).message} (is it a NetGuard SQLite file?)`,
    );
  }
  return new Store(db, path, retentionDays, synchronous, options.now ?? Date.now);
}
