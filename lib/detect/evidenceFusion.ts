/**
 * Evidence → alerts. Every flow verdict and rule detection is evidence about an (attacker,
 * family); evidence adds up over a window and becomes an alert only when the fused confidence
 * reaches the alert threshold, the way Slips accumulates evidence per profile and time window.
 *
 *   model part  = 1 − Π (1 − flowWeight · p)   over the flows the model flagged (p ≥ flowFloor)
 *   rule part   = the highest rule confidence in the window
 *   fused       = 1 − (1 − rule part)(1 − model part)
 *
 * So one odd flow never alerts, a rule at its threshold alone is Medium (0.5), and a rule and the
 * model agreeing on the same attacker corroborate each other upwards. Severity comes from the
 * fused confidence. A rule names the family precisely (a SYN flood is DoS whatever the model
 * thinks of its flows), so the model's verdicts on an attacker a rule has named join the rule's
 * family. Model DoS verdicts also add up per victim over many sources, which is how a flood from
 * spoofed or many addresses shows up as one alert, "many (N)" sources, not N alerts.
 *
 * One incident per (attacker, family, target set): the incident key is fixed when the key first
 * alerts. Each alert also names one representative flow (exports such as Suricata EVE need a
 * single five-tuple): the strongest model verdict since the key's previous alert. Memory is bounded: keys live in a Map in least-recently-updated order, quiet ones are
 * dropped from its front, and the oldest goes when maxKeys is reached.
 */
import { randomUUID } from 'node:crypto';
import { fnv1aText, mix32 } from './distinctBitmaps.ts';
import { DistinctCount, distinctHash } from './distinctCount.ts';
import type { Evidence, PortSpan, SourceCount, StoredEvidence } from './evidence.ts';
import { fusionConfigSchema, type FusionConfig, type FusionConfigInput } from './fusionConfig.ts';
import type { Incident } from './incident.ts';
import type { IncidentTracker } from './incidentTracker.ts';
import { formatCount } from './ruleDetector.ts';
import {
  severityFor,
  type RepresentativeFlow,
  type Severity,
  type SeverityThresholds,
  type ThreatCategory,
  type ThreatEvent,
} from './threatEvent.ts';

/** Families about a victim rather than an actor: their flow verdicts also add up per victim. */
const VICTIM_FAMILIES = new Set(['DoS', 'DDoS']);
/**
 * Families aimed at one target: a flow verdict of these adds up per (attacker, family, target),
 * so a browser whose odd downloads from four web servers the model calls DoS is not one
 * "DoS" by that browser (http_espn), while a flood or a password guesser hits one victim.
 */
const TARGETED_FAMILIES = new Set(['DoS', 'DDoS', 'BruteForce']);
const MANY = '*';
/** Distinct targets remembered per key (enough to name them; the rest are counted). */
const MAX_TARGETS = 16;

export interface FusedAlert {
  /** The alert as the feed and the store see it (detector names every detector that contributed). */
  event: ThreatEvent;
  incident: Incident;
  isNew: boolean;
  /** Evidence gathered since the previous alert of this key, to store with it. */
  evidence: StoredEvidence[];
}

export interface EvidenceFusionOptions {
  config?: FusionConfigInput;
  tracker: IncidentTracker;
  severity?: SeverityThresholds;
  onAlert(alert: FusedAlert): void;
  /** Event id source. Default crypto.randomUUID. */
  newId?: () => string;
}

export interface FusionStats {
  evidence: number;
  alerts: number;
  openKeys: number;
  /** Keys dropped because maxKeys was reached before they went quiet. */
  keysEvicted: number;
}

/**
 * One (attacker, family) key's evidence. Kept small (a spoofed flood makes one per source):
 * collections are allocated only when a second target, port or detector shows up. The keys form a
 * doubly linked list in least-recently-updated order (a Map re-inserted on every update leaves
 * deleted slots at its front, and finding the oldest key then costs a scan over them).
 */
