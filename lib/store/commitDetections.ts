import type { StoredEvidence } from '../detect/evidence.ts';
import type { Incident } from '../detect/incident.ts';
import { insertEvidence } from './insertEvidence.ts';
import type { ThreatEvent } from '../detect/threatEvent.ts';
import { insertThreats } from './insertThreats.ts';
import type { Store } from './store.ts';
import { upsertIncidents } from './upsertIncidents.ts';

/**
 * Events, the incidents they changed and the evidence behind them in ONE transaction: one fsync instead of two, and no
 * crash point where the events are stored but their incidents are not. Returns the number of
 * events added (known ids are skipped, as in insertThreats).
 */
export function commitDetections(
  store: Store,
  sessionId: string,
  events: readonly ThreatEvent[],
  incidents: readonly Incident[],
  evidence: readonly StoredEvidence[] = [],
): number {
  // The inner transactions become savepoints of this one.
  return store.db.transaction(() => {
    const added = insertThreats(store, sessionId, events);
    upsertIncidents(store, sessionId, incidents);
    insertEvidence(store, sessionId, evidence);
    return added;
  })();
}
