/**
 * SYN flood: many half-open connections to one service (destination host and port) in a short
 * burst. Half-open = SYNs minus handshake completions, where a completion is the first ACK from
 * a (source address, source port) that sent a SYN in this window: a per-window "pending" bitmap
 * is set by the SYN and cleared by that ACK, so ACKs of established traffic do not hide a flood.
 * Keyed by destination because flood sources are usually spoofed. Floods spread over random
 * destinations (no single target over threshold) are caught by one network-wide counter, but
 * only when the sources look spoofed (distinct sources ≥ spoofedSourceShare of the SYNs), so
 * a port scan — one source, many half-open ports — is never called a flood.
 * rate = half-open / (latest SYN − first SYN of the window, at least 1 ms);
 * ratio over threshold = min(half-open / minHalfOpen, rate / halfOpenPerSecond).
 * Every target (and the network-wide counter) keeps its top 8 sources by SYNs in a space-saving
 * table and a distinct-source estimate: the report names the one host sending half the SYNs or
 * more, else "many (N) sources" with the biggest ones.
 */
import { formatAddress } from '../../decode/formatAddress.ts';
import type { DecodedPacket } from '../../decode/packet.ts';
import { DistinctBitmaps, hashAddress, hashEndpoint } from '../distinctBitmaps.ts';
import {
  MANY,
  confidenceFromRatio,
  formatCount,
  formatDuration,
  type RuleDetector,
  type RuleDetectorContext,
} from '../ruleDetector.ts';
import { WindowedSlots } from '../windowedSlots.ts';
import { TopSources, nameSources } from './topSources.ts';
import { TcpFlag } from '../../decode/packet.ts';

const { SYN, RST, ACK } = TcpFlag;
const MIN_SPAN_US = 1000;
const PENDING_BITS = 1024;
/** Distinct sources per target: linear counting stays within a few % up to about 8,000 and saturates near 34,000 (m·ln m). */
const SOURCE_BITS = 4096;
const NETWORK_BITS = 8192;
/** The network-wide counter is one key (0) in a table of its own. */
const NETWORK_KEY = 0;