class Accumulator {
  firstTime: number;
  lastTime: number;
  /** Π (1 − flowWeight · p) over the flagged flows: 1 means no model evidence. */
  modelMiss = 1;
  modelFlows = 0;
  modelConfidenceSum = 0;
  modelVersion = '';
  /** The most confident model verdict since the last alert, and ever (the alert's representative flow). */
  strongestSinceAlert: Evidence | null = null;
  strongestVerdict: Evidence | null = null;
  ruleConfidence = 0;
  ruleSummary = '';
  /** Every detector that contributed, in arrival order (one or two). */
  readonly detectors: string[] = [];
  /** The first target, and how often each target was hit once there are several (at most MAX_TARGETS). */
  readonly firstTarget: string;
  targets: Map<string, number> | null = null;
  otherTargets = 0;
  port: number;
  portsVary = false;
  /** The ports touched once they vary: distinct ports of the flow verdicts, a scan rule's own count, and the range. */
  flowPorts: DistinctCount | null = null;
  rulePortCount = 0;
  portMin = 0xffff;
  portMax = -1;
  protocol: string;
  sources: readonly SourceCount[] = [];
  distinctSources = 0;
  /** Victim keys: the distinct sources of their flow verdicts. */
  flowSources: DistinctCount | null = null;
  pending: Evidence[] | null = null;
  incidentKey: string | null = null;
  lastAlertTime = 0;
  lastAlertSeverity: Severity | null = null;
  newSinceAlert = 0;
  evidenceStored = 0;
  older: Accumulator | null = null;
  newer: Accumulator | null = null;

  /** Widens the port range (and counts) with a flow verdict's port or a scan rule's span. */
  addPorts(evidence: Evidence): void {
    if (evidence.ports !== undefined) {
      this.rulePortCount = Math.max(this.rulePortCount, evidence.ports.count);
      this.portMin = Math.min(this.portMin, evidence.ports.min);
      this.portMax = Math.max(this.portMax, evidence.ports.max);
    } else if (evidence.detector === 'model' && evidence.destinationPort > 0) {
      if (this.flowPorts === null) {
        // The one port seen before they varied counts too.
        this.flowPorts = new DistinctCount();
        if (this.port > 0) {
          this.flowPorts.add(String(this.port));
          this.portMin = Math.min(this.portMin, this.port);
          this.portMax = Math.max(this.portMax, this.port);
        }
      }
      this.flowPorts.add(String(evidence.destinationPort));
      this.portMin = Math.min(this.portMin, evidence.destinationPort);
      this.portMax = Math.max(this.portMax, evidence.destinationPort);
    }
  }

  /** The ports an alert about many ports touched, or undefined for one port. */
  portSpan(): PortSpan | undefined {
    if (!this.portsVary || this.portMax < 0) return undefined;
    return { count: Math.max(this.rulePortCount, this.flowPorts?.count ?? 0), min: this.portMin, max: this.portMax };
  }

  /** A flow verdict known only by its confidence (a key's remembered first one, see FirstVerdicts). */
  addModelVerdict(confidence: number, flowWeight: number): void {
    this.modelMiss *= 1 - flowWeight * confidence;
    this.modelFlows++;
    this.modelConfidenceSum += confidence;
  }

  constructor(
    readonly key: string,
    readonly attacker: string,
    readonly family: string,
    readonly category: ThreatCategory,
    first: Evidence,
  ) {
    this.firstTime = first.time;
    this.lastTime = first.time;
    this.protocol = first.protocol;
    this.firstTarget = first.target;
    this.port = first.destinationPort;
  }

  /** Distinct targets hit (MANY counts as an unnamed one). */
  get targetCount(): number {
    return (this.targets?.size ?? (this.firstTarget === MANY ? 0 : 1)) + this.otherTargets;
  }

  /** The one target when there is exactly one, else MANY. */
  get singleTarget(): string {
    return this.targetCount === 1 && this.firstTarget !== MANY && (this.targets === null || this.targets.size === 1) ? this.firstTarget : MANY;
  }

  addTarget(target: string): void {
    if (target === MANY) {
      if (this.firstTarget !== MANY) this.otherTargets++;
      return;
    }
    if (this.targets === null) {
      if (target === this.firstTarget) return;
      this.targets = new Map(this.firstTarget === MANY ? [] : [[this.firstTarget, 1]]);
    }
    const hits = this.targets.get(target);
    if (hits !== undefined) this.targets.set(target, hits + 1);
    else if (this.targets.size < MAX_TARGETS) this.targets.set(target, 1);
    else this.otherTargets++;
  }
}

