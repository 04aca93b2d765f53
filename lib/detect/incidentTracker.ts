/**
 * ThreatEvents → incidents. Events with the same incident key that come within the quiet gap of
 * each other (packet time) join one incident, which updates its count, last seen, peak
 * confidence and severity and latest evidence; a key quiet for longer starts a new incident.
 * Memory is bounded: open incidents live in a Map in least-recently-updated order, so the quiet
 * ones are closed from its front, and the oldest is closed early when maxOpen is reached.
 */
import { randomUUID } from 'node:crypto';
import type { Incident } from './incident.ts';
import { defaultSeverityThresholds, severityFor, type SeverityThresholds, type ThreatEvent } from './threatEvent.ts';

export interface IncidentTrackerOptions {
  /** Events further apart than this (seconds of packet time) start a new incident. Default 60. */
  quietGapSeconds?: number;
  /** Most open incidents kept. Default 10,000. */
  maxOpen?: number;
  severity?: SeverityThresholds;
  /** Id source; tests may pass a counter. Default crypto.randomUUID. */
  newId?: () => string;
}

export interface IncidentUpdate {
  /** A snapshot of the incident after this event. */
  incident: Incident;
  /** True when this event opened the incident. */
  isNew: boolean;
}

/** Key used when the caller gives none: detector, threat type and the source → destination pair. */
export function defaultIncidentKey(event: Pick<ThreatEvent, 'detector' | 'threatType' | 'sourceIp' | 'destinationIp'>): string {
  return `${event.detector}|${event.threatType}|${event.sourceIp}->${event.destinationIp}`;
}

export class IncidentTracker {
  private readonly quietGapMs: number;
  private readonly maxOpen: number;
  private readonly severity: SeverityThresholds;
  private readonly newId: () => string;
  private readonly open = new Map<string, Incident>();

  constructor(options: IncidentTrackerOptions = {}) {
    this.quietGapMs = (options.quietGapSeconds ?? 60) * 1000;
    this.maxOpen = options.maxOpen ?? 10_000;
    this.severity = options.severity ?? defaultSeverityThresholds;
    this.newId = options.newId ?? randomUUID;
  }

  get openCount(): number {
    return this.open.size;
  }

  /**
   * Files the event under its incident: sets event.incidentId (and event.severity from its
   * confidence) and returns the incident as it stands now.
   */
  track(event: ThreatEvent, key: string = defaultIncidentKey(event)): IncidentUpdate {
    this.expire(event.time);
    event.severity = severityFor(event.confidence, this.severity);
    const existing = this.open.get(key);
    if (existing !== undefined && event.time - existing.lastSeen <= this.quietGapMs) {
      existing.eventCount++;
      existing.firstSeen = Math.min(existing.firstSeen, event.time);
      existing.lastSeen = Math.max(existing.lastSeen, event.time);
      if (event.confidence > existing.peakConfidence) {
        existing.peakConfidence = event.confidence;
        existing.severity = event.severity;
      }
      existing.summary = event.summary;
      // The key is fixed; its label is not: "many (20)" sources become "many (~2,000,000)".
      existing.sourceIp = event.sourceIp;
      if (event.ports !== undefined) {
        existing.ports = event.ports;
        existing.destinationPort = 0;
      }
      // Re-insert so the Map stays in least-recently-updated order.
      this.open.delete(key);
      this.open.set(key, existing);
      event.incidentId = existing.id;
      return { incident: { ...existing }, isNew: false };
    }
    if (existing !== undefined) this.open.delete(key);
    while (this.open.size >= this.maxOpen) {
      const oldestKey = this.open.keys().next().value;
      if (oldestKey === undefined) break;
      this.open.delete(oldestKey);
    }
    const incident: Incident = {
      id: this.newId(),
      key,
      threatType: event.threatType,
      category: event.category,
      severity: event.severity,
      peakConfidence: event.confidence,
      sourceIp: event.sourceIp,
      destinationIp: event.destinationIp,
      destinationPort: event.destinationPort,
      ...(event.ports === undefined ? {} : { ports: event.ports }),
      protocol: event.protocol,
      detector: event.detector,
      modelVersion: event.modelVersion,
      firstSeen: event.time,
      lastSeen: event.time,
      eventCount: 1,
      summary: event.summary,
    };
    this.open.set(key, incident);
    event.incidentId = incident.id;
    return { incident: { ...incident }, isNew: true };
  }

  /** Closes incidents quiet since before nowMs - quietGap; returns how many were closed. */
  expire(nowMs: number): number {
    let closed = 0;
    for (const [key, incident] of this.open) {
      // Front of the Map = least recently updated; stop at the first one still open.
      if (nowMs - incident.lastSeen <= this.quietGapMs) break;
      this.open.delete(key);
      closed++;
    }
    return closed;
  }
}
