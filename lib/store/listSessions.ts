import { type CaptureSession, SESSION_COLUMNS } from './captureSession.ts';
import { clampLimit } from './limits.ts';
import type { Store } from './store.ts';

export const LIST_SESSIONS_MAX = 500;

/** Sessions, newest first (default 50, at most LIST_SESSIONS_MAX). */
export function listSessions(store: Store, options: { limit?: number } = {}): CaptureSession[] {
  const limit = clampLimit(options.limit, 50, LIST_SESSIONS_MAX);
  return store
    .statement(`SELECT ${SESSION_COLUMNS} FROM capture_sessions ORDER BY started_at DESC, rowid DESC LIMIT ?`)
    .all(limit) as CaptureSession[];
}