export class EvidenceFusion {
  readonly config: FusionConfig;
  private readonly keys = new Map<string, Accumulator>();
  /** Least and most recently updated keys (the ends of the list through older/newer). */
  private oldest: Accumulator | null = null;
  private newest: Accumulator | null = null;
  /** Attacker → the family (and its category) a rule last named it for, and when. */
  private readonly ruleFamily = new Map<string, { family: string; category: ThreatCategory; time: number }>();
  private readonly windowMs: number;
  private readonly reportMs: number;
  private readonly severity: SeverityThresholds | undefined;
  private readonly newId: () => string;
  private readonly firstVerdicts = new FirstVerdicts();
  private evidenceCount = 0;
  private alertCount = 0;
  private keysEvicted = 0;

  constructor(private readonly options: EvidenceFusionOptions) {
    this.config = fusionConfigSchema.parse(options.config ?? {});
    this.windowMs = this.config.windowSeconds * 1000;
    this.reportMs = this.config.reportIntervalSeconds * 1000;
    this.severity = options.severity;
    this.newId = options.newId ?? randomUUID;
  }

  /** Adds one piece of evidence; may emit an alert through onAlert. */
  add(evidence: Evidence): void {
    const isModel = evidence.detector === 'model';
    if (isModel && evidence.confidence < this.config.flowFloor) return;
    this.evidenceCount++;
    if (isModel) {
      const named = this.ruleFamily.get(evidence.attacker);
      const ruled = named !== undefined && evidence.time - named.time <= this.windowMs;
      const family = ruled ? named.family : evidence.family;
      const category = ruled ? named.category : evidence.category;
      const byTarget = !ruled && TARGETED_FAMILIES.has(family);
      this.addFlowVerdict(evidence.attacker, family, category, evidence, byTarget);
      if (VICTIM_FAMILIES.has(evidence.family) && evidence.target !== MANY) {
        this.addFlowVerdict(MANY, evidence.family, evidence.category, evidence, false);
      }
      return;
    }
    if (evidence.attacker !== MANY) {
      this.ruleFamily.set(evidence.attacker, { family: evidence.family, category: evidence.category, time: evidence.time });
    }
    this.addTo(this.accumulator(keyOf(evidence.attacker, evidence.family, evidence.target, false), evidence.attacker, evidence.family, evidence.category, evidence), evidence);
  }

  /** A key's first flow verdict is only remembered (FirstVerdicts); its second makes the accumulator. */
  private addFlowVerdict(attacker: string, family: string, category: ThreatCategory, evidence: Evidence, byTarget: boolean): void {
    // One key string per verdict: it is looked up, remembered and (on the second verdict) opened under.
    const key = keyOf(attacker, family, evidence.target, byTarget);
    const open = this.keys.get(key);
    if (open === undefined || evidence.time - open.lastTime > this.windowMs) {
      const first = this.firstVerdicts;
      if (!first.takeOrRemember(key, evidence.time, evidence.confidence, evidence.attacker, this.windowMs)) return;
      const accumulator = this.accumulator(key, attacker, family, category, evidence);
      accumulator.addModelVerdict(first.takenConfidence, this.config.flowWeight);
      if (attacker === MANY) (accumulator.flowSources ??= new DistinctCount()).addHash(first.takenSourceHash);
      this.addTo(accumulator, evidence);
      return;
    }
    this.addTo(this.accumulator(key, attacker, family, category, evidence), evidence);
  }

  /** Forgets evidence older than the window as of nowMs; alerts with unreported evidence send a closing update. */
  sweep(nowMs: number): void {
    while (this.oldest !== null && nowMs - this.oldest.lastTime > this.windowMs) this.close(this.oldest);
    for (const [attacker, named] of this.ruleFamily) {
      if (nowMs - named.time > this.windowMs) this.ruleFamily.delete(attacker);
    }
  }

  /** End of input: every key sends its closing update and closes. */
  flush(): void {
    while (this.oldest !== null) this.close(this.oldest);
    this.ruleFamily.clear();
  }

  stats(): FusionStats {
    return { evidence: this.evidenceCount, alerts: this.alertCount, openKeys: this.keys.size, keysEvicted: this.keysEvicted };
  }

