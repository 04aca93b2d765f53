import { type CaptureSession, SELECT_SESSION, type SessionStatus } from './captureSession.ts';
import { StoreError, StoreErrorCode } from './errors.ts';
import type { Store } from './store.ts';

export interface EndSessionInput {
  status: Exclude<SessionStatus, 'running'>;
  packets: number;
  flows: number;
  drops: number;
  error?: string;
  /** Default: the store's clock. */
  endedAt?: number;
}

/** Closes a session with the capture's final totals. Throws UNKNOWN_SESSION for an unknown id. */
export function endSession(store: Store, sessionId: string, input: EndSessionInput): CaptureSession {
  const result = store
    .statement(
      'UPDATE capture_sessions SET ended_at = ?, status = ?, packets = ?, flows = ?, drops = ?, error = ? WHERE id = ?',
    )
    .run(input.endedAt ?? store.now(), input.status, input.packets, input.flows, input.drops, input.error ?? null, sessionId);
  if (result.changes === 0) throw new StoreError(StoreErrorCode.UNKNOWN_SESSION, `no capture session with id "${sessionId}"`);
  return store.statement(SELECT_SESSION).get(sessionId) as CaptureSession;
}
