/**
 * The page's realtime state and how each socket event changes it (pure, so tests can replay
 * batches through it without a browser).
 */
import { FEED_LIMIT, type Batch, type ChartData, type FeedRow, type Metrics, type MonitorStatus } from '../../lib/realtime/contract.ts';
import { mergeFeed } from '../../lib/realtime/mergeFeed.ts';
import type { Severity } from '../../lib/detect/threatEvent.ts';
import { SEVERITIES } from './severity.ts';

/** Points the threats-over-time chart keeps: 150 batches of 2 s, the last five minutes. */
export const TIMELINE_LIMIT = 150;

/** Threats counted in one batch interval, by severity, at the batch's server time. */
export interface TimelinePoint {
  time: number;
  counts: Record<Severity, number>;
}

/** What the batches say; the connection itself is useSocket's. */
export interface RealtimeState {
  lastSeq: number;
  /** Batches that never arrived (seq gaps), e.g. while the tab was offline. */
  missedBatches: number;
  status: MonitorStatus | null;
  metrics: Metrics | null;
  charts: ChartData | null;
  feed: FeedRow[];
  /**
   * Built here from the change in charts.severity between batches (the batch carries totals,
   * no history), so it starts when the page connects and restarts with each session.
   */
  timeline: TimelinePoint[];
}

export type RealtimeAction =
  | { type: 'state'; batch: Batch }
  | { type: 'batch'; batch: Batch }
  | { type: 'status'; status: MonitorStatus };

export const initialRealtimeState: RealtimeState = {
  lastSeq: 0,
  missedBatches: 0,
  status: null,
  metrics: null,
  charts: null,
  feed: [],
  timeline: [],
};

/**
 * The timeline after one batch: a point with the threats new since the previous batch, while a
 * session runs or when the counts moved (the batch after a replay ends still brings its last
 * threats). Idle batches add nothing, so a finished session stays in view.
 */
export function nextTimeline(timeline: TimelinePoint[], previous: ChartData | null, batch: Batch, newSession: boolean): TimelinePoint[] {
  const counts = {} as Record<Severity, number>;
  let moved = 0;
  for (const severity of SEVERITIES) {
    const before = newSession || !previous ? 0 : previous.severity[severity];
    // Totals only grow within a session; a smaller total means the server started over.
    const added = Math.max(0, batch.charts.severity[severity] - before);
    counts[severity] = added;
    moved += added;
  }
  const kept = newSession ? [] : timeline;
  if (!batch.status.running && moved === 0) return kept;
  const next = kept.length >= TIMELINE_LIMIT ? kept.slice(kept.length - TIMELINE_LIMIT + 1) : kept.slice();
  next.push({ time: batch.sentAt, counts });
  return next;
}

export function reduceRealtime(state: RealtimeState, action: RealtimeAction): RealtimeState {
  switch (action.type) {
    case 'state':
      return {
        ...state,
        lastSeq: action.batch.seq,
        status: action.batch.status,
        metrics: action.batch.metrics,
        charts: action.batch.charts,
        feed: action.batch.feed.slice(0, FEED_LIMIT),
        // What happened before the page connected is not known per interval.
        timeline: [],
      };
    case 'batch': {
      const { batch } = action;
      // A new session starts with an empty feed; rows of the previous one would mislead.
      const newSession = batch.status.sessionId !== state.status?.sessionId;
      const gap = state.lastSeq > 0 && batch.seq > state.lastSeq + 1 ? batch.seq - state.lastSeq - 1 : 0;
      return {
        ...state,
        lastSeq: batch.seq,
        missedBatches: state.missedBatches + gap,
        status: batch.status,
        metrics: batch.metrics,
        charts: batch.charts,
        feed: mergeFeed(newSession ? [] : state.feed, batch.feed, FEED_LIMIT),
        timeline: nextTimeline(state.timeline, state.charts, batch, newSession),
      };
    }
    case 'status': {
      const newSession = action.status.sessionId !== state.status?.sessionId;
      if (!newSession) return { ...state, status: action.status };
      // The new session's first batch counts from zero: drop the old charts it would be compared with.
      return { ...state, status: action.status, feed: [], charts: null, timeline: [] };
    }
  }
}

