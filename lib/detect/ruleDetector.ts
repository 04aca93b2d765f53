/**
 * What a rule detector is: it sees every decoded packet (on the packet clock, so a file replay
 * and a live capture behave the same), keeps fixed-size typed-array windows, and emits a
 * RuleDetection when a key goes over its threshold — at most once per report interval per key.
 * Implementations live in rules/, one file each, and are picked by name from ruleDetectors.ts.
 */
import type { DecodedPacket } from '../decode/packet.ts';
import type { DetectorConfig } from './detectorConfig.ts';
import type { ThreatCategory } from './threatEvent.ts';
import type { PortSpan } from './evidence.ts';

export type RuleName = 'port-scan' | 'syn-flood' | 'udp-flood' | 'icmp-flood' | 'brute-force' | 'slowloris' | 'http-flood';

export type RuleThreatType = 'PortScan' | 'DoS' | 'BruteForce';

/** A ThreatEvent before the engine gives it ids, severity and its incident. */
export interface RuleDetection {
  /** Packet time of the evidence, microseconds since the epoch. */
  timeUs: number;
  /**
   * The attacker: the single source, or the one sending ≥ 50 % of the evidence; '*' only when
   * no source dominates (spoofed or distributed flood; then `attackers` and `distinctSources`
   * say who and how many).
   */
  sourceIp: string;
  /** '*' when the targets are many (horizontal sweep, flood spread over random hosts). */
  destinationIp: string;
  /** 0 when the event spans many ports or the protocol has none. */
  destinationPort: number;
  /** A port scan: how many ports it probed, the lowest and the highest. */
  ports?: PortSpan;
  protocol: string;
  threatType: RuleThreatType;
  category: ThreatCategory;
  /** 0.5 at the threshold, rising towards 0.99 with the ratio over it (see confidenceFromRatio). */
  confidence: number;
  /** 'rule:<name>'. */
  detector: string;
  summary: string;
  /** Same key, same incident: e.g. "rule:port-scan|172.16.0.8" or "rule:syn-flood|->192.168.0.1:80". */
  incidentKey: string;
  /**
   * The attacking addresses with their packet (or attempt) counts, biggest first, at most 8.
   * Floods take them from a space-saving heavy-hitter table: the sources that certainly sent at
   * least 1/8 of the packets, or, when none did (spoofed), the top 8 with the count known for
   * sure (a lower bound: 1 for a spoofed address seen once).
   */
  attackers?: AttackerCount[];
  /** Distinct source addresses seen for this detection (linear-counting estimate for floods); > attackers.length when spoofed. */
  distinctSources?: number;
  /** The targets (addresses, or "addr:port") hit, at most 8. */
  targets?: string[];
}

export interface AttackerCount {
  ip: string;
  count: number;
}

export type DetectionSink = (detection: RuleDetection) => void;

export interface RuleDetector {
  /** The registry name (a RuleName) or, for extra detectors, any name used in logs and failure counts. */
  readonly name: string;
  /** Called for every decoded packet, in capture order. O(1), allocates only when it emits. */
  observePacket(packet: DecodedPacket): void;
  /** Called when time passes without packets (live capture) or at the end: frees idle keys. */
  sweep(nowUs: number): void;
}

/** Context every detector is built with: the whole config (it reads its own part) and the sink. */
export interface RuleDetectorContext {
  config: DetectorConfig;
  emit: DetectionSink;
}

export type RuleDetectorFactory = (context: RuleDetectorContext) => RuleDetector;

/**
 * Confidence from how far over threshold the evidence is: ratio = observed / threshold (≥ 1),
 * confidence = 1 - 0.5 / ratio, capped at 0.99. At the threshold 0.5 (Medium), twice over 0.75
 * (High), 3.4× over 0.85 (Critical), 10× over 0.95. Monotonic, never certain from a count alone.
 */
export function confidenceFromRatio(ratio: number): number {
  if (!(ratio >= 1)) return 0.5;
  return Math.min(0.99, 1 - 0.5 / ratio);
}

export function protocolName(protocol: number): string {
  switch (protocol) {
    case 6:
      return 'TCP';
    case 17:
      return 'UDP';
    case 1:
      return 'ICMP';
    case 58:
      return 'ICMPv6';
    default:
      return String(protocol);
  }
}

/** "1,000": thousands separated by commas (without Intl, which is slow and allocates a lot). */
export function formatCount(value: number): string {
  const digits = String(Math.round(Math.abs(value)));
  let text = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) text += ',';
    text += digits[i];
  }
  return value < 0 ? `-${text}` : text;
}

/** "850 µs", "16 ms", "4.2 s", "23 s", "3.5 min". */
export function formatDuration(us: number): string {
  if (us < 1000) return `${Math.max(0, Math.round(us))} µs`;
  if (us < 1e6) return `${Math.round(us / 1000)} ms`;
  const seconds = us / 1e6;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  return `${(seconds / 60).toFixed(1)} min`;
}

/** Address text standing for many addresses (spoofed sources, a sweep's targets). */
export const MANY = '*';
