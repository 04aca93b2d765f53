import { beforeAll, describe, expect, it } from 'vitest';
import { initialRealtimeState, reduceRealtime, type RealtimeState } from '../../app/_components/realtimeState.ts';
import { FEED_LIMIT, type Batch } from '../../lib/realtime/contract.ts';
import { toFeedRow } from '../../lib/realtime/feedRow.ts';
import { FixtureMonitor, FIXTURE_SAMPLE, incidentsFromCapture } from '../realtime/fixtureMonitor.ts';

// Batches built from the FixtureMonitor (the port-scan capture's flows) the way the hub builds them.
let monitor: FixtureMonitor;
const batchOf = (seq: number, feed = monitor.drainUpdatedIncidents(200)): Batch => ({
  seq,
  sentAt: Date.now(),
  ...monitor.snapshot(),
  feed: feed.map(toFeedRow),
});

beforeAll(async () => {
  monitor = new FixtureMonitor(await incidentsFromCapture());
});

describe('reduceRealtime', () => {
  it('replaces everything on state, then merges batches and counts missed seqs', async () => {
    let state: RealtimeState = reduceRealtime(initialRealtimeState, { type: 'state', batch: batchOf(4, []) });
    expect(state.lastSeq).toBe(4);
    expect(state.feed).toEqual([]);
    const started = await monitor.start({ source: { kind: 'sample', name: FIXTURE_SAMPLE, speed: 'max' } });
    state = reduceRealtime(state, { type: 'status', status: started });
    state = reduceRealtime(state, { type: 'batch', batch: batchOf(5) });
    expect(state.feed.length).toBe(monitor.recentIncidents(FEED_LIMIT).length);
    expect(state.metrics?.totalThreats).toBe(state.feed.length);
    expect(state.missedBatches).toBe(0);

    const before = state.feed;
    state = reduceRealtime(state, { type: 'batch', batch: batchOf(8) });
    expect(state.missedBatches).toBe(2);
    expect(state.feed).toBe(before);

    // An updated incident (same id) moves to the top; the row count stays.
    const oldest = before.at(-1)!;
    const updated = { ...monitor.recentIncidents(FEED_LIMIT).at(-1)!, eventCount: oldest.eventCount + 3 };
    state = reduceRealtime(state, { type: 'batch', batch: batchOf(9, [updated]) });
    expect(state.feed).toHaveLength(before.length);
    expect(state.feed[0]).toMatchObject({ incidentId: oldest.incidentId, eventCount: oldest.eventCount + 3 });
  });

  it('starts an empty feed when the session changes', async () => {
    await monitor.start({ source: { kind: 'sample', name: FIXTURE_SAMPLE, speed: 'max' } });
    let state = reduceRealtime(initialRealtimeState, { type: 'state', batch: batchOf(1, monitor.recentIncidents(FEED_LIMIT)) });
    expect(state.feed.length).toBeGreaterThan(0);
    const second = await monitor.start({ source: { kind: 'sample', name: FIXTURE_SAMPLE, speed: 'max' } });
    expect(second.sessionId).not.toBe(state.status?.sessionId);
    state = reduceRealtime(state, { type: 'status', status: second });
    expect(state.feed).toEqual([]);
  });
});
