import type Database from 'better-sqlite3';

/** WAL sync level: FULL syncs the WAL at every commit, NORMAL only at checkpoints. */
export type SynchronousMode = 'FULL' | 'NORMAL';

export interface StoreOptions {
  /** Rows recorded longer ago than this are removed by applyRetention (default 30). */
  retentionDays?: number;
  /**
   * Default 'FULL': a committed threat survives power loss and OS crash, not only a process
   * crash (see README, "Durability"). 'NORMAL' exists for measurement and for throwaway stores.
   */
  synchronous?: SynchronousMode;
  /** Wall clock in ms for recorded_at / started_at (tests set it). Default Date.now. */
  now?: () => number;
}

/**
 * An open store: one SQLite connection (the only writer in this process) plus a cache of its
 * prepared statements, so every query module prepares its SQL once per store and reuses it.
 */
export class Store {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    readonly db: Database.Database,
    /** The file path given to openStore (':memory:' for an in-memory store). */
    readonly path: string,
    readonly retentionDays: number,
    readonly synchronous: SynchronousMode,
    readonly now: () => number,
  ) {}

  /** The prepared statement for `sql`, prepared on first use. */
  statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (prepared === undefined) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  /** True when the database lives in a file other connections can open (not ':memory:'). */
  get isFile(): boolean {
    return this.path !== ':memory:' && this.path !== '';
  }

  close(): void {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}
