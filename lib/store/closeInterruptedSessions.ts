import type { Store } from './store.ts';

/**
 * Marks sessions still 'running' as 'interrupted' (the process that ran them died). Call once
 * at monitor start-up, before starting a new session; the end time is the last interval or
 * threat recorded for the session, or its start when there is none.
 */
export function closeInterruptedSessions(store: Store): number {
  return store
    .statement(
      `UPDATE capture_sessions SET status = 'interrupted', ended_at = max(
         started_at,
         coalesce((SELECT max(recorded_at) FROM counters WHERE session_id = capture_sessions.id), 0),
         coalesce((SELECT max(recorded_at) FROM threats WHERE session_id = capture_sessions.id), 0))
       WHERE status = 'running'`,
    )
    .run().changes;
}
