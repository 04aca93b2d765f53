import { clampLimit } from './limits.ts';
import type { Store } from './store.ts';
import { type StoredThreat, THREAT_COLUMNS, type ThreatRaw, threatFromRaw } from './threatRow.ts';

export const LIST_RECENT_THREATS_MAX = 1000;

export interface ListRecentThreatsOptions {
  /** Only this session's threats. */
  sessionId?: string;
  /** Default 100, at most LIST_RECENT_THREATS_MAX. */
  limit?: number;
  /** Only threats with time < before (packet-time ms): the next page after the oldest row shown. */
  before?: number;
}

/** The newest threats by packet time (then by insertion), newest first. */
export function listRecentThreats(store: Store, options: ListRecentThreatsOptions = {}): StoredThreat[] {
  const limit = clampLimit(options.limit, 100, LIST_RECENT_THREATS_MAX);
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (options.sessionId !== undefined) {
    where.push('session_id = ?');
    params.push(options.sessionId);
  }
  if (options.before !== undefined) {
    where.push('time < ?');
    params.push(options.before);
  }
  const sql =
    `SELECT ${THREAT_COLUMNS} FROM threats` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ' ORDER BY time DESC, rowid DESC LIMIT ?';
  const rows = store.statement(sql).raw(true).all(...params, limit) as ThreatRaw[];
  return rows.map(threatFromRaw);
}
