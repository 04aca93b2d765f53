import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { fixtureUuid } from './realEvents.ts';

/**
 * `count` events made by replaying real ones in rounds: round r repeats every event with its
 * time shifted by r × the span of the set (plus 1 ms), a new id and incident id, so times keep
 * their real spacing and never collide with an earlier round.
 */
export function replayEvents(real: readonly ThreatEvent[], count: number): ThreatEvent[] {
  let first = Infinity;
  let last = -Infinity;
  for (const e of real) {
    first = Math.min(first, e.time);
    last = Math.max(last, e.time);
  }
  const span = last - first + 1;
  const out: ThreatEvent[] = [];
  for (let i = 0; i < count; i++) {
    const round = Math.floor(i / real.length);
    const e = real[i % real.length]!;
    out.push({
      ...e,
      id: round === 0 ? e.id : fixtureUuid(`${e.id}@${round}`),
      incidentId: round === 0 ? e.incidentId : fixtureUuid(`${e.incidentId}@${round}`),
      time: e.time + round * span,
    });
  }
  return out;
}