export function createSynFloodDetector({ config, emit }: RuleDetectorContext): RuleDetector {
  const settings = config.synFlood;

  // Per target. Key: IP version | destination port << 8, then the 4 destination address words.
  const targets = new WindowedSlots(settings.slots, 5, settings.windowSeconds, config.reportIntervalSeconds, (slot) =>
    reportTarget(slot, targets.lastEvidenceUs[slot]),
  );
  const capacity = targets.capacity;
  const pending = new DistinctBitmaps(capacity, PENDING_BITS);
  const windowSyns = new Float64Array(capacity);
  const windowCompletions = new Float64Array(capacity);
  const firstSynUs = new Float64Array(capacity);
  const episodeSyns = new Float64Array(capacity);
  const episodeCompletions = new Float64Array(capacity);
  const episodeSources = new DistinctBitmaps(capacity, SOURCE_BITS);
  const topSources = new TopSources(capacity);
  const addressScratch = new Uint32Array(4);

  // Network-wide, for spoofed floods spread over random destinations.
  const network = new WindowedSlots(8, 1, settings.windowSeconds, config.reportIntervalSeconds, (slot) =>
    reportNetwork(slot, network.lastEvidenceUs[slot]),
  );
  const minSpanSeconds = MIN_SPAN_US / 1e6;
  const networkPending = new DistinctBitmaps(network.capacity, NETWORK_BITS);
  const networkSources = new DistinctBitmaps(network.capacity, NETWORK_BITS);
  const networkEpisodeSources = new DistinctBitmaps(network.capacity, NETWORK_BITS);
  const networkTargets = new DistinctBitmaps(network.capacity, NETWORK_BITS);
  const networkTopSources = new TopSources(network.capacity);
  let networkIpVersion = 4;
  const networkState = { syns: 0, completions: 0, firstSynUs: 0, episodeSyns: 0, slot: -1, coveredUntilUs: -Infinity };

  function connectionHash(packet: DecodedPacket): number {
    return hashEndpoint(packet.src, packet.srcPort);
  }

  function writeTargetKey(packet: DecodedPacket): void {
    targets.key[0] = packet.ipVersion | (packet.dstPort << 8);
    targets.setKeyAddress(1, packet.dst);
  }

  /** Counts the SYN for its target; true when that target is over threshold. */
  function observeTargetSyn(packet: DecodedPacket): boolean {
    const nowUs = packet.timestampUs;
    targets.nowUs = nowUs;
    writeTargetKey(packet);
    const slot = targets.touch();
    const src = packet.src;
    if (targets.windowRestarted) {
      pending.clear(slot);
      windowSyns[slot] = 0;
      windowCompletions[slot] = 0;
      firstSynUs[slot] = nowUs;
    }
    if (targets.episodeRestarted) {
      episodeSyns[slot] = 0;
      episodeCompletions[slot] = 0;
      episodeSources.clear(slot);
      topSources.clear(slot);
    }
    windowSyns[slot]++;
    episodeSyns[slot]++;
    pending.add(slot, connectionHash(packet));
    episodeSources.add(slot, hashAddress(src));
    topSources.add(slot, src);
    targets.noteEvidence(slot);
    const halfOpen = windowSyns[slot] - windowCompletions[slot];
    if (halfOpen < settings.minHalfOpen) return false;
    const rate = halfOpen / Math.max(minSpanSeconds, (nowUs - firstSynUs[slot]) / 1e6);
    const ratio = Math.min(halfOpen / settings.minHalfOpen, rate / settings.halfOpenPerSecond);
    if (ratio < 1) return false;
    if (ratio > targets.peakRatio[slot]) targets.peakRatio[slot] = ratio;
    if (targets.overThreshold(slot)) reportTarget(slot, targets.lastEvidenceUs[slot]);
    return true;
  }

  function reportTarget(slot: number, timeUs: number): void {
    const keyWord = targets.keys[slot * 5];
    const ipVersion = keyWord & 0xff;
    const port = keyWord >>> 8;
    const target = formatAddress(targets.copyKeyWords(slot, 1, addressScratch), ipVersion);
    const sources = nameSources(topSources, slot, ipVersion, episodeSyns[slot], episodeSources.estimate(slot), formatCount, MANY);
    const halfOpen = episodeSyns[slot] - episodeCompletions[slot];
    emit({
      timeUs,
      sourceIp: sources.sourceIp,
      destinationIp: target,
      destinationPort: port,
      protocol: 'TCP',
      threatType: 'DoS',
      category: 'Network',
      confidence: confidenceFromRatio(targets.peakRatio[slot]),
      detector: 'rule:syn-flood',
      summary:
        `SYN flood: ${formatCount(halfOpen)} half-open of ${formatCount(episodeSyns[slot])} SYNs to ${target}:${port} ` +
        `in ${formatDuration(timeUs - targets.episodeStartUs[slot])} from ${sources.text}`,
      incidentKey: `rule:syn-flood|->${target}:${port}`,
      attackers: sources.attackers,
      distinctSources: sources.distinctSources,
      targets: [`${target}:${port}`],
    });
  }

  function observeNetworkSyn(packet: DecodedPacket, targetOver: boolean): void {
    const nowUs = packet.timestampUs;
    network.nowUs = nowUs;
    network.key[0] = NETWORK_KEY;
    const slot = network.touch();
    const state = networkState;
    state.slot = slot;
    if (network.windowRestarted) {
      state.syns = 0;
      state.completions = 0;
      state.firstSynUs = nowUs;
      networkPending.clear(slot);
      networkSources.clear(slot);
    }
    if (network.episodeRestarted) {
      state.episodeSyns = 0;
      networkEpisodeSources.clear(slot);
      networkTargets.clear(slot);
      networkTopSources.clear(slot);
    }
    networkTopSources.add(slot, packet.src);
    networkIpVersion = packet.ipVersion;
    // A single target over threshold covers the flood: its own report names the target.
    if (targetOver) state.coveredUntilUs = network.windowStartUs[slot] + network.windowUs;
    state.syns++;
    state.episodeSyns++;
    const sourceHash = hashAddress(packet.src);
    networkPending.add(slot, connectionHash(packet));
    networkSources.add(slot, sourceHash);
    networkEpisodeSources.add(slot, sourceHash);
    networkTargets.add(slot, hashAddress(packet.dst));
    network.noteEvidence(slot);
    if (nowUs < state.coveredUntilUs) return;
    const halfOpen = state.syns - state.completions;
    if (halfOpen < settings.minHalfOpen) return;
    if (networkSources.estimate(slot) < settings.spoofedSourceShare * state.syns) return;
    const rate = halfOpen / Math.max(minSpanSeconds, (nowUs - state.firstSynUs) / 1e6);
    const ratio = Math.min(halfOpen / settings.minHalfOpen, rate / settings.halfOpenPerSecond);
    if (ratio < 1) return;
    if (ratio > network.peakRatio[slot]) network.peakRatio[slot] = ratio;
    if (network.overThreshold(slot)) reportNetwork(slot, network.lastEvidenceUs[slot]);
  }

  function reportNetwork(slot: number, timeUs: number): void {
    const syns = networkState.episodeSyns;
    const sources = nameSources(networkTopSources, slot, networkIpVersion, syns, networkEpisodeSources.estimate(slot), formatCount, MANY);
    emit({
      timeUs,
      sourceIp: sources.sourceIp,
      destinationIp: MANY,
      destinationPort: 0,
      protocol: 'TCP',
      threatType: 'DoS',
      category: 'Network',
      confidence: confidenceFromRatio(network.peakRatio[slot]),
      detector: 'rule:syn-flood',
      summary:
        `SYN flood from spoofed sources: ${formatCount(syns)} SYNs from ${sources.text} ` +
        `to ${formatCount(Math.min(syns, networkTargets.estimate(slot)))} hosts in ${formatDuration(timeUs - network.episodeStartUs[slot])}`,
      incidentKey: 'rule:syn-flood|spoofed',
      attackers: sources.attackers,
      distinctSources: sources.distinctSources,
    });
  }

  function observeAck(packet: DecodedPacket): void {
    const nowUs = packet.timestampUs;
    // Most packets are ACKs of established traffic: the network-wide pending bitmap (every SYN of
    // the current window sets it) turns them away with one bit test instead of a table lookup.
    const networkSlot = networkState.slot;
    if (networkSlot < 0 || nowUs >= network.windowStartUs[networkSlot] + network.windowUs) return;
    const hash = connectionHash(packet);
    if (!networkPending.remove(networkSlot, hash)) return;
    networkState.completions++;
    writeTargetKey(packet);
    const slot = targets.lookup();
    if (slot < 0 || nowUs >= targets.windowStartUs[slot] + targets.windowUs) return;
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
      if ((flags & (SYN | ACK)) === SYN) {
        const targetOver = observeTargetSyn(packet);
        observeNetworkSyn(packet, targetOver);
      } else if ((flags & (SYN | ACK | RST)) === ACK) {
        observeAck(packet);
      }
    },
    sweep(nowUs: number): void {
      targets.sweep(nowUs);
      network.sweep(nowUs);
      if (networkState.slot >= 0 && network.used[networkState.slot] === 0) networkState.slot = -1;
    },
  };
}
