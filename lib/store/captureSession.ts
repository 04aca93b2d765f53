/** The capture_sessions row as callers see it, shared by the session queries. */

export type SessionStatus = 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';

export interface CaptureSession {
  id: string;
  /** Wall-clock ms. */
  startedAt: number;
  endedAt: number | null;
  /** What was captured, e.g. "interface eth0 (tcp)" or "file portscan.pcap.gz". */
  source: string;
  modelVersion: string;
  /** Totals the capture reported at the end (0 while running; counters hold the live figures). */
  packets: number;
  flows: number;
  drops: number;
  status: SessionStatus;
  /** Why a failed session failed. */
  error: string | null;
}

export const SESSION_COLUMNS =
  'id, started_at AS startedAt, ended_at AS endedAt, source, model_version AS modelVersion, packets, flows, drops, status, error';

export const SELECT_SESSION = `SELECT ${SESSION_COLUMNS} FROM capture_sessions WHERE id = ?`;
