/**
 * The page's realtime state and how each socket event changes it (pure, so tests can replay
 * batches through it without a browser).
 */
import { FEED_LIMIT, type Batch, type ChartData, type FeedRow, type Metrics, type MonitorStatus } from '../../lib/realtime/contract.ts';
import { mergeFeed } from '../../lib/realtime/mergeFeed.ts';

export type Connection = 'connecting' | 'connected' | 'disconnected' | 'refused';

export interface RealtimeState {
  connection: Connection;
  connectionError: string | null;
  lastSeq: number;
  /** Batches that never arrived (seq gaps), e.g. while the tab was offline. */
  missedBatches: number;
  status: MonitorStatus | null;
  metrics: Metrics | null;
  charts: ChartData | null;
  feed: FeedRow[];
}

export type RealtimeAction =
  | { type: 'state'; batch: Batch }
  | { type: 'batch'; batch: Batch }
  | { type: 'status'; status: MonitorStatus }
  | { type: 'connection'; connection: Connection; error?: string };

export const initialRealtimeState: RealtimeState = {
  connection: 'connecting',
  connectionError: null,
  lastSeq: 0,
  missedBatches: 0,
  status: null,
  metrics: null,
  charts: null,
  feed: [],
};

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
      };
    }
    case 'status': {
      const newSession = action.status.sessionId !== state.status?.sessionId;
      return { ...state, status: action.status, feed: newSession ? [] : state.feed };
    }
    case 'connection':
      return { ...state, connection: action.connection, connectionError: action.error ?? null };
  }
}

