/**
 * SYN flood: many half-open connections to one service (destination host and port) in a short
 * burst. Half-open = SYNs minus handshake completions, where a completion is the first ACK from
 * a (source address, source port) that sent a SYN in this window: a per-window "pending" bitmap
 * is set by the SYN and cleared by that ACK, so ACKs of established traffic do not hide a flood.
 * Keyed by destination because flood sources are usually spoofed. Floods spread over random
 * destinations (no single target over threshold) are caught by one network-wide counter, but
 * only when the sources look spoofed (distinct sources ≥ spoofedSourceShare of the SYNs), so
 * a port scan — one source, many half-open ports — is never called a flood.
 * rate = half-open / (latest SYN − first SYN of the window, at least 1 ms).
 */
import { formatAddress } from '../../decode/formatAddress.ts';
import type { DecodedPacket } from '../../decode/packet.ts';
import { DistinctBitmaps, hashAddress, mix32 } from '../distinctBitmaps.ts';
import {
  MANY,
  confidenceFromRatio,
  formatCount,
  formatDuration,
  type RuleDetector,
  type RuleDetectorContext,
} from '../ruleDetector.ts';
import { WindowedSlots } from '../windowedSlots.ts';

const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;
const MIN_SPAN_US = 1000;
const PENDING_BITS = 1024;
const SOURCE_BITS = 1024;
const GLOBAL_BITS = 8192;

