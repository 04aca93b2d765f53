import { beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../lib/detect/incident.ts';
import type { Severity, ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { getSessionSummary, TOP_ATTACK_TYPES } from '../../lib/store/getSessionSummary.ts';
import { insertThreats } from '../../lib/store/insertThreats.ts';
import { listRecentIncidents } from '../../lib/store/listRecentIncidents.ts';
import { openStore } from '../../lib/store/openStore.ts';
import { recordCounters } from '../../lib/store/recordCounters.ts';
import { startSession } from '../../lib/store/startSession.ts';
import { upsertIncidents } from '../../lib/store/upsertIncidents.ts';
import { attackCaptures } from './attackCaptures.ts';
import { countersOf, flowsAsThreats, incidentsOf, type LabelledFlow } from './realEvents.ts';

let flows: LabelledFlow[];
let events: ThreatEvent[];
beforeAll(async () => {
  flows = [];
  for (const { capture, label } of attackCaptures) flows.push(...(await flowsAsThreats(capture, label)));
  events = flows.map((flow) => flow.event);
});

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function largestFirst(counts: Map<string, number>): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

describe('getSessionSummary', () => {
  it('matches counts computed independently from the inserted events, counters and incidents', () => {
    const store = openStore(':memory:');
    const session = startSession(store, { source: 'replay of the attack captures' });
    const other = startSession(store, { source: 'another session' });
    for (let i = 0; i < events.length; i += 500) insertThreats(store, session.id, events.slice(i, i + 500));
    insertThreats(store, other.id, events.slice(0, 100).map((e) => ({ ...e, id: `${e.id}-other` })));
    const counters = countersOf(flows, 2000);
    recordCounters(store, session.id, counters);
    const incidents = incidentsOf(events);
    upsertIncidents(store, session.id, incidents);

    const summary = getSessionSummary(store, session.id)!;
    expect(summary.session.id).toBe(session.id);
    expect(summary.totalThreats).toBe(events.length);

    const severities = countBy(events, (e) => e.severity);
    for (const severity of ['Critical', 'High', 'Medium', 'Low'] as Severity[]) {
      expect(summary.severity[severity]).toBe(severities.get(severity) ?? 0);
    }
    // The fixture spreads over all four severities, so a mix-up between them would show.
    expect(severities.size).toBe(4);

    const types = largestFirst(countBy(events, (e) => e.threatType));
    expect(types.length).toBeGreaterThan(TOP_ATTACK_TYPES);
    expect(summary.attackTypes).toEqual(types.slice(0, TOP_ATTACK_TYPES).map(([type, count]) => ({ type, count })));
    expect(summary.categories).toEqual(
      largestFirst(countBy(events, (e) => e.category)).map(([category, count]) => ({ category, count })),
    );
    expect(summary.incidents).toBe(incidents.length);
    expect(summary.firstThreatAt).toBe(Math.min(...events.map((e) => e.time)));
    expect(summary.lastThreatAt).toBe(Math.max(...events.map((e) => e.time)));
    expect(summary.traffic).toEqual({
      packets: flows.reduce((sum, f) => sum + f.packets, 0),
      bytes: flows.reduce((sum, f) => sum + f.bytes, 0),
      flows: flows.length,
      drops: 0,
      intervals: counters.length,
    });
    expect(getSessionSummary(store, other.id)!.totalThreats).toBe(100);
    expect(getSessionSummary(store, 'unknown')).toBeUndefined();
    store.close();
  });

  it('an empty session has zero everywhere', () => {
    const store = openStore(':memory:');
    const session = startSession(store, { source: 'idle interface' });
    const summary = getSessionSummary(store, session.id)!;
    expect(summary).toMatchObject({
      totalThreats: 0,
      severity: { Critical: 0, High: 0, Medium: 0, Low: 0 },
      attackTypes: [],
      categories: [],
      incidents: 0,
      firstThreatAt: null,
      traffic: { packets: 0, bytes: 0, flows: 0, drops: 0, intervals: 0 },
    });
    store.close();
  });
});

describe('upsertIncidents / recordCounters', () => {
  it('replaces an incident by id with its latest state and keeps its session', () => {
    const store = openStore(':memory:');
    const first = startSession(store, { source: 'a' });
    const second = startSession(store, { source: 'b' });
    const firstBruteForce = events.find((e) => e.threatType === 'BruteForce-SSH')!;
    const bruteForce = events.filter((e) => e.incidentId === firstBruteForce.incidentId);
    expect(bruteForce.length).toBeGreaterThan(10);
    const early = incidentsOf(bruteForce.slice(0, 10));
    const late = incidentsOf(bruteForce);
    expect(early).toHaveLength(1);
    upsertIncidents(store, first.id, early);
    upsertIncidents(store, second.id, late);
    const rows = store.db
      .prepare('SELECT id, session_id AS sessionId, event_count AS eventCount, first_seen AS firstSeen, last_seen AS lastSeen FROM incidents')
      .all();
    const expected: Incident = late[0]!;
    expect(rows).toEqual([
      { id: expected.id, sessionId: first.id, eventCount: bruteForce.length, firstSeen: expected.firstSeen, lastSeen: expected.lastSeen },
    ]);
    expect(listRecentIncidents(store, second.id)).toEqual([]);
    expect(listRecentIncidents(store, first.id)).toEqual([{ ...expected, sessionId: first.id }]);
    store.close();
  });

  it('lists a session\'s incidents by last seen, newest first', () => {
    const store = openStore(':memory:');
    const session = startSession(store, { source: 'a' });
    const incidents = incidentsOf(events);
    upsertIncidents(store, session.id, incidents);
    const newest = [...incidents].sort((a, b) => b.lastSeen - a.lastSeen).slice(0, 20);
    const listed = listRecentIncidents(store, session.id, { limit: 20 });
    expect(listed.map((i) => i.lastSeen)).toEqual(newest.map((i) => i.lastSeen));
    const byId = new Map(incidents.map((i) => [i.id, i]));
    for (const incident of listed) expect(incident).toEqual({ ...byId.get(incident.id)!, sessionId: session.id });
    store.close();
  });

  it('re-recording an interval replaces it', () => {
    const store = openStore(':memory:');
    const session = startSession(store, { source: 'a' });
    const [interval] = countersOf(flows.slice(0, 50), 10_000);
    recordCounters(store, session.id, [{ ...interval!, packets: 1 }]);
    recordCounters(store, session.id, [interval!]);
    expect(getSessionSummary(store, session.id)!.traffic).toMatchObject({ packets: interval!.packets, intervals: 1 });
    store.close();
  });
});