  /** The open accumulator under `key` (keyOf), or a new one; moved to the recent end of the list. */
  private accumulator(key: string, attacker: string, family: string, category: ThreatCategory, evidence: Evidence): Accumulator {
    let accumulator = this.keys.get(key);
    if (accumulator !== undefined && evidence.time - accumulator.lastTime > this.windowMs) {
      this.close(accumulator);
      accumulator = undefined;
    }
    if (accumulator === undefined) {
      while (this.keys.size >= this.config.maxKeys && this.oldest !== null) {
        this.close(this.oldest);
        this.keysEvicted++;
      }
      accumulator = new Accumulator(key, attacker, family, category, evidence);
      this.keys.set(key, accumulator);
    } else {
      this.unlink(accumulator);
    }
    this.append(accumulator);
    return accumulator;
  }

  private unlink(accumulator: Accumulator): void {
    if (accumulator.older !== null) accumulator.older.newer = accumulator.newer;
    else this.oldest = accumulator.newer;
    if (accumulator.newer !== null) accumulator.newer.older = accumulator.older;
    else this.newest = accumulator.older;
    accumulator.older = null;
    accumulator.newer = null;
  }

  private append(accumulator: Accumulator): void {
    accumulator.older = this.newest;
    if (this.newest !== null) this.newest.newer = accumulator;
    else this.oldest = accumulator;
    this.newest = accumulator;
  }

  private addTo(accumulator: Accumulator, evidence: Evidence): void {
    accumulator.firstTime = Math.min(accumulator.firstTime, evidence.time);
    accumulator.lastTime = Math.max(accumulator.lastTime, evidence.time);
    if (!accumulator.detectors.includes(evidence.detector)) accumulator.detectors.push(evidence.detector);
    if (evidence.detector === 'model') {
      accumulator.modelMiss *= 1 - this.config.flowWeight * evidence.confidence;
      accumulator.modelFlows++;
      accumulator.modelConfidenceSum += evidence.confidence;
      accumulator.modelVersion = evidence.modelVersion;
      if (accumulator.strongestSinceAlert === null || evidence.confidence > accumulator.strongestSinceAlert.confidence) accumulator.strongestSinceAlert = evidence;
      if (accumulator.strongestVerdict === null || evidence.confidence > accumulator.strongestVerdict.confidence) accumulator.strongestVerdict = evidence;
      if (accumulator.attacker === MANY) {
        (accumulator.flowSources ??= new DistinctCount()).add(evidence.attacker);
      }
    } else {
      accumulator.ruleConfidence = Math.max(accumulator.ruleConfidence, evidence.confidence);
      accumulator.ruleSummary = evidence.summary;
      if (evidence.sources !== undefined) accumulator.sources = evidence.sources;
      if (evidence.distinctSources !== undefined) accumulator.distinctSources = Math.max(accumulator.distinctSources, evidence.distinctSources);
    }
    accumulator.addTarget(evidence.target);
    if (evidence.destinationPort !== accumulator.port) accumulator.portsVary = true;
    // A flood's evidence all hits one port: ports are counted only once they vary (or a rule names them).
    if (accumulator.portsVary || evidence.ports !== undefined) accumulator.addPorts(evidence);
    // Past evidencePerAlert the evidence is only counted (modelFlows, the rule's own figures).
    if ((accumulator.pending?.length ?? 0) + accumulator.evidenceStored < this.config.evidencePerAlert) (accumulator.pending ??= []).push(evidence);
    accumulator.newSinceAlert++;
    this.evaluate(accumulator, evidence.time);
  }

  private fused(accumulator: Accumulator): number {
    let modelPart = 1 - accumulator.modelMiss;
    // Many-source keys: flow verdicts count only once they come from enough distinct sources.
    if (accumulator.attacker === MANY && !(accumulator.flowSources?.atLeast(this.config.victimMinSources) ?? false)) modelPart = 0;
    return 1 - (1 - accumulator.ruleConfidence) * (1 - modelPart);
  }

  private evaluate(accumulator: Accumulator, time: number): void {
    const confidence = this.fused(accumulator);
    if (confidence < this.config.alertThreshold) return;
    const severity = severityFor(confidence, this.severity);
    const rises = accumulator.lastAlertSeverity === null || severityRank(severity) > severityRank(accumulator.lastAlertSeverity);
    if (rises || time - accumulator.lastAlertTime >= this.reportMs) this.alert(accumulator, confidence);
  }

  private close(accumulator: Accumulator): void {
    this.keys.delete(accumulator.key);
    this.unlink(accumulator);
    if (accumulator.incidentKey !== null && accumulator.newSinceAlert > 0) {
      const confidence = this.fused(accumulator);
      if (confidence >= this.config.alertThreshold) this.alert(accumulator, confidence);
    }
  }

