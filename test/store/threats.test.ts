import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { commitDetections } from '../../lib/store/commitDetections.ts';
import { closeInterruptedSessions } from '../../lib/store/closeInterruptedSessions.ts';
import { endSession } from '../../lib/store/endSession.ts';
import { StoreErrorCode } from '../../lib/store/errors.ts';
import { insertThreats } from '../../lib/store/insertThreats.ts';
import { LIST_RECENT_THREATS_MAX, listRecentThreats } from '../../lib/store/listRecentThreats.ts';
import { listSessions } from '../../lib/store/listSessions.ts';
import { openStore } from '../../lib/store/openStore.ts';
import { startSession } from '../../lib/store/startSession.ts';
import type { Store } from '../../lib/store/store.ts';
import { incidentsOf, threatsFromCapture } from './realEvents.ts';

let scan: ThreatEvent[];
let bruteForce: ThreatEvent[];
beforeAll(async () => {
  scan = await threatsFromCapture('pcaps/evilfingers-nmap/TCP_SYN_SCAN.pcap.gz', {
    threatType: 'PortScan',
    category: 'Reconnaissance',
    confidence: 0.8,
  });
  bruteForce = await threatsFromCapture('pcaps/axr00t-research-pcaps/ssh-brute-force.pcap.gz', {
    threatType: 'BruteForce',
    category: 'Application',
    confidence: 0.6,
  });
});

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});
function memoryStore(now?: () => number): Store {
  const store = openStore(':memory:', now ? { now } : {});
  stores.push(store);
  return store;
}

/** Newest first by time, then by insertion order, computed here from the inputs. */
function newestFirst(events: readonly ThreatEvent[]): ThreatEvent[] {
  return events
    .map((event, order) => ({ event, order }))
    .sort((a, b) => b.event.time - a.event.time || b.order - a.order)
    .map((entry) => entry.event);
}

describe('insertThreats / listRecentThreats', () => {
  it('stores every field of real events and lists them newest first', () => {
    const store = memoryStore();
    const session = startSession(store, { source: 'file TCP_SYN_SCAN.pcap.gz' });
    expect(insertThreats(store, session.id, scan)).toBe(scan.length);
    const listed = listRecentThreats(store, { sessionId: session.id, limit: LIST_RECENT_THREATS_MAX });
    const expected = newestFirst(scan).slice(0, LIST_RECENT_THREATS_MAX).map((e) => ({ ...e, sessionId: session.id }));
    expect(listed).toEqual(expected);
  });

  it('pages with `before` and keeps sessions apart', () => {
    const store = memoryStore();
    const a = startSession(store, { source: 'a' });
    const b = startSession(store, { source: 'b' });
    insertThreats(store, a.id, scan);
    insertThreats(store, b.id, bruteForce);
    const page = listRecentThreats(store, { sessionId: b.id, limit: 50 });
    expect(page.every((t) => t.sessionId === b.id)).toBe(true);
    const oldest = page[page.length - 1]!.time;
    const next = listRecentThreats(store, { sessionId: b.id, limit: 50, before: oldest });
    expect(next.every((t) => t.time < oldest)).toBe(true);
    expect(next[0]).toEqual({ ...newestFirst(bruteForce.filter((e) => e.time < oldest))[0]!, sessionId: b.id });
    const all = listRecentThreats(store, { limit: LIST_RECENT_THREATS_MAX });
    expect(all).toHaveLength(Math.min(LIST_RECENT_THREATS_MAX, scan.length + bruteForce.length));
  });

  it('bounds the list and rejects a limit that is not a positive integer', () => {
    const store = memoryStore();
    const session = startSession(store, { source: 'x' });
    insertThreats(store, session.id, scan);
    expect(listRecentThreats(store)).toHaveLength(100);
    expect(listRecentThreats(store, { limit: 10 ** 9 })).toHaveLength(LIST_RECENT_THREATS_MAX);
    expect(() => listRecentThreats(store, { limit: 0 })).toThrow(expect.objectContaining({ code: StoreErrorCode.BAD_ARGUMENT }));
    expect(() => listRecentThreats(store, { limit: 2.5 })).toThrow(/positive integer/);
  });

  it('stores a retried batch once', () => {
    const store = memoryStore();
    const session = startSession(store, { source: 'x' });
    expect(insertThreats(store, session.id, bruteForce.slice(0, 300))).toBe(300);
    expect(insertThreats(store, session.id, bruteForce.slice(200, 500))).toBe(200);
    expect(store.db.prepare('SELECT count(*) AS n FROM threats').get()).toEqual({ n: 500 });
  });

  it('stores nothing of a batch that fails part-way (one transaction)', () => {
    const store = memoryStore();
    const session = startSession(store, { source: 'x' });
    const batch = scan.slice(0, 500).map((e) => ({ ...e }));
    (batch[250] as { severity: string }).severity = 'Severe';
    expect(() => insertThreats(store, session.id, batch)).toThrow(/CHECK constraint/);
    expect(() => insertThreats(store, 'no-such-session', scan.slice(0, 10))).toThrow(/FOREIGN KEY/);
    expect(store.db.prepare('SELECT count(*) AS n FROM threats').get()).toEqual({ n: 0 });
  });
});

