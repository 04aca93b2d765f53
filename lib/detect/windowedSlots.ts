/**
 * KeyedSlots plus the tumbling-window bookkeeping every rule shares, all on the packet clock:
 * - a window per key that restarts when a packet arrives after it ended (the caller then
 *   clears its per-window counters);
 * - an episode: consecutive windows over threshold, so the evidence of a long attack can say
 *   "1,000 ports in 23 s" instead of only the last window; it ends with the first window that
 *   closes under threshold, a whole window of silence, or the key being forgotten;
 * - the time of the last report, so a key emits at most once per report interval;
 * - a closing report: when an episode that was reported ends with evidence the reports have not
 *   shown yet, `onEpisodeEnd(slot)` is called (before any counter is cleared) so the detector
 *   can report the final figures once.
 */
import { KeyedSlots } from './keyedSlots.ts';

export class WindowedSlots extends KeyedSlots {
  readonly windowUs: number;
  readonly windowStartUs: Float64Array;
  readonly episodeStartUs: Float64Array;
  readonly lastReportUs: Float64Array;
  /** Packet time of the latest counted evidence (the closing report's time). */
  readonly lastEvidenceUs: Float64Array;
  /** Highest observed/threshold ratio of the episode (what the confidence is derived from). */
  readonly peakRatio: Float64Array;
  /** 1 once the current window went over threshold. */
  readonly windowOver: Uint8Array;
  /** 1 when evidence came after the last report of a reported episode. */
  readonly unreported: Uint8Array;
  /** Set by touch(): the slot's window (re)started, per-window counters must be cleared. */
  windowRestarted = false;
  /** Set by touch(): the slot's episode (re)started, per-episode counters must be cleared. */
  episodeRestarted = false;
  /**
   * Set by touch() with windowRestarted: the closed window ended right before this one (no whole
   * window of silence), so its count still matters to the sliding estimate.
   */
  previousContiguous = false;
  private readonly onEpisodeEnd: (slot: number) => void;

  readonly reportIntervalUs: number;

  constructor(
    capacity: number,
    keyWords: number,
    windowSeconds: number,
    reportIntervalSeconds: number,
    onEpisodeEnd: (slot: number) => void,
  ) {
    super(capacity, keyWords);
    this.windowUs = windowSeconds * 1e6;
    this.reportIntervalUs = reportIntervalSeconds * 1e6;
    this.onEpisodeEnd = onEpisodeEnd;
    this.windowStartUs = new Float64Array(this.capacity);
    this.episodeStartUs = new Float64Array(this.capacity);
    this.lastReportUs = new Float64Array(this.capacity);
    this.lastEvidenceUs = new Float64Array(this.capacity);
    this.peakRatio = new Float64Array(this.capacity);
    this.windowOver = new Uint8Array(this.capacity);
    this.unreported = new Uint8Array(this.capacity);
  }

  /** Slot of the key in `this.key` at packet time `this.nowUs`, with its window rolled forward. */
  touch(): number {
    const nowUs = this.nowUs;
    const slot = this.find();
    if (this.isNew) {
      this.previousContiguous = false;
      this.windowStartUs[slot] = nowUs;
      this.startEpisode(slot);
      this.windowOver[slot] = 0;
      this.windowRestarted = true;
      return slot;
    }
    this.windowRestarted = false;
    this.episodeRestarted = false;
    const windowEndUs = this.windowStartUs[slot] + this.windowUs;
    // Packets out of order by less than a window (merged captures) stay in the current one.
    if (nowUs >= windowEndUs) {
      // An attack goes on only if the closed window was over threshold and no whole window passed silently.
      if (this.windowOver[slot] === 0 || nowUs >= windowEndUs + this.windowUs) {
        this.closeEpisode(slot);
        this.startEpisode(slot);
      }
      // Sliding-window estimate: count ≈ current + previous × (1 − elapsed / window), so an attack
      // is not split at a window edge into two halves under threshold, and a slow attack need not
      // re-earn its threshold in every fresh window.
      this.previousContiguous = nowUs < windowEndUs + this.windowUs;
      this.windowStartUs[slot] = nowUs;
      this.windowOver[slot] = 0;
      this.windowRestarted = true;
    }
    return slot;
  }

  /** Call after counting evidence for a slot (at `this.nowUs`). */
  noteEvidence(slot: number): void {
    this.lastEvidenceUs[slot] = this.nowUs;
    if (this.lastReportUs[slot] >= this.episodeStartUs[slot]) this.unreported[slot] = 1;
  }

  /**
   * Call when the slot is over threshold, after raising peakRatio[slot] to the observed/threshold
   * ratio: marks the window and answers whether a report is due (none in the last report
   * interval), recording the report time if so. `mayReport` false only keeps the books.
   */
  overThreshold(slot: number, mayReport = true): boolean {
    const nowUs = this.nowUs;
    this.windowOver[slot] = 1;
    if (!mayReport || nowUs - this.lastReportUs[slot] < this.reportIntervalUs) return false;
    this.lastReportUs[slot] = nowUs;
    this.unreported[slot] = 0;
    return true;
  }

  /**
   * Closes episodes idle for a whole window (their closing report goes out) and frees keys idle
   * for two windows. sweep(Infinity) at the end of input closes everything.
   */
  sweep(nowUs: number): void {
    for (let slot = 0; slot < this.capacity; slot++) {
      if (this.used[slot] === 1 && this.unreported[slot] === 1 && nowUs >= this.lastEvidenceUs[slot] + this.windowUs) {
        this.closeEpisode(slot);
      }
    }
    this.expire(nowUs - 2 * this.windowUs);
  }

  protected override beforeReuse(slot: number): void {
    this.closeEpisode(slot);
  }

  private closeEpisode(slot: number): void {
    if (this.unreported[slot] === 0) return;
    this.unreported[slot] = 0;
    this.onEpisodeEnd(slot);
  }

  private startEpisode(slot: number): void {
    this.episodeStartUs[slot] = this.nowUs;
    this.lastReportUs[slot] = -Infinity;
    this.peakRatio[slot] = 0;
    this.unreported[slot] = 0;
    this.episodeRestarted = true;
  }
}