export function createSynFloodDetector({ config, emit }: RuleDetectorContext): RuleDetector {
  const settings = config.synFlood;
  const reportIntervalUs = config.reportIntervalSeconds * 1e6;
  const windowUs = settings.windowSeconds * 1e6;
  // Key: IP version | destination port << 8, then the 4 destination address words.
  const slots = new WindowedSlots(settings.slots, 5, settings.windowSeconds);
  const capacity = slots.capacity;
  const pending = new DistinctBitmaps(capacity, PENDING_BITS);
  const windowSyns = new Float64Array(capacity);
  const windowCompletions = new Float64Array(capacity);
  const firstSynUs = new Float64Array(capacity);
  const lastSynUs = new Float64Array(capacity);
  const episodeSyns = new Float64Array(capacity);
  const episodeCompletions = new Float64Array(capacity);
  const episodeSources = new DistinctBitmaps(capacity, SOURCE_BITS);
  const firstSource = new Uint32Array(capacity * 4);
  const singleSource = new Uint8Array(capacity);
  const addressScratch = new Uint32Array(4);

  // The network-wide counter, for spoofed floods spread over random destinations.
  const global = {
    windowStartUs: -Infinity,
    episodeStartUs: 0,
    windowOver: false,
    lastReportUs: -Infinity,
    syns: 0,
    completions: 0,
    firstSynUs: 0,
    lastSynUs: 0,
    episodeSyns: 0,
    /** A single target is over threshold in this window: the per-destination report covers the flood. */
    coveredUntilUs: -Infinity,
  };
  const globalPending = new DistinctBitmaps(1, GLOBAL_BITS);
  const globalSources = new DistinctBitmaps(1, GLOBAL_BITS);
  const globalTargets = new DistinctBitmaps(1, GLOBAL_BITS);

  function connectionHash(packet: DecodedPacket): number {
    return mix32(hashAddress(packet.src) ^ Math.imul(packet.srcPort + 1, 0x9e3779b1));
  }

  function rollGlobal(nowUs: number): void {
    if (nowUs < global.windowStartUs + windowUs) return;
    if (!global.windowOver || nowUs >= global.windowStartUs + 2 * windowUs) {
      global.episodeStartUs = nowUs;
      global.episodeSyns = 0;
      globalTargets.clear(0);
    }
    global.windowStartUs = nowUs;
    global.windowOver = false;
    global.syns = 0;
    global.completions = 0;
    global.firstSynUs = nowUs;
    globalPending.clear(0);
    globalSources.clear(0);
  }

  function writeKey(packet: DecodedPacket): void {
    const key = slots.key;
    const dst = packet.dst;
    key[0] = packet.ipVersion | (packet.dstPort << 8);
    key[1] = dst[0];
    key[2] = dst[1];
    key[3] = dst[2];
    key[4] = dst[3];
  }

  function observeSyn(packet: DecodedPacket, nowUs: number): boolean {
    writeKey(packet);
    const slot = slots.touch(nowUs);
    const src = packet.src;
    if (slots.windowRestarted) {
      pending.clear(slot);
      windowSyns[slot] = 0;
      windowCompletions[slot] = 0;
      firstSynUs[slot] = nowUs;
    }
    if (slots.episodeRestarted) {
      episodeSyns[slot] = 0;
      episodeCompletions[slot] = 0;
      episodeSources.clear(slot);
      for (let w = 0; w < 4; w++) firstSource[slot * 4 + w] = src[w];
      singleSource[slot] = 1;
    }
    windowSyns[slot]++;
    episodeSyns[slot]++;
    lastSynUs[slot] = nowUs;
    pending.add(slot, connectionHash(packet));
    episodeSources.add(slot, hashAddress(src));
    if (singleSource[slot] === 1) {
      const base = slot * 4;
      if (firstSource[base] !== src[0] || firstSource[base + 1] !== src[1] || firstSource[base + 2] !== src[2] || firstSource[base + 3] !== src[3]) {
        singleSource[slot] = 0;
      }
    }
    const halfOpen = windowSyns[slot] - windowCompletions[slot];
    if (halfOpen < settings.minHalfOpen) return false;
    const rate = halfOpen / (Math.max(MIN_SPAN_US, nowUs - firstSynUs[slot]) / 1e6);
    if (rate < settings.halfOpenPerSecond) return false;
    if (slots.reportDue(slot, nowUs, reportIntervalUs)) reportTarget(slot, packet, nowUs, halfOpen, rate);
    return true;
  }

  function reportTarget(slot: number, packet: DecodedPacket, nowUs: number, halfOpen: number, rate: number): void {
    const ipVersion = packet.ipVersion;
    const target = formatAddress(packet.dst, ipVersion);
    const port = packet.dstPort;
    for (let w = 0; w < 4; w++) addressScratch[w] = firstSource[slot * 4 + w];
    const source = singleSource[slot] === 1 ? formatAddress(addressScratch, ipVersion) : MANY;
    const sources = episodeSources.estimate(slot);
    const episodeHalfOpen = episodeSyns[slot] - episodeCompletions[slot];
    emit({
      timeUs: nowUs,
      sourceIp: source,
      destinationIp: target,
      destinationPort: port,
      protocol: 'TCP',
      threatType: 'DoS',
      category: 'Network',
      confidence: confidenceFromRatio(Math.min(halfOpen / settings.minHalfOpen, rate / settings.halfOpenPerSecond)),
      detector: 'rule:syn-flood',
      summary:
        `SYN flood: ${formatCount(episodeHalfOpen)} half-open of ${formatCount(episodeSyns[slot])} SYNs to ${target}:${port} ` +
        `in ${formatDuration(nowUs - slots.episodeStartUs[slot])} from ${sources <= 1 ? source : `${formatCount(sources)} sources`}`,
      incidentKey: `rule:syn-flood|->${target}:${port}`,
    });
  }

  function observeGlobalSyn(packet: DecodedPacket, nowUs: number, targetOver: boolean): void {
    rollGlobal(nowUs);
    if (targetOver) global.coveredUntilUs = global.windowStartUs + windowUs;
    if (global.syns === 0) global.firstSynUs = nowUs;
    global.syns++;
    global.episodeSyns++;
    global.lastSynUs = nowUs;
    globalPending.add(0, connectionHash(packet));
    globalSources.add(0, hashAddress(packet.src));
    globalTargets.add(0, hashAddress(packet.dst));
    if (nowUs < global.coveredUntilUs) return;
    const halfOpen = global.syns - global.completions;
    if (halfOpen < settings.minHalfOpen) return;
    const rate = halfOpen / (Math.max(MIN_SPAN_US, nowUs - global.firstSynUs) / 1e6);
    if (rate < settings.halfOpenPerSecond) return;
    if (globalSources.estimate(0) < settings.spoofedSourceShare * global.syns) return;
    global.windowOver = true;
    if (nowUs - global.lastReportUs < reportIntervalUs) return;
    global.lastReportUs = nowUs;
    const targets = globalTargets.estimate(0);
    emit({
      timeUs: nowUs,
      sourceIp: MANY,
      destinationIp: MANY,
      destinationPort: 0,
      protocol: 'TCP',
      threatType: 'DoS',
      category: 'Network',
      confidence: confidenceFromRatio(Math.min(halfOpen / settings.minHalfOpen, rate / settings.halfOpenPerSecond)),
      detector: 'rule:syn-flood',
      summary:
        `SYN flood from spoofed sources: ${formatCount(global.episodeSyns)} SYNs from ${formatCount(globalSources.estimate(0))} ` +
        `sources to ${formatCount(targets)} hosts in ${formatDuration(nowUs - global.episodeStartUs)}`,
      incidentKey: 'rule:syn-flood|spoofed',
    });
  }

  function observeAck(packet: DecodedPacket, nowUs: number): void {
    const hash = connectionHash(packet);
    if (global.syns > 0 && globalPending.remove(0, hash)) global.completions++;
    writeKey(packet);
    const slot = slots.lookup();
    if (slot < 0 || nowUs >= slots.windowStartUs[slot] + windowUs) return;
    if (pending.remove(slot, hash)) {
      windowCompletions[slot]++;
      episodeCompletions[slot]++;
    }
  }

  return {
    name: 'syn-flood',
    observePacket(packet: DecodedPacket): void {
      if (packet.protocol !== 6 || packet.ipVersion === 0 || packet.isNonFirstFragment) return;
      const flags = packet.tcpFlags;
      const nowUs = packet.timestampUs;
      if ((flags & (SYN | ACK)) === SYN) {
        const targetOver = observeSyn(packet, nowUs);
        observeGlobalSyn(packet, nowUs, targetOver);
      } else if ((flags & (SYN | ACK | RST)) === ACK) {
        observeAck(packet, nowUs);
      }
    },
    sweep(nowUs: number): void {
      slots.sweep(nowUs);
      rollGlobal(nowUs);
    },
  };
}
