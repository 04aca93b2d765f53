/**
 * KeyedSlots plus the tumbling-window bookkeeping every rule shares, all on the packet clock:
 * - a window per key that restarts when a packet arrives after it ended (the caller then
 *   clears its per-window counters);
 * - an episode: consecutive windows over threshold, so the evidence of a long attack can say
 *   "1,000 ports in 23 s" instead of only the last window; it ends with the first window that
 *   closes under threshold (the caller then clears its per-episode counters);
 * - the time of the last report, so a key emits at most once per report interval.
 */
import { KeyedSlots } from './keyedSlots.ts';

export class WindowedSlots extends KeyedSlots {
  readonly windowUs: number;
  readonly windowStartUs: Float64Array;
  readonly episodeStartUs: Float64Array;
  readonly lastReportUs: Float64Array;
  /** 1 once the current window went over threshold. */
  readonly windowOver: Uint8Array;
  /** Set by touch(): the slot's window (re)started, per-window counters must be cleared. */
  windowRestarted = false;
  /** Set by touch(): the slot's episode (re)started, per-episode counters must be cleared. */
  episodeRestarted = false;

  constructor(capacity: number, keyWords: number, windowSeconds: number) {
    super(capacity, keyWords);
    this.windowUs = windowSeconds * 1e6;
    this.windowStartUs = new Float64Array(this.capacity);
    this.episodeStartUs = new Float64Array(this.capacity);
    this.lastReportUs = new Float64Array(this.capacity);
    this.windowOver = new Uint8Array(this.capacity);
  }

  /** Slot of the key in `this.key` at packet time `nowUs`, with its window rolled forward. */
  touch(nowUs: number): number {
    const slot = this.find(nowUs);
    if (this.isNew) {
      this.windowStartUs[slot] = nowUs;
      this.episodeStartUs[slot] = nowUs;
      this.lastReportUs[slot] = -Infinity;
      this.windowOver[slot] = 0;
      this.windowRestarted = true;
      this.episodeRestarted = true;
      return slot;
    }
    this.windowRestarted = false;
    this.episodeRestarted = false;
    const windowEndUs = this.windowStartUs[slot] + this.windowUs;
    // Packets out of order by less than a window (merged captures) stay in the current one.
    if (nowUs >= windowEndUs) {
      // An attack continues only if the closed window was over threshold and no whole window passed silently.
      if (this.windowOver[slot] === 0 || nowUs >= windowEndUs + this.windowUs) {
        this.episodeStartUs[slot] = nowUs;
        this.episodeRestarted = true;
      }
      this.windowStartUs[slot] = nowUs;
      this.windowOver[slot] = 0;
      this.windowRestarted = true;
    }
    return slot;
  }

  /**
   * Call when the slot is over threshold: marks the window and answers whether a report is due
   * (none in the last `reportIntervalUs`), recording the report time if so.
   */
  reportDue(slot: number, nowUs: number, reportIntervalUs: number): boolean {
    this.windowOver[slot] = 1;
    if (nowUs - this.lastReportUs[slot] < reportIntervalUs) return false;
    this.lastReportUs[slot] = nowUs;
    return true;
  }

  /** Frees keys idle for two windows (their episode is over either way). */
  sweep(nowUs: number): number {
    return this.expire(nowUs - 2 * this.windowUs);
  }
}
