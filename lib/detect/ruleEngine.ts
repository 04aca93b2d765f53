/**
 * Runs the enabled rule detectors over a decoded packet stream and turns their detections into
 * ThreatEvents filed under incidents. Like uptime-kuma's safeBeat, a detector (or the onEvent
 * callback) that throws is caught, counted and logged once, and the others go on.
 * All time is packet time (timestampUs); call sweep(nowUs) now and then (live capture: about
 * once a second, with the latest packet time) so idle windows and quiet incidents close, and
 * flush() at the end of input so attacks still going on send their closing report.
 */
import { randomUUID } from 'node:crypto';
import type { DecodedPacket } from '../decode/packet.ts';
import { parseDetectorConfig, type DetectorConfig, type DetectorConfigInput } from './detectorConfig.ts';
import type { Incident } from './incident.ts';
import { IncidentTracker } from './incidentTracker.ts';
import type { RuleDetection, RuleDetector, RuleDetectorFactory, RuleName } from './ruleDetector.ts';
import { ruleDetectors, ruleEnabled, ruleNames } from './ruleDetectors.ts';
import type { ThreatEvent } from './threatEvent.ts';

export type ThreatEventSink = (event: ThreatEvent, incident: Incident, isNewIncident: boolean) => void;

export interface RuleEngineOptions {
  /** Partial config (defaults filled in) or an already parsed one. */
  config?: DetectorConfigInput;
  /** Each detection as a ThreatEvent filed under its incident (used when onDetection is not given). */
  onEvent?: ThreatEventSink;
  /**
   * Each detection as it is, for evidence fusion (the monitor): no event, no incident. When given,
   * onEvent is not called.
   */
  onDetection?: (detection: RuleDetection) => void;
  /** Which rules to run; default every rule the config enables. */
  rules?: readonly RuleName[];
  /** Extra detectors run after the registry's (a site-specific rule, or a test's). */
  extraDetectors?: readonly RuleDetectorFactory[];
  /** Share one tracker with the model's events so both feed the same incidents. */
  tracker?: IncidentTracker;
  /** Where the one-time failure messages go. Default console.warn. */
  log?: (message: string) => void;
  /** Event id source. Default crypto.randomUUID. */
  newId?: () => string;
}

export interface RuleEngineStats {
  packets: number;
  events: number;
  /** Throws caught per detector (and 'onEvent' for the callback). */
  failures: Record<string, number>;
}

export class RuleEngine {
  readonly config: DetectorConfig;
  readonly tracker: IncidentTracker;
  readonly detectors: readonly RuleDetector[];
  private readonly onEvent: ThreatEventSink | undefined;
  private readonly onDetection: ((detection: RuleDetection) => void) | undefined;
  private readonly log: (message: string) => void;
  private readonly newId: () => string;
  private readonly failures: Record<string, number> = {};
  private packets = 0;
  private events = 0;
  private lastPacketUs = 0;

  constructor(options: RuleEngineOptions) {
    this.config = parseDetectorConfig(options.config ?? {});
    this.onEvent = options.onEvent;
    this.onDetection = options.onDetection;
    this.log = options.log ?? ((message) => console.warn(message));
    this.newId = options.newId ?? randomUUID;
    this.tracker =
      options.tracker ??
      new IncidentTracker({
        quietGapSeconds: this.config.incidents.quietGapSeconds,
        maxOpen: this.config.incidents.maxOpen,
        severity: this.config.severity,
        newId: this.newId,
      });
    const emit = (detection: RuleDetection): void => this.emit(detection);
    const names = options.rules ?? ruleNames.filter((name) => ruleEnabled(this.config, name));
    const factories = [...names.map((name) => ruleDetectors[name]), ...(options.extraDetectors ?? [])];
    this.detectors = factories.map((create) => create({ config: this.config, emit }));
  }

  observePacket(packet: DecodedPacket): void {
    this.packets++;
    this.lastPacketUs = packet.timestampUs;
    const detectors = this.detectors;
    for (let i = 0; i < detectors.length; i++) {
      try {
        detectors[i].observePacket(packet);
      } catch (error) {
        this.fail(detectors[i].name, error);
      }
    }
  }

  /**
   * Closes idle windows and quiet incidents as of packet time nowUs (default: the last packet's).
   * Live capture with no packets coming: pass the last packet time plus the wall time since it.
   */
  sweep(nowUs: number = this.lastPacketUs): void {
    for (const detector of this.detectors) {
      try {
        detector.sweep(nowUs);
      } catch (error) {
        this.fail(detector.name, error);
      }
    }
    this.tracker.expire(nowUs / 1000);
  }

  /** End of input: every open episode sends its closing report, then all windows and incidents close. */
  flush(): void {
    this.sweep(Infinity);
  }

  stats(): RuleEngineStats {
    return { packets: this.packets, events: this.events, failures: { ...this.failures } };
  }

  private emit(detection: RuleDetection): void {
    this.events++;
    if (this.onDetection !== undefined) {
      try {
        this.onDetection(detection);
      } catch (error) {
        this.fail('onDetection', error);
      }
      return;
    }
    const event: ThreatEvent = {
      id: this.newId(),
      time: detection.timeUs / 1000,
      sourceIp: detection.sourceIp,
      destinationIp: detection.destinationIp,
      destinationPort: detection.destinationPort,
      protocol: detection.protocol,
      threatType: detection.threatType,
      category: detection.category,
      severity: 'Low',
      confidence: detection.confidence,
      detector: detection.detector,
      modelVersion: '',
      flowId: '',
      incidentId: '',
      summary: detection.summary,
    };
    const { incident, isNew } = this.tracker.track(event, detection.incidentKey);
    try {
      this.onEvent?.(event, incident, isNew);
    } catch (error) {
      this.fail('onEvent', error);
    }
  }

  private fail(name: string, error: unknown): void {
    const count = (this.failures[name] ?? 0) + 1;
    this.failures[name] = count;
    if (count === 1) {
      const message = error instanceof Error ? error.message : String(error);
      this.log(`rule engine: ${name} threw "${message}"; counting further failures silently and going on`);
    }
  }
}
