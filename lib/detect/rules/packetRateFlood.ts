/**
 * Shared body of the UDP and ICMP flood rules, in two tiers that report under one rule name:
 *
 * - **One source → one destination** (the common case: one host sending thousands of packets a
 *   second). Keyed by (source, destination). A window is a flood when the source sent at least
 *   sourcePacketsPerSecond × window of the counted packets and got few back: replies (packets of
 *   the same protocol from the destination to the source) at most maxReplyShare of them. A
 *   download or a stream the client acknowledges (QUIC acks every second packet) never
 *   qualifies; a flood to a closed port gets no UDP back at all.
 * - **Many sources → one destination** (spoofed or distributed floods, where no pair is big).
 *   Keyed by destination. A window is a flood when it holds at least minPackets and either
 *   packetsPerSecond or bytesPerSecond × window is reached. The top sources are kept in a
 *   space-saving table and the distinct sources counted, so the report names the attacker when
 *   one source sent half the packets, else "many (N)". When that dominant source's pair already
 *   reported, the destination tier stays quiet: one flood, one report.
 */
import { formatAddress } from '../../decode/formatAddress.ts';
import type { DecodedPacket } from '../../decode/packet.ts';
import type { FloodConfig } from '../detectorConfig.ts';
import { DistinctBitmaps, hashAddress } from '../distinctBitmaps.ts';
import {
  MANY,
  confidenceFromRatio,
  formatCount,
  formatDuration,
  protocolName,
  type DetectionSink,
  type RuleDetector,
  type RuleName,
} from '../ruleDetector.ts';
import { WindowedSlots } from '../windowedSlots.ts';
import { DOMINANT_SHARE, TopSources, nameSources } from './topSources.ts';

/** Distinct sources per target: linear counting stays within a few % up to about 8,000 and saturates near 34,000 (m·ln m). */
const SOURCE_BITS = 4096;

export interface PacketRateFloodOptions {
  name: RuleName;
  settings: FloodConfig;
  reportIntervalSeconds: number;
  emit: DetectionSink;
  /** Which packets count towards a destination's flood (e.g. UDP, or ICMP/ICMPv6 but errors). */
  counts: (packet: DecodedPacket) => boolean;
  /** Which packets count towards one source's flood of one destination (e.g. UDP, or echo requests). */
  countsFromSource: (packet: DecodedPacket) => boolean;
  /** Which packets from the destination back to the source are replies (UDP; echo replies). */
  isReply: (packet: DecodedPacket) => boolean;
  /** Replies a source's flood may get back, as a share of what it sent (Infinity: not checked, not shown). */
  maxReplyShare: number;
  /** "UDP flood", "ICMP flood". */
  label: string;
}

function sameAddress(a: Uint32Array, b: Uint32Array): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