describe('commitDetections', () => {
  it('stores events and incidents together, or neither', () => {
    const store = memoryStore();
    const session = startSession(store, { source: 'x' });
    const events = bruteForce.slice(0, 100);
    const incidents = incidentsOf(events);
    const broken = incidents.map((incident, i) => (i === incidents.length - 1 ? { ...incident, category: 'Nope' as 'DNS' } : incident));
    expect(() => commitDetections(store, session.id, events, broken)).toThrow(/CHECK constraint/);
    expect(store.db.prepare('SELECT (SELECT count(*) FROM threats) AS t, (SELECT count(*) FROM incidents) AS i').get()).toEqual({ t: 0, i: 0 });
    expect(commitDetections(store, session.id, events, incidents)).toBe(events.length);
    expect(store.db.prepare('SELECT (SELECT count(*) FROM threats) AS t, (SELECT count(*) FROM incidents) AS i').get()).toEqual({
      t: events.length,
      i: incidents.length,
    });
  });
});

describe('sessions', () => {
  it('start, end, list newest first, and close the ones a dead process left running', () => {
    let clock = 1_700_000_000_000;
    const store = memoryStore(() => clock);
    const first = startSession(store, { source: 'file portscan.pcap.gz', modelVersion: 'm1' });
    expect(first).toMatchObject({ startedAt: clock, endedAt: null, status: 'running', packets: 0, modelVersion: 'm1' });
    clock += 5000;
    const ended = endSession(store, first.id, { status: 'completed', packets: 29, flows: 29, drops: 0 });
    expect(ended).toMatchObject({ id: first.id, endedAt: clock, status: 'completed', packets: 29, flows: 29 });
    clock += 1000;
    const second = startSession(store, { source: 'interface lo' });
    clock += 1000;
    insertThreats(store, second.id, scan.slice(0, 3));
    expect(listSessions(store).map((s) => s.id)).toEqual([second.id, first.id]);
    expect(listSessions(store, { limit: 1 }).map((s) => s.id)).toEqual([second.id]);

    clock += 60_000;
    expect(closeInterruptedSessions(store)).toBe(1);
    const [interrupted] = listSessions(store, { limit: 1 });
    // Ends at the last thing recorded for it, not at "now".
    expect(interrupted).toMatchObject({ id: second.id, status: 'interrupted', endedAt: clock - 60_000 });
    expect(() => endSession(store, 'nope', { status: 'failed', packets: 0, flows: 0, drops: 0 })).toThrow(
      expect.objectContaining({ code: StoreErrorCode.UNKNOWN_SESSION }),
    );
  });
});