  private alert(accumulator: Accumulator, confidence: number): void {
    if (accumulator.incidentKey === null) {
      accumulator.incidentKey = `fusion|${accumulator.family}|${accumulator.attacker}|${accumulator.singleTarget}`;
    }
    const event: ThreatEvent = {
      id: this.newId(),
      time: accumulator.lastTime,
      sourceIp: this.attackerLabel(accumulator),
      destinationIp: accumulator.singleTarget,
      destinationPort: accumulator.portsVary ? 0 : accumulator.port,
      ...portsOf(accumulator),
      protocol: accumulator.protocol,
      threatType: accumulator.family,
      category: accumulator.category,
      severity: severityFor(confidence, this.severity),
      confidence,
      detector: [...accumulator.detectors].sort().join('+'),
      modelVersion: accumulator.modelVersion,
      flowId: '',
      incidentId: '',
      summary: this.summary(accumulator),
      representativeFlow: representativeFlow(accumulator),
    };
    const { incident, isNew } = this.options.tracker.track(event, accumulator.incidentKey);
    const evidence: StoredEvidence[] = (accumulator.pending ?? []).map((item) => ({ ...item, incidentId: incident.id }));
    accumulator.evidenceStored += evidence.length;
    accumulator.pending = null;
    accumulator.strongestSinceAlert = null;
    accumulator.lastAlertTime = accumulator.lastTime;
    accumulator.lastAlertSeverity = event.severity;
    accumulator.newSinceAlert = 0;
    this.alertCount++;
    this.options.onAlert({ event, incident, isNew, evidence });
  }

  private attackerLabel(accumulator: Accumulator): string {
    if (accumulator.attacker !== MANY) return accumulator.attacker;
    // Past a few hundred the flow verdicts' count is an estimate, like the rules' own.
    const flowSources = accumulator.flowSources?.count ?? 0;
    const estimated = flowSources > accumulator.distinctSources && accumulator.flowSources?.isExact === false;
    return `many (${estimated ? '~' : ''}${formatCount(Math.max(accumulator.distinctSources, flowSources))})`;
  }

  private summary(accumulator: Accumulator): string {
    const parts: string[] = [];
    if (accumulator.ruleSummary !== '') parts.push(accumulator.ruleSummary);
    if (accumulator.modelFlows > 0) {
      const mean = accumulator.modelConfidenceSum / accumulator.modelFlows;
      parts.push(`${formatCount(accumulator.modelFlows)} flow${accumulator.modelFlows === 1 ? '' : 's'} scored ${accumulator.family} by the model (mean ${mean.toFixed(2)})`);
    }
    const targets = accumulator.targetCount;
    const named = accumulator.targets?.size ?? (accumulator.firstTarget === MANY ? 0 : 1);
    const on = targets === 0 ? '' : accumulator.singleTarget !== MANY ? ` on ${accumulator.singleTarget}` : ` on ${formatCount(named)}${accumulator.otherTargets > 0 ? '+' : ''} hosts`;
    let from = ` by ${this.attackerLabel(accumulator)}`;
    if (accumulator.sources.length > 0) {
      const top = accumulator.sources.slice(0, 3).map((source) => `${source.ip} ×${formatCount(source.count)}`).join(', ');
      from = accumulator.attacker === MANY ? ` from ${this.attackerLabel(accumulator)} sources, top ${top}` : ` by ${accumulator.attacker} (${top})`;
    } else if (accumulator.attacker === MANY) {
      from = ` from ${this.attackerLabel(accumulator)} sources`;
    }
    return `${accumulator.family}${from}${on}: ${parts.join('; ')}`;
  }
}

/**
 * The alert's one flow: its strongest model verdict since the previous alert (else the strongest
 * ever). A rule-only alert stands for many flows: the attacker or the rule's top source, the
 * most-hit target, no counters (a rule's counts span many flows, not one flow's packets).
 */
