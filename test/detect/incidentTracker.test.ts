import { beforeAll, describe, expect, it } from 'vitest';
import { IncidentTracker, defaultIncidentKey } from '../../lib/detect/incidentTracker.ts';
import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { runRules, sharedPcap } from './runRules.ts';

/** A fresh copy of an event as a detector hands it over (no incident yet). */
function unfiled(event: ThreatEvent): ThreatEvent {
  return { ...event, incidentId: '', severity: 'Low' };
}

describe('IncidentTracker on the events of a real SSH brute force', () => {
  // ssh_brute_force.pcap: one attacker trying sessions every ~40 s for 5 minutes.
  let events: ThreatEvent[] = [];
  beforeAll(async () => {
    events = (await runRules(sharedPcap('pcaps/axr00t-research-pcaps/ssh_brute_force.pcap.gz'))).events;
  });

  it('folds events closer than the quiet gap into one incident that updates', () => {
    expect(events.length).toBeGreaterThan(2);
    const tracker = new IncidentTracker({ quietGapSeconds: 60 });
    const updates = events.map((event) => tracker.track(unfiled(event), 'attack'));
    expect(updates.map((u) => u.isNew)).toEqual(events.map((_, i) => i === 0));
    const last = updates.at(-1)!.incident;
    expect(last.eventCount).toBe(events.length);
    expect(last.firstSeen).toBe(events[0].time);
    expect(last.lastSeen).toBe(events.at(-1)!.time);
    expect(last.peakConfidence).toBe(Math.max(...events.map((e) => e.confidence)));
    expect(last.summary).toBe(events.at(-1)!.summary);
    expect(new Set(updates.map((u) => u.incident.id)).size).toBe(1);
    expect(tracker.openCount).toBe(1);
  });

  it('starts a new incident when the gap between events is longer than the quiet gap', () => {
    const spacings = events.slice(1).map((event, i) => (event.time - events[i].time) / 1000);
    const gap = Math.min(...spacings) / 2;
    const tracker = new IncidentTracker({ quietGapSeconds: gap });
    const updates = events.map((event) => tracker.track(unfiled(event), 'attack'));
    expect(updates.every((u) => u.isNew && u.incident.eventCount === 1)).toBe(true);
    expect(new Set(updates.map((u) => u.incident.id)).size).toBe(events.length);
    // The quiet ones were closed along the way: memory stays at one open incident.
    expect(tracker.openCount).toBe(1);
  });

  it('closes the least recently updated incident when maxOpen is reached', () => {
    const [first, second] = events;
    const bounded = new IncidentTracker({ maxOpen: 1 });
    bounded.track(unfiled(first), 'a');
    bounded.track(unfiled(first), 'b');
    expect(bounded.track(unfiled(second), 'a').isNew).toBe(true);
    const roomy = new IncidentTracker({ maxOpen: 2 });
    roomy.track(unfiled(first), 'a');
    roomy.track(unfiled(first), 'b');
    expect(roomy.track(unfiled(second), 'a').isNew).toBe(false);
  });

  it('sets each event\'s incident id and severity from its confidence', () => {
    const tracker = new IncidentTracker({ severity: { critical: 0.99, high: 0.98, medium: 0.97 } });
    for (const original of events) {
      const event = unfiled(original);
      const { incident } = tracker.track(event);
      expect(event.incidentId).toBe(incident.id);
      expect(incident.key).toBe(defaultIncidentKey(event));
      expect(event.severity).toBe(event.confidence >= 0.97 ? 'Medium' : 'Low');
    }
  });

  it('expire() closes incidents quiet for longer than the gap (packet clock)', () => {
    const tracker = new IncidentTracker({ quietGapSeconds: 60 });
    tracker.track(unfiled(events[0]), 'attack');
    expect(tracker.expire(events[0].time + 59_000)).toBe(0);
    expect(tracker.expire(events[0].time + 61_000)).toBe(1);
    expect(tracker.openCount).toBe(0);
  });
});
