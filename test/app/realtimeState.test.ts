import { beforeAll, describe, expect, it } from 'vitest';
import { initialRealtimeState, reduceRealtime, TIMELINE_LIMIT, type RealtimeState } from '../../app/_components/realtimeState.ts';
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

describe('nextTimeline (threats-over-time chart)', () => {
  const idle = (): Batch => ({ ...batchOf(1, []), status: { ...monitor.snapshot().status, running: false } });
  const withSeverity = (base: Batch, severity: Batch['charts']['severity'], running: boolean, sentAt: number): Batch => ({
    ...base,
    sentAt,
    status: { ...base.status, running },
    charts: { ...base.charts, severity },
  });

  it('adds the threats new since the previous batch, per severity, and skips idle batches', async () => {
    const started = await monitor.start({ source: { kind: 'sample', name: FIXTURE_SAMPLE, speed: 'max' } });
    const base = { ...batchOf(1, []), status: started };
    let state: RealtimeState = reduceRealtime(initialRealtimeState, { type: 'state', batch: withSeverity(base, { Critical: 0, High: 0, Medium: 0, Low: 0 }, true, 1000) });
    expect(state.timeline).toEqual([]);
    state = reduceRealtime(state, { type: 'batch', batch: { ...withSeverity(base, { Critical: 1, High: 2, Medium: 0, Low: 5 }, true, 3000), seq: 2 } });
    state = reduceRealtime(state, { type: 'batch', batch: { ...withSeverity(base, { Critical: 1, High: 3, Medium: 4, Low: 5 }, false, 5000), seq: 3 } });
    // Stopped and nothing new: no point.
    state = reduceRealtime(state, { type: 'batch', batch: { ...withSeverity(base, { Critical: 1, High: 3, Medium: 4, Low: 5 }, false, 7000), seq: 4 } });
    expect(state.timeline).toEqual([
      { time: 3000, counts: { Critical: 1, High: 2, Medium: 0, Low: 5 } },
      { time: 5000, counts: { Critical: 0, High: 1, Medium: 4, Low: 0 } },
    ]);
    // The points add up to the totals the doughnut shows.
    const sum = state.timeline.reduce((s, p) => s + p.counts.High, 0);
    expect(sum).toBe(state.charts?.severity.High);
  });

  it('restarts with a new session and keeps at most TIMELINE_LIMIT points', async () => {
    const first = await monitor.start({ source: { kind: 'sample', name: FIXTURE_SAMPLE, speed: 'max' } });
    let state: RealtimeState = reduceRealtime(initialRealtimeState, { type: 'state', batch: { ...idle(), status: first } });
    for (let i = 1; i <= TIMELINE_LIMIT + 20; i++) {
      state = reduceRealtime(state, { type: 'batch', batch: withSeverity({ ...idle(), seq: i + 1, status: first }, { Critical: i, High: 0, Medium: 0, Low: 0 }, true, i * 2000) });
    }
    expect(state.timeline).toHaveLength(TIMELINE_LIMIT);
    expect(state.timeline.at(-1)).toEqual({ time: (TIMELINE_LIMIT + 20) * 2000, counts: { Critical: 1, High: 0, Medium: 0, Low: 0 } });

    const second = await monitor.start({ source: { kind: 'sample', name: FIXTURE_SAMPLE, speed: 'max' } });
    state = reduceRealtime(state, { type: 'status', status: second });
    expect(state.timeline).toEqual([]);
    state = reduceRealtime(state, { type: 'batch', batch: withSeverity({ ...idle(), seq: 500, status: second }, { Critical: 2, High: 0, Medium: 0, Low: 0 }, true, 1) });
    // Counted from zero, not against the first session's 170.
    expect(state.timeline).toEqual([{ time: 1, counts: { Critical: 2, High: 0, Medium: 0, Low: 0 } }]);
  });
});
