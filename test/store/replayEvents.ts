import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { fixtureUuid } from './realEvents.ts';

/**
 * Replays real events in rounds: index i is event i mod n of round floor(i / n), its time
 * shifted by round × the span of the set (plus 1 ms), with a new id and incident id, so times
 * keep their real spacing and never collide with an earlier round.
 */
export class EventReplay {
  private readonly span: number;

  constructor(private readonly real: readonly ThreatEvent[]) {
    let first = Infinity;
    let last = -Infinity;
    for (const e of real) {
      first = Math.min(first, e.time);
      last = Math.max(last, e.time);
    }
    this.span = last - first + 1;
  }

  at(i: number): ThreatEvent {
    const round = Math.floor(i / this.real.length);
    const e = this.real[i % this.real.length]!;
    if (round === 0) return e;
    return {
      ...e,
      id: fixtureUuid(`${e.id}@${round}`),
      incidentId: fixtureUuid(`${e.incidentId}@${round}`),
      time: e.time + round * this.span,
    };
  }

  /** Events [start, end). */
  range(start: number, end: number): ThreatEvent[] {
    const out: ThreatEvent[] = [];
    for (let i = start; i < end; i++) out.push(this.at(i));
    return out;
  }
}

export function replayEvents(real: readonly ThreatEvent[], count: number): ThreatEvent[] {
  return new EventReplay(real).range(0, count);
}