function representativeFlow(accumulator: Accumulator): RepresentativeFlow {
  const verdict = accumulator.strongestSinceAlert ?? accumulator.strongestVerdict;
  if (verdict !== null) {
    const flow = verdict.flow;
    return {
      sourceIp: verdict.attacker,
      destinationIp: verdict.target,
      sourcePort: flow?.sourcePort ?? 0,
      destinationPort: verdict.destinationPort,
      flowId: verdict.flowId,
      packetsToServer: flow?.packetsToServer ?? 0,
      packetsToClient: flow?.packetsToClient ?? 0,
      bytesToServer: flow?.bytesToServer ?? 0,
      bytesToClient: flow?.bytesToClient ?? 0,
      startMs: flow?.startMs ?? verdict.time,
    };
  }
  return {
    sourceIp: accumulator.attacker !== MANY ? accumulator.attacker : (accumulator.sources[0]?.ip ?? ''),
    destinationIp: mostHitTarget(accumulator),
    sourcePort: 0,
    destinationPort: accumulator.portsVary ? 0 : accumulator.port,
    flowId: '',
    packetsToServer: 0,
    packetsToClient: 0,
    bytesToServer: 0,
    bytesToClient: 0,
    startMs: accumulator.firstTime,
  };
}

function portsOf(accumulator: Accumulator): { ports?: PortSpan } {
  const ports = accumulator.portSpan();
  return ports === undefined ? {} : { ports };
}

/** A rule's attacker is one key whatever it targets; "many sources" is one key per victim. */
function keyOf(attacker: string, family: string, target: string, byTarget: boolean): string {
  return attacker === MANY || byTarget ? `${attacker}|${family}|${target}` : `${attacker}|${family}`;
}

/** Slots of FirstVerdicts (a power of two). */
const FIRST_VERDICT_SLOTS = 1 << 16;

/**
 * The first flow verdict of keys that have no accumulator yet: a key becomes an Accumulator on
 * its second verdict within the window. A spoofed flood sends one flow per source address, and
 * an Accumulator per source (objects kept for the whole window, then evicted) made fusion the
 * slowest stage of the monitor under a flood and the largest part of its heap; one flow verdict
 * (at most flowWeight) never alerts alone anyway. Typed arrays, direct-mapped by a seeded hash of
 * the key: a collision forgets the older first verdict, or at worst credits it to another key.
 * What a remembered verdict loses is its Evidence object: it counts in the model part, but is not
 * among the evidence stored with the alert.
 */
class FirstVerdicts {
  private readonly hashes = new Uint32Array(FIRST_VERDICT_SLOTS);
  private readonly times = new Float64Array(FIRST_VERDICT_SLOTS);
  private readonly confidences = new Float64Array(FIRST_VERDICT_SLOTS);
  /** The verdict's source address as its distinctHash (a victim key counts its distinct sources). */
  private readonly sources = new Uint32Array(FIRST_VERDICT_SLOTS);
  private readonly seed = (Math.random() * 0x1_0000_0000) >>> 0;
  /** The first verdict the last successful takeOrRemember() took. */
  takenConfidence = 0;
  takenSourceHash = 0;

  /**
   * True when this key's first verdict came within windowMs: it is forgotten here and left in
   * takenConfidence/takenSourceHash. Else false, remembering this verdict as the key's first.
   */
  takeOrRemember(key: string, time: number, confidence: number, source: string, windowMs: number): boolean {
    // Never 0: 0 marks an empty slot.
    const hash = mix32(fnv1aText(key, this.seed)) >>> 0 || 1;
    const slot = hash & (FIRST_VERDICT_SLOTS - 1);
    if (this.hashes[slot] === hash && time - this.times[slot]! <= windowMs) {
      this.hashes[slot] = 0;
      this.takenConfidence = this.confidences[slot]!;
      this.takenSourceHash = this.sources[slot]!;
      return true;
    }
    this.hashes[slot] = hash;
    this.times[slot] = time;
    this.confidences[slot] = confidence;
    this.sources[slot] = distinctHash(source);
    return false;
  }
}

/** The target hit most often ('' when the evidence named none, only '*'). */
function mostHitTarget(accumulator: Accumulator): string {
  if (accumulator.targets === null) return accumulator.firstTarget === MANY ? '' : accumulator.firstTarget;
  let best = '';
  let bestHits = 0;
  for (const [target, hits] of accumulator.targets) {
    if (hits > bestHits) {
      best = target;
      bestHits = hits;
    }
  }
  return best;
}

function severityRank(severity: Severity): number {
  return severity === 'Critical' ? 3 : severity === 'High' ? 2 : severity === 'Medium' ? 1 : 0;
}
