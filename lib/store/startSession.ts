import { randomUUID } from 'node:crypto';
import { type CaptureSession, SELECT_SESSION } from './captureSession.ts';
import type { Store } from './store.ts';

export interface StartSessionInput {
  source: string;
  modelVersion?: string;
  /** Default: a new UUID. */
  id?: string;
  /** Default: the store's clock. */
  startedAt?: number;
}

/** Records a new running capture session; threats, incidents and counters then refer to its id. */
export function startSession(store: Store, input: StartSessionInput): CaptureSession {
  const id = input.id ?? randomUUID();
  store
    .statement('INSERT INTO capture_sessions (id, started_at, source, model_version) VALUES (?, ?, ?, ?)')
    .run(id, input.startedAt ?? store.now(), input.source, input.modelVersion ?? '');
  return store.statement(SELECT_SESSION).get(id) as CaptureSession;
}