export function createPacketRateFlood(options: PacketRateFloodOptions): RuleDetector {
  const { name, settings, emit, counts, countsFromSource, isReply, maxReplyShare, label } = options;
  const packetThreshold = settings.packetsPerSecond * settings.windowSeconds;
  const byteThreshold = settings.bytesPerSecond * settings.windowSeconds;
  const pairThreshold = settings.sourcePacketsPerSecond * settings.windowSeconds;
  const detector = `rule:${name}`;
  const reportIntervalUs = options.reportIntervalSeconds * 1e6;
  const addressScratch = new Uint32Array(4);
  const sourceScratch = new Uint32Array(4);

  // ---- Destination tier. Key: IP version, then the 4 destination address words.
  const slots = new WindowedSlots(settings.slots, 5, settings.windowSeconds, options.reportIntervalSeconds, (slot) => report(slot, slots.lastEvidenceUs[slot]));
  const capacity = slots.capacity;
  const windowPackets = new Float64Array(capacity);
  const windowBytes = new Float64Array(capacity);
  const episodePackets = new Float64Array(capacity);
  const episodeBytes = new Float64Array(capacity);
  const episodeSources = new DistinctBitmaps(capacity, SOURCE_BITS);
  const topSources = new TopSources(capacity);
  const lastProtocol = new Uint8Array(capacity);
  const lastPort = new Uint16Array(capacity);

  // ---- Pair tier. Key: IP version, 4 source words, 4 destination words.
  const pairs = new WindowedSlots(settings.slots, 9, settings.windowSeconds, options.reportIntervalSeconds, (slot) => reportPair(slot, pairs.lastEvidenceUs[slot]));
  const pairCapacity = pairs.capacity;
  const pairWindowPackets = new Float64Array(pairCapacity);
  const pairWindowReplies = new Float64Array(pairCapacity);
  const pairEpisodePackets = new Float64Array(pairCapacity);
  const pairEpisodeBytes = new Float64Array(pairCapacity);
  const pairEpisodeReplies = new Float64Array(pairCapacity);
  const pairProtocol = new Uint8Array(pairCapacity);
  const pairPort = new Uint16Array(pairCapacity);

  function writePairKey(ipVersion: number, source: Uint32Array, destination: Uint32Array): void {
    pairs.key[0] = ipVersion;
    pairs.setKeyAddress(1, source);
    pairs.setKeyAddress(5, destination);
  }

  function reportPair(slot: number, timeUs: number): void {
    const ipVersion = pairs.keys[slot * 9];
    const source = formatAddress(pairs.copyKeyWords(slot, 1, addressScratch), ipVersion);
    const target = formatAddress(pairs.copyKeyWords(slot, 5, addressScratch), ipVersion);
    const protocol = pairProtocol[slot];
    const port = protocol === 17 ? pairPort[slot] : 0;
    const packets = pairEpisodePackets[slot];
    const seconds = Math.max(1e-3, (timeUs - pairs.episodeStartUs[slot]) / 1e6);
    emit({
      timeUs,
      sourceIp: source,
      destinationIp: target,
      destinationPort: port,
      protocol: protocolName(protocol),
      threatType: 'DoS',
      category: 'Network',
      confidence: confidenceFromRatio(pairs.peakRatio[slot]),
      detector,
      summary:
        `${label}: ${formatCount(packets)} packets (${formatCount(pairEpisodeBytes[slot])} B) from ${source} to ${target}${port > 0 ? `:${port}` : ''} ` +
        `in ${formatDuration(timeUs - pairs.episodeStartUs[slot])} (${formatCount(packets / seconds)}/s)` +
        (Number.isFinite(maxReplyShare) ? `, ${formatCount(pairEpisodeReplies[slot])} back` : ''),
      incidentKey: `${detector}|${source}->${target}`,
      attackers: [{ ip: source, count: packets }],
      distinctSources: 1,
      targets: [port > 0 ? `${target}:${port}` : target],
    });
  }

  function observePair(packet: DecodedPacket): void {
    const nowUs = packet.timestampUs;
    pairs.nowUs = nowUs;
    writePairKey(packet.ipVersion, packet.src, packet.dst);
    const slot = pairs.touch();
    if (pairs.windowRestarted) {
      pairWindowPackets[slot] = 0;
      pairWindowReplies[slot] = 0;
    }
    if (pairs.episodeRestarted) {
      pairEpisodePackets[slot] = 0;
      pairEpisodeBytes[slot] = 0;
      pairEpisodeReplies[slot] = 0;
    }
    pairWindowPackets[slot]++;
    pairEpisodePackets[slot]++;
    pairEpisodeBytes[slot] += packet.ipTotalLength;
    pairProtocol[slot] = packet.protocol;
    // A non-first fragment has no ports: keep the last port seen.
    if (!packet.isNonFirstFragment) pairPort[slot] = packet.dstPort;
    pairs.noteEvidence(slot);
    const sent = pairWindowPackets[slot];
    if (sent < pairThreshold || pairWindowReplies[slot] > maxReplyShare * sent) return;
    const ratio = sent / pairThreshold;
    if (ratio > pairs.peakRatio[slot]) pairs.peakRatio[slot] = ratio;
    if (pairs.overThreshold(slot)) reportPair(slot, nowUs);
  }

  /**
   * A packet from B to A is a reply for the pair A → B (looked up, never claimed). True when A
   * is sending to B in the current window: then it answers A, and is no evidence of a flood of A.
   */
  function observeReply(packet: DecodedPacket): boolean {
    writePairKey(packet.ipVersion, packet.dst, packet.src);
    const slot = pairs.lookup();
    if (slot < 0 || packet.timestampUs >= pairs.windowStartUs[slot] + pairs.windowUs) return false;
    pairWindowReplies[slot]++;
    pairEpisodeReplies[slot]++;
    return true;
  }

  /** Whether the dominant source's own pair reported this flood within the report interval. */
  function pairReported(slot: number, ipVersion: number, nowUs: number): boolean {
    const dominant = topSources.dominant(slot, episodePackets[slot], DOMINANT_SHARE);
    if (dominant < 0) return false;
    writePairKey(ipVersion, topSources.entryAddress(slot, dominant, sourceScratch), slots.copyKeyWords(slot, 1, addressScratch));
    const pair = pairs.lookup();
    return pair >= 0 && nowUs - pairs.lastReportUs[pair] < reportIntervalUs;
  }

  function report(slot: number, timeUs: number): void {
    const ipVersion = slots.keys[slot * 5];
    const target = formatAddress(slots.copyKeyWords(slot, 1, addressScratch), ipVersion);
    const packets = episodePackets[slot];
    const sources = nameSources(topSources, slot, ipVersion, packets, episodeSources.estimate(slot), formatCount, MANY);
    const seconds = Math.max(1e-3, (timeUs - slots.episodeStartUs[slot]) / 1e6);
    const port = lastProtocol[slot] === 17 ? lastPort[slot] : 0;
    emit({
      timeUs,
      sourceIp: sources.sourceIp,
      destinationIp: target,
      destinationPort: port,
      protocol: protocolName(lastProtocol[slot]),
      threatType: 'DoS',
      category: 'Network',
      confidence: confidenceFromRatio(slots.peakRatio[slot]),
      detector,
      summary:
        `${label}: ${formatCount(packets)} packets (${formatCount(episodeBytes[slot])} B) to ${target} ` +
        `in ${formatDuration(timeUs - slots.episodeStartUs[slot])} (${formatCount(packets / seconds)}/s) from ${sources.text}`,
      incidentKey: `${detector}|->${target}`,
      attackers: sources.attackers,
      distinctSources: sources.distinctSources,
      targets: [target],
    });
  }

  function observeDestination(packet: DecodedPacket): void {
    slots.nowUs = packet.timestampUs;
    const src = packet.src;
    slots.key[0] = packet.ipVersion;
    slots.setKeyAddress(1, packet.dst);
    const slot = slots.touch();
    if (slots.windowRestarted) {
      windowPackets[slot] = 0;
      windowBytes[slot] = 0;
    }
    if (slots.episodeRestarted) {
      episodePackets[slot] = 0;
      episodeBytes[slot] = 0;
      episodeSources.clear(slot);
      topSources.clear(slot);
    }
    const bytes = packet.ipTotalLength;
    windowPackets[slot]++;
    windowBytes[slot] += bytes;
    episodePackets[slot]++;
    episodeBytes[slot] += bytes;
    lastProtocol[slot] = packet.protocol;
    if (!packet.isNonFirstFragment) lastPort[slot] = packet.dstPort;
    slots.noteEvidence(slot);
    episodeSources.add(slot, hashAddress(src));
    topSources.add(slot, src);
    if (windowPackets[slot] < settings.minPackets) return;
    const ratio = Math.max(windowPackets[slot] / packetThreshold, windowBytes[slot] / byteThreshold);
    if (ratio < 1) return;
    if (ratio > slots.peakRatio[slot]) slots.peakRatio[slot] = ratio;
    const quiet = pairReported(slot, packet.ipVersion, packet.timestampUs);
    if (slots.overThreshold(slot, !quiet)) report(slot, slots.lastEvidenceUs[slot]);
  }

  return {
    name,
    observePacket(packet: DecodedPacket): void {
      if (packet.ipVersion === 0) return;
      // A victim's answers to its flooder (echo replies to a ping flood) are not a flood of the
      // flooder. A host talking to itself (loopback tests) sends no replies.
      const answers = isReply(packet) && !sameAddress(packet.src, packet.dst) && observeReply(packet);
      if (!counts(packet)) return;
      if (!answers) observeDestination(packet);
      if (countsFromSource(packet)) observePair(packet);
    },
    sweep(nowUs: number): void {
      slots.sweep(nowUs);
      pairs.sweep(nowUs);
    },
  };
}
