/**
 * Shared body of the UDP and ICMP flood rules: packets and IP bytes per destination host per
 * window. A window is a flood when it holds at least minPackets and either packetsPerSecond or
 * bytesPerSecond × window is reached. Keyed by destination since flood sources are often spoofed.
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
  type RuleDetector,
  type RuleName,
} from '../ruleDetector.ts';
import type { DetectionSink } from '../ruleDetector.ts';
import { WindowedSlots } from '../windowedSlots.ts';

const SOURCE_BITS = 1024;

export interface PacketRateFloodOptions {
  name: RuleName;
  settings: FloodConfig;
  reportIntervalSeconds: number;
  emit: DetectionSink;
  /** Which packets count (e.g. UDP, or ICMP/ICMPv6). */
  counts: (packet: DecodedPacket) => boolean;
  /** "UDP flood", "ICMP flood". */
  label: string;
}

export function createPacketRateFlood(options: PacketRateFloodOptions): RuleDetector {
  const { name, settings, emit, counts, label } = options;
  const packetThreshold = settings.packetsPerSecond * settings.windowSeconds;
  const byteThreshold = settings.bytesPerSecond * settings.windowSeconds;
  const detector = `rule:${name}`;
  // Key: IP version, then the 4 destination address words.
  const slots = new WindowedSlots(settings.slots, 5, settings.windowSeconds, options.reportIntervalSeconds, (slot) => report(slot, slots.lastEvidenceUs[slot]));
  const capacity = slots.capacity;
  const windowPackets = new Float64Array(capacity);
  const windowBytes = new Float64Array(capacity);
  const episodePackets = new Float64Array(capacity);
  const episodeBytes = new Float64Array(capacity);
  const episodeSources = new DistinctBitmaps(capacity, SOURCE_BITS);
  const firstSource = new Uint32Array(capacity * 4);
  const singleSource = new Uint8Array(capacity);
  const lastProtocol = new Uint8Array(capacity);
  const lastPort = new Uint16Array(capacity);
  const addressScratch = new Uint32Array(4);

  function report(slot: number, timeUs: number): void {
    const ipVersion = slots.keys[slot * 5];
    const target = formatAddress(slots.copyKeyWords(slot, 1, addressScratch), ipVersion);
    for (let w = 0; w < 4; w++) addressScratch[w] = firstSource[slot * 4 + w];
    const source = singleSource[slot] === 1 ? formatAddress(addressScratch, ipVersion) : MANY;
    const sources = Math.min(episodeSources.estimate(slot), episodePackets[slot]);
    const seconds = Math.max(1e-3, (timeUs - slots.episodeStartUs[slot]) / 1e6);
    emit({
      timeUs,
      sourceIp: source,
      destinationIp: target,
      destinationPort: lastProtocol[slot] === 17 ? lastPort[slot] : 0,
      protocol: protocolName(lastProtocol[slot]),
      threatType: 'DoS',
      category: 'Network',
      confidence: confidenceFromRatio(slots.peakRatio[slot]),
      detector,
      summary:
        `${label}: ${formatCount(episodePackets[slot])} packets (${formatCount(episodeBytes[slot])} B) to ${target} ` +
        `in ${formatDuration(timeUs - slots.episodeStartUs[slot])} (${formatCount(episodePackets[slot] / seconds)}/s) ` +
        `from ${sources <= 1 ? source : `${formatCount(sources)} sources`}`,
      incidentKey: `${detector}|->${target}`,
    });
  }

  return {
    name,
    observePacket(packet: DecodedPacket): void {
      if (packet.ipVersion === 0 || !counts(packet)) return;
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
        for (let w = 0; w < 4; w++) firstSource[slot * 4 + w] = src[w];
        singleSource[slot] = 1;
      }
      const bytes = packet.ipTotalLength;
      windowPackets[slot]++;
      windowBytes[slot] += bytes;
      episodePackets[slot]++;
      episodeBytes[slot] += bytes;
      lastProtocol[slot] = packet.protocol;
      lastPort[slot] = packet.dstPort;
      slots.noteEvidence(slot);
      episodeSources.add(slot, hashAddress(src));
      if (singleSource[slot] === 1) {
        const base = slot * 4;
        if (firstSource[base] !== src[0] || firstSource[base + 1] !== src[1] || firstSource[base + 2] !== src[2] || firstSource[base + 3] !== src[3]) {
          singleSource[slot] = 0;
        }
      }
      if (windowPackets[slot] < settings.minPackets) return;
      const ratio = Math.max(windowPackets[slot] / packetThreshold, windowBytes[slot] / byteThreshold);
      if (ratio < 1) return;
      if (ratio > slots.peakRatio[slot]) slots.peakRatio[slot] = ratio;
      if (slots.overThreshold(slot)) report(slot, slots.lastEvidenceUs[slot]);
    },
    sweep(nowUs: number): void {
      slots.sweep(nowUs);
    },
  };
}
