/**
 * HTTP flood: one source sending many completed HTTP/1.x requests to one web service (host and
 * port) within a window — `ab -c 50 -n 10000`, a GET flood. A request counts when a client
 * segment starts with a method ("GET ", "POST ", ...) and its headers end in the captured bytes
 * (or run past them: the snap length cut a long request, so nothing says it is unfinished).
 * Requests still sending their headers are slowloris's, not a flood's. Encrypted HTTPS and
 * HTTP/2 are not readable and not counted (the flow model sees those).
 */
import type { DecodedPacket } from '../../decode/packet.ts';
import {
  confidenceFromRatio,
  formatCount,
  formatDuration,
  type RuleDetector,
  type RuleDetectorContext,
} from '../ruleDetector.ts';
import { WindowedSlots } from '../windowedSlots.ts';
import { hasHeaderEnd, isHttpRequest } from './payloadText.ts';
import { readServicePair, SERVICE_PAIR_KEY_WORDS, writeServicePairKey } from './servicePairKey.ts';

export function createHttpFloodDetector({ config, emit }: RuleDetectorContext): RuleDetector {
  const settings = config.httpFlood;
  // Key: IP version | server port << 8, 4 client words, 4 server words.
  const slots = new WindowedSlots(settings.slots, SERVICE_PAIR_KEY_WORDS, settings.windowSeconds, config.reportIntervalSeconds, (slot) => report(slot, slots.lastEvidenceUs[slot]));
  const capacity = slots.capacity;
  const windowRequests = new Float64Array(capacity);
  const previousRequests = new Float64Array(capacity);
  const episodeRequests = new Float64Array(capacity);
  const addressScratch = new Uint32Array(4);

  function report(slot: number, timeUs: number): void {
    const { port, client: source, server: target } = readServicePair(slots, slot, addressScratch);
    const requests = episodeRequests[slot];
    const seconds = Math.max(1e-3, (timeUs - slots.episodeStartUs[slot]) / 1e6);
    emit({
      timeUs,
      sourceIp: source,
      destinationIp: target,
      destinationPort: port,
      protocol: 'TCP',
      threatType: 'DoS',
      category: 'Application',
      confidence: confidenceFromRatio(slots.peakRatio[slot]),
      detector: 'rule:http-flood',
      summary:
        `HTTP flood: ${formatCount(requests)} requests from ${source} to ${target}:${port} ` +
        `in ${formatDuration(timeUs - slots.episodeStartUs[slot])} (${formatCount(requests / seconds)}/s)`,
      incidentKey: `rule:http-flood|${source}->${target}:${port}`,
      attackers: [{ ip: source, count: requests }],
      distinctSources: 1,
      targets: [`${target}:${port}`],
    });
  }

  return {
    name: 'http-flood',
    observePacket(packet: DecodedPacket): void {
      if (packet.protocol !== 6 || packet.payloadLength === 0 || packet.ipVersion === 0) return;
      const bytes = packet.frameBytes;
      const start = packet.payloadOffset;
      const length = packet.payloadCapturedLength;
      if (!isHttpRequest(bytes, start, length)) return;
      if (length === packet.payloadLength && !hasHeaderEnd(bytes, start, length)) return;
      const nowUs = packet.timestampUs;
      slots.nowUs = nowUs;
      writeServicePairKey(slots, packet.ipVersion, packet.dstPort, packet.src, packet.dst);
      const slot = slots.touch();
      if (slots.windowRestarted) {
        previousRequests[slot] = slots.previousContiguous ? windowRequests[slot] : 0;
        windowRequests[slot] = 0;
      }
      if (slots.episodeRestarted) episodeRequests[slot] = 0;
      windowRequests[slot]++;
      episodeRequests[slot]++;
      slots.noteEvidence(slot);
      const weight = Math.max(0, 1 - (nowUs - slots.windowStartUs[slot]) / slots.windowUs);
      const ratio = (windowRequests[slot] + previousRequests[slot] * weight) / settings.requests;
      if (ratio < 1) return;
      if (ratio > slots.peakRatio[slot]) slots.peakRatio[slot] = ratio;
      if (slots.overThreshold(slot)) report(slot, nowUs);
    },
    sweep(nowUs: number): void {
      slots.sweep(nowUs);
    },
  };
}
