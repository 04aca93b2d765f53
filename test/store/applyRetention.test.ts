import { beforeAll, describe, expect, it } from 'vitest';
import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { applyRetention } from '../../lib/store/applyRetention.ts';
import { endSession } from '../../lib/store/endSession.ts';
import type { StoredEvidence } from '../../lib/detect/evidence.ts';
import { insertEvidence } from '../../lib/store/insertEvidence.ts';
import { insertThreats } from '../../lib/store/insertThreats.ts';
import { listSessions } from '../../lib/store/listSessions.ts';
import { openStore } from '../../lib/store/openStore.ts';
import { recordCounters } from '../../lib/store/recordCounters.ts';
import { startSession } from '../../lib/store/startSession.ts';
import { upsertIncidents } from '../../lib/store/upsertIncidents.ts';
import { countersOf, flowsAsThreats, incidentsOf, type LabelledFlow } from './realEvents.ts';

const DAY = 86_400_000;
let flows: LabelledFlow[];
let events: ThreatEvent[];
beforeAll(async () => {
  flows = await flowsAsThreats('pcaps/ppa-markofu/ftp-crack.pcap.gz', {
    threatType: 'BruteForce',
    category: 'Application',
    confidence: 0.9,
  });
  events = flows.map((f) => f.event);
});

/** Each event's flow as the evidence behind its alert. */
function evidenceOf(alerts: readonly ThreatEvent[]): StoredEvidence[] {
  return alerts.map((e) => ({
    time: e.time, attacker: e.sourceIp, family: e.threatType, category: e.category, target: e.destinationIp,
    destinationPort: e.destinationPort, protocol: e.protocol, confidence: e.confidence, detector: 'model',
    modelVersion: e.modelVersion, flowId: e.flowId, summary: e.summary, incidentId: e.incidentId,
  }));
}

function count(store: ReturnType<typeof openStore>, table: string): number {
  return (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('applyRetention', () => {
  it('deletes rows recorded before the cutoff only, in chunks, and then the emptied ended sessions', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const store = openStore(':memory:', { retentionDays: 10, now: () => clock });
    const half = Math.floor(events.length / 2);
    const oldEvents = events.slice(0, half);
    const newEvents = events.slice(half);

    const old = startSession(store, { source: 'old' });
    insertThreats(store, old.id, oldEvents);
    upsertIncidents(store, old.id, incidentsOf(oldEvents));
    insertEvidence(store, old.id, evidenceOf(oldEvents));
    recordCounters(store, old.id, countersOf(flows.slice(0, half), 2000));
    endSession(store, old.id, { status: 'completed', packets: 1, flows: 1, drops: 0 });

    clock += 8 * DAY;
    const recent = startSession(store, { source: 'recent' });
    insertThreats(store, recent.id, newEvents);
    insertEvidence(store, recent.id, evidenceOf(newEvents));
    recordCounters(store, recent.id, countersOf(flows.slice(half), 2000));
    // A session still running with nothing recorded yet stays whatever its age.
    const idle = startSession(store, { source: 'idle', startedAt: clock - 100 * DAY });

    clock += 3 * DAY; // old rows are 11 days old, recent ones 3
    const result = await applyRetention(store, { chunkRows: 100 });
    expect(result).toEqual({
      cutoff: clock - 10 * DAY,
      threats: oldEvents.length,
      incidents: incidentsOf(oldEvents).length,
      counters: countersOf(flows.slice(0, half), 2000).length,
      evidence: oldEvents.length,
      sessions: 1,
    });
    expect(count(store, 'threats')).toBe(newEvents.length);
    expect(count(store, 'evidence')).toBe(newEvents.length);
    const kept = store.db.prepare('SELECT id FROM threats ORDER BY rowid').all() as { id: string }[];
    expect(kept.map((row) => row.id)).toEqual(newEvents.map((e) => e.id));
    expect(count(store, 'counters')).toBe(countersOf(flows.slice(half), 2000).length);
    expect(listSessions(store).map((s) => s.id).sort()).toEqual([recent.id, idle.id].sort());

    // Nothing else is old enough: a second pass deletes nothing.
    expect(await applyRetention(store)).toMatchObject({ threats: 0, incidents: 0, counters: 0, evidence: 0, sessions: 0 });
    store.close();
  });

  it('yields to the event loop between chunks, so inserts run while it deletes', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const store = openStore(':memory:', { retentionDays: 1, now: () => clock });
    const session = startSession(store, { source: 'live' });
    insertThreats(store, session.id, events);
    clock += 2 * DAY;
    const retention = applyRetention(store, { chunkRows: 50 });
    // Runs at the first turn the retention loop gives up: some chunks done, not all.
    const seenBetweenChunks = await new Promise<number>((resolve) =>
      setImmediate(() => {
        insertThreats(store, session.id, [{ ...events[0]!, id: 'inserted-during-retention' }]);
        resolve(count(store, 'threats'));
      }),
    );
    const result = await retention;
    expect(seenBetweenChunks).toBeGreaterThan(1);
    expect(seenBetweenChunks).toBeLessThan(events.length);
    expect(result.threats).toBe(events.length);
    // Recorded now, so not old: the insert made between chunks survives.
    expect(store.db.prepare('SELECT id FROM threats').all()).toEqual([{ id: 'inserted-during-retention' }]);
    store.close();
  });

  it('rejects nonsense settings', async () => {
    const store = openStore(':memory:');
    await expect(applyRetention(store, { retentionDays: -1 })).rejects.toThrow(/retentionDays/);
    await expect(applyRetention(store, { chunkRows: 0 })).rejects.toThrow(/chunkRows/);
    store.close();
  });
});
