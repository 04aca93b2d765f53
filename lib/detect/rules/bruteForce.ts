/**
 * Brute force: one source opening many connections to one login service (FTP, SSH, RDP, ...)
 * within a window. A connection is a distinct client source port towards the service that
 * carries client data (a login attempt has to send credentials), counted from any such packet:
 * captures that start mid-session (no SYNs) count too, while SYN floods, scans and SYN
 * retransmissions — which never send data — do not. HTTP(S) ports need many more connections (webConnections) because
 * browsers open several per page.
 */
import { formatAddress } from '../../decode/formatAddress.ts';
import type { DecodedPacket } from '../../decode/packet.ts';
import { DistinctBitmaps, mix32 } from '../distinctBitmaps.ts';
import {
  confidenceFromRatio,
  formatCount,
  formatDuration,
  type RuleDetector,
  type RuleDetectorContext,
} from '../ruleDetector.ts';
import { WindowedSlots } from '../windowedSlots.ts';

const NOT_WATCHED = 0;
const LOGIN = 1;
const WEB = 2;
const EPISODE_BITS = 4096;

const serviceNames: Record<number, string> = {
  21: 'FTP', 22: 'SSH', 23: 'Telnet', 25: 'SMTP', 80: 'HTTP', 110: 'POP3', 143: 'IMAP', 443: 'HTTPS', 445: 'SMB',
  465: 'SMTPS', 587: 'SMTP submission', 993: 'IMAPS', 995: 'POP3S', 1433: 'MSSQL', 3306: 'MySQL', 3389: 'RDP',
  5432: 'PostgreSQL', 5900: 'VNC', 8080: 'HTTP', 8443: 'HTTPS',
};

export function createBruteForceDetector({ config, emit }: RuleDetectorContext): RuleDetector {
  const settings = config.bruteForce;
  const portKind = new Uint8Array(65_536);
  for (const port of settings.webPorts) portKind[port] = WEB;
  for (const port of settings.ports) portKind[port] = LOGIN;
  // Key: IP version | service port << 8, 4 source words, 4 destination words.
  const slots = new WindowedSlots(settings.slots, 9, settings.windowSeconds, config.reportIntervalSeconds, (slot) => report(slot, slots.lastEvidenceUs[slot]));
  const capacity = slots.capacity;
  const windowConnections = new DistinctBitmaps(capacity, Math.max(settings.connections, settings.webConnections) * 4);
  const episodeConnections = new DistinctBitmaps(capacity, EPISODE_BITS);
  const addressScratch = new Uint32Array(4);
  // The previous window's connections (0 when it was not right before), for the sliding estimate.
  const previousConnections = new Float64Array(capacity);

  function report(slot: number, timeUs: number): void {
    const keyWord = slots.keys[slot * 9];
    const ipVersion = keyWord & 0xff;
    const port = keyWord >>> 8;
    const source = formatAddress(slots.copyKeyWords(slot, 1, addressScratch), ipVersion);
    const target = formatAddress(slots.copyKeyWords(slot, 5, addressScratch), ipVersion);
    const service = serviceNames[port] ?? `port ${port}`;
    emit({
      timeUs,
      sourceIp: source,
      destinationIp: target,
      destinationPort: port,
      protocol: 'TCP',
      threatType: 'BruteForce',
      category: 'Application',
      confidence: confidenceFromRatio(slots.peakRatio[slot]),
      detector: 'rule:brute-force',
      summary:
        `${formatCount(episodeConnections.estimate(slot))} ${service} sessions (client ports) to ${target}:${port} ` +
        `in ${formatDuration(timeUs - slots.episodeStartUs[slot])}`,
      incidentKey: `rule:brute-force|${source}->${target}:${port}`,
    });
  }

  return {
    name: 'brute-force',
    observePacket(packet: DecodedPacket): void {
      if (packet.protocol !== 6 || packet.ipVersion === 0 || packet.isNonFirstFragment) return;
      const kind = portKind[packet.dstPort];
      // Server → client packets have the service as source port; both ends on one (e.g. 445↔445) are peers.
      if (kind === NOT_WATCHED || portKind[packet.srcPort] !== NOT_WATCHED || packet.payloadLength === 0) return;
      const nowUs = packet.timestampUs;
      slots.nowUs = nowUs;
      slots.key[0] = packet.ipVersion | (packet.dstPort << 8);
      slots.setKeyAddress(1, packet.src);
      slots.setKeyAddress(5, packet.dst);
      const slot = slots.touch();
      if (slots.windowRestarted) {
        previousConnections[slot] = slots.previousContiguous ? windowConnections.estimate(slot) : 0;
        windowConnections.clear(slot);
      }
      if (slots.episodeRestarted) episodeConnections.clear(slot);
      const portHash = mix32(packet.srcPort);
      if (episodeConnections.add(slot, portHash)) slots.noteEvidence(slot);
      if (!windowConnections.add(slot, portHash)) return;
      const threshold = kind === WEB ? settings.webConnections : settings.connections;
      const weight = Math.max(0, 1 - (nowUs - slots.windowStartUs[slot]) / slots.windowUs);
      const ratio = (windowConnections.estimate(slot) + previousConnections[slot] * weight) / threshold;
      if (ratio < 1) return;
      if (ratio > slots.peakRatio[slot]) slots.peakRatio[slot] = ratio;
      if (slots.overThreshold(slot)) report(slot, nowUs);
    },
    sweep(nowUs: number): void {
      slots.sweep(nowUs);
    },
  };
}
