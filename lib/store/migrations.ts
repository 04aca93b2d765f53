/**
 * The schema as an ordered list of migrations. A migration is never edited once released; a
 * change is a new entry with the next version. schema_version holds one row per applied
 * migration.
 *
 * Times: `time`, `first_seen`, `last_seen`, `interval_start` are packet time (ms since the
 * epoch), what the user asks about. `recorded_at`, `started_at`, `ended_at` are wall-clock ms of
 * the write; retention uses them, so replaying a 2009 capture today does not age out at once.
 */
import type Database from 'better-sqlite3';
import { StoreError, StoreErrorCode } from './errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const severities = `'Critical','High','Medium','Low'`;
const categories = `'Network','Reconnaissance','Application','Web','Endpoint','DNS','Unknown'`;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions, threats, incidents, counters',
    sql: `
      CREATE TABLE capture_sessions (
        id            TEXT PRIMARY KEY,
        started_at    INTEGER NOT NULL,
        ended_at      INTEGER,
        source        TEXT NOT NULL,
        model_version TEXT NOT NULL DEFAULT '',
        packets       INTEGER NOT NULL DEFAULT 0,
        flows         INTEGER NOT NULL DEFAULT 0,
        drops         INTEGER NOT NULL DEFAULT 0,
        status        TEXT NOT NULL DEFAULT 'running'
                      CHECK (status IN ('running','completed','stopped','failed','interrupted')),
        error         TEXT
      );
      CREATE INDEX capture_sessions_started_at ON capture_sessions (started_at);

      CREATE TABLE threats (
        id               TEXT NOT NULL UNIQUE,
        session_id       TEXT NOT NULL REFERENCES capture_sessions (id),
        time             INTEGER NOT NULL,
        source_ip        TEXT NOT NULL,
        destination_ip   TEXT NOT NULL,
        destination_port INTEGER NOT NULL,
        protocol         TEXT NOT NULL,
        threat_type      TEXT NOT NULL,
        category         TEXT NOT NULL CHECK (category IN (${categories})),
        severity         TEXT NOT NULL CHECK (severity IN (${severities})),
        confidence       REAL NOT NULL,
        detector         TEXT NOT NULL,
        model_version    TEXT NOT NULL,
        flow_id          TEXT NOT NULL,
        incident_id      TEXT NOT NULL,
        summary          TEXT NOT NULL,
        recorded_at      INTEGER NOT NULL
      );
      CREATE INDEX threats_time ON threats (time);
      CREATE INDEX threats_session_time ON threats (session_id, time);
      CREATE INDEX threats_incident_id ON threats (incident_id);
      CREATE INDEX threats_recorded_at ON threats (recorded_at);

      CREATE TABLE incidents (
        id               TEXT PRIMARY KEY,
        session_id       TEXT NOT NULL REFERENCES capture_sessions (id),
        key              TEXT NOT NULL,
        threat_type      TEXT NOT NULL,
        category         TEXT NOT NULL CHECK (category IN (${categories})),
        severity         TEXT NOT NULL CHECK (severity IN (${severities})),
        peak_confidence  REAL NOT NULL,
        source_ip        TEXT NOT NULL,
        destination_ip   TEXT NOT NULL,
        destination_port INTEGER NOT NULL,
        protocol         TEXT NOT NULL,
        detector         TEXT NOT NULL,
        model_version    TEXT NOT NULL,
        first_seen       INTEGER NOT NULL,
        last_seen        INTEGER NOT NULL,
        event_count      INTEGER NOT NULL,
        summary          TEXT NOT NULL,
        recorded_at      INTEGER NOT NULL
      );
      CREATE INDEX incidents_session_last_seen ON incidents (session_id, last_seen);
      CREATE INDEX incidents_recorded_at ON incidents (recorded_at);

      CREATE TABLE counters (
        session_id       TEXT NOT NULL REFERENCES capture_sessions (id),
        interval_start   INTEGER NOT NULL,
        interval_ms      INTEGER NOT NULL,
        packets          INTEGER NOT NULL,
        bytes            INTEGER NOT NULL,
        flows            INTEGER NOT NULL,
        threats_critical INTEGER NOT NULL,
        threats_high     INTEGER NOT NULL,
        threats_medium   INTEGER NOT NULL,
        threats_low      INTEGER NOT NULL,
        drops            INTEGER NOT NULL,
        recorded_at      INTEGER NOT NULL,
        PRIMARY KEY (session_id, interval_start)
      );
      CREATE INDEX counters_recorded_at ON counters (recorded_at);
    `,
  },
  {
    version: 2,
    name: 'evidence behind each alert',
    // The per-flow model verdicts and rule detections an alert was fused from (lib/detect/evidence.ts).
    sql: `
      CREATE TABLE evidence (
        session_id       TEXT NOT NULL REFERENCES capture_sessions (id),
        incident_id      TEXT NOT NULL,
        time             INTEGER NOT NULL,
        detector         TEXT NOT NULL,
        family           TEXT NOT NULL,
        confidence       REAL NOT NULL,
        attacker         TEXT NOT NULL,
        target           TEXT NOT NULL,
        destination_port INTEGER NOT NULL,
        protocol         TEXT NOT NULL,
        model_version    TEXT NOT NULL,
        flow_id          TEXT NOT NULL,
        summary          TEXT NOT NULL,
        recorded_at      INTEGER NOT NULL
      );
      CREATE INDEX evidence_incident ON evidence (incident_id, time);
      CREATE INDEX evidence_recorded_at ON evidence (recorded_at);
    `,
  },
  {
    version: 3,
    name: 'representative flow of each alert',
    // ThreatEvent.representativeFlow (lib/detect/threatEvent.ts): the one five-tuple and counters
    // the Suricata EVE export writes. NULL on rows stored before this version (and on events
    // that carry none); the export then falls back to the alert's own addresses and zeros.
    sql: `
      ALTER TABLE threats ADD COLUMN rep_flow_id          TEXT;
      ALTER TABLE threats ADD COLUMN rep_source_ip        TEXT;
      ALTER TABLE threats ADD COLUMN rep_destination_ip   TEXT;
      ALTER TABLE threats ADD COLUMN rep_source_port      INTEGER;
      ALTER TABLE threats ADD COLUMN rep_destination_port INTEGER;
      ALTER TABLE threats ADD COLUMN rep_packets_to_server INTEGER;
      ALTER TABLE threats ADD COLUMN rep_packets_to_client INTEGER;
      ALTER TABLE threats ADD COLUMN rep_bytes_to_server  INTEGER;
      ALTER TABLE threats ADD COLUMN rep_bytes_to_client  INTEGER;
      ALTER TABLE threats ADD COLUMN rep_start            INTEGER;
    `,
  },
  {
    version: 4,
    name: 'port span of incidents about many ports',
    // Incident.ports (lib/detect/incident.ts): a scan's port count and range, for the feed.
    // NULL for one-port incidents and for rows stored before this version.
    sql: `
      ALTER TABLE incidents ADD COLUMN port_count INTEGER;
      ALTER TABLE incidents ADD COLUMN port_min   INTEGER;
      ALTER TABLE incidents ADD COLUMN port_max   INTEGER;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;

export interface MigrationResult {
  /** Version found in the file (0 for a new file). */
  from: number;
  to: number;
}

/**
 * Brings the schema to the latest version. Runs under BEGIN IMMEDIATE so two processes opening
 * one new file do not both apply version 1; each migration commits with its version row.
 */
export function migrate(db: Database.Database, list: readonly Migration[] = migrations): MigrationResult {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const latest = list[list.length - 1]?.version ?? 0;
  const currentVersion = (): number =>
    (db.prepare('SELECT coalesce(max(version), 0) AS version FROM schema_version').get() as { version: number }).version;
  const from = currentVersion();
  if (from > latest) {
    throw new StoreError(
      StoreErrorCode.NEWER_SCHEMA,
      `the database has schema version ${from}, newer than this NetGuard knows (${latest}); ` +
        'upgrade NetGuard or point it at another database file',
    );
  }
  const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of list) {
    db.transaction(() => {
      // Re-read inside the write lock: another process may have applied it meanwhile.
      if (currentVersion() >= migration.version) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
  }
  return { from, to: currentVersion() };
}
