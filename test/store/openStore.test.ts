import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError, StoreErrorCode } from '../../lib/store/errors.ts';
import { LATEST_SCHEMA_VERSION, migrate, type Migration, migrations } from '../../lib/store/migrations.ts';
import { openStore } from '../../lib/store/openStore.ts';
import { startSession } from '../../lib/store/startSession.ts';
import { tempDatabasePath } from './tempStore.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
function tempPath(): string {
  const temp = tempDatabasePath();
  cleanups.push(temp.remove);
  return temp.path;
}

function tableNames(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map(
    (row) => row.name,
  );
}

describe('openStore', () => {
  it('creates the schema in WAL mode with synchronous FULL and records every migration once', () => {
    const path = tempPath();
    const store = openStore(path);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // 2 = FULL, 1 = NORMAL
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tableNames(store.db)).toEqual(['capture_sessions', 'counters', 'evidence', 'incidents', 'schema_version', 'threats']);
    const versions = store.db.prepare('SELECT version FROM schema_version ORDER BY version').all() as { version: number }[];
    expect(versions.map((v) => v.version)).toEqual(migrations.map((m) => m.version));
    store.close();
  });

  it('is idempotent: reopening and migrating again change nothing and keep the data', () => {
    const path = tempPath();
    const first = openStore(path);
    const session = startSession(first, { source: 'file portscan.pcap.gz' });
    const schemaBefore = first.db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    first.close();

    const second = openStore(path);
    expect(migrate(second.db)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
    expect(second.db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()).toEqual(schemaBefore);
    expect(second.db.prepare('SELECT count(*) AS n FROM schema_version').get()).toEqual({ n: migrations.length });
    expect(second.db.prepare('SELECT id FROM capture_sessions').all()).toEqual([{ id: session.id }]);
    second.close();
  });

  it('applies only the migrations a file has not seen, in order', () => {
    const db = new Database(':memory:');
    const first: Migration = { version: 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER)' };
    const second: Migration = { version: 2, name: 'b', sql: 'ALTER TABLE a ADD COLUMN y TEXT' };
    expect(migrate(db, [first])).toEqual({ from: 0, to: 1 });
    db.prepare('INSERT INTO a (x) VALUES (7)').run();
    expect(migrate(db, [first, second])).toEqual({ from: 1, to: 2 });
    expect(migrate(db, [first, second])).toEqual({ from: 2, to: 2 });
    expect(db.prepare('SELECT x, y FROM a').all()).toEqual([{ x: 7, y: null }]);
    db.close();
  });

  it('rolls a failing migration back whole, leaving the version where it was', () => {
    const db = new Database(':memory:');
    const broken: Migration = { version: 1, name: 'broken', sql: 'CREATE TABLE ok (x); CREATE TABLE ok (x)' };
    expect(() => migrate(db, [broken])).toThrow(/already exists/);
    expect(tableNames(db)).toEqual(['schema_version']);
    db.close();
  });

  it('refuses a file from a newer schema with NEWER_SCHEMA', () => {
    const path = tempPath();
    const store = openStore(path);
    store.db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(LATEST_SCHEMA_VERSION + 1, 'future', 0);
    store.close();
    let error: unknown;
    try {
      openStore(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe(StoreErrorCode.NEWER_SCHEMA);
    expect((error as StoreError).message).toMatch(/upgrade NetGuard/);
  });

  it('names the path and the fix when the directory does not exist', () => {
    const path = `${tempPath()}-missing-dir/netguard.sqlite`;
    expect(() => openStore(path)).toThrow(StoreError);
    expect(() => openStore(path)).toThrow(/missing-dir\/netguard\.sqlite.*directory exists/);
  });

  it('refuses a file that is not SQLite with OPEN_FAILED', async () => {
    const path = tempPath();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, 'Time,Source IP\n2009-01-01T00:00:00.000Z,10.0.0.1\n'.repeat(100));
    expect(() => openStore(path)).toThrow(/NetGuard SQLite file/);
  });

  it('rejects a retention period that is not positive', () => {
    expect(() => openStore(':memory:', { retentionDays: 0 })).toThrow(/retentionDays/);
  });
});
