/**
 * Port scan: one source probing many destination ports (vertical scan) or many hosts
 * (horizontal sweep) within a window. Probes are packets only an initiator or a scanner sends:
 * SYN without ACK (SYN and connect scans), TCP without ACK/SYN/RST (FIN, NULL, XMAS scans),
 * a bare ACK without payload towards the lower port (ACK and window scans), UDP towards the
 * lower port (UDP scans), ICMP echo requests (ping sweeps) and other IP protocols (protocol
 * scans, counted as pseudo-ports 65536+protocol). "Towards the lower port" keeps a server's
 * replies to many client ephemeral ports from looking like probes.
 * Ports and hosts are counted separately, not as (host, port) pairs: browsing touches many
 * hosts on one or two ports, a scan touches many ports.
 */
import { formatAddress } from '../../decode/formatAddress.ts';
import type { DecodedPacket } from '../../decode/packet.ts';
import { DistinctBitmaps, hashAddress, mix32 } from '../distinctBitmaps.ts';
import {
  MANY,
  confidenceFromRatio,
  formatCount,
  formatDuration,
  protocolName,
  type RuleDetector,
  type RuleDetectorContext,
} from '../ruleDetector.ts';
import { WindowedSlots } from '../windowedSlots.ts';
import { TcpFlag } from '../../decode/packet.ts';

const { SYN, RST, ACK } = TcpFlag;
const FIN_SYN_RST_PSH_ACK_URG = 0x3f;
const NO_PORT = -1;
/** Episode bitmaps: exact enough to say "1,000 ports" (linear counting stays within a few % to ~2×m). */
const EPISODE_BITS = 4096;

/**
 * Two tiers share the work: a fast window for ordinary scans and a slow one for scans that
 * trickle one probe a second. Both report under the same incident key, so one scan is one incident.
 */
export function createPortScanDetector(context: RuleDetectorContext): RuleDetector {
  const settings = context.config.portScan;
  // The report interval is shared: a tier stays quiet while the other reported the key recently.
  const reportedByPeer = (peer: WindowedSlots, self: WindowedSlots): boolean => {
    peer.key.set(self.key);
    const slot = peer.lookup();
    return slot >= 0 && self.nowUs - peer.lastReportUs[slot] < peer.reportIntervalUs;
  };
  const fast: PortScanTierDetector = createPortScanTier(
    context,
    { windowSeconds: settings.windowSeconds, distinctPorts: settings.distinctPorts, distinctHosts: settings.distinctHosts },
    (self) => reportedByPeer(slow.slots, self),
  );
  const slow: PortScanTierDetector = createPortScanTier(
    context,
    { windowSeconds: settings.slowWindowSeconds, distinctPorts: settings.slowDistinctPorts, distinctHosts: settings.slowDistinctHosts },
    (self) => reportedByPeer(fast.slots, self),
  );
  return {
    name: 'port-scan',
    observePacket(packet: DecodedPacket): void {
      fast.observePacket(packet);
      slow.observePacket(packet);
    },
    sweep(nowUs: number): void {
      fast.sweep(nowUs);
      slow.sweep(nowUs);
    },
  };
}

interface PortScanTier {
  windowSeconds: number;
  distinctPorts: number;
  distinctHosts: number;
}

interface PortScanTierDetector extends RuleDetector {
  slots: WindowedSlots;
}

function createPortScanTier(
  { config, emit }: RuleDetectorContext,
  settings: PortScanTier,
  peerReported: (self: WindowedSlots) => boolean,
): PortScanTierDetector {
  // Key: IP version, then the 4 source address words.
  const slots = new WindowedSlots(config.portScan.slots, 5, settings.windowSeconds, config.reportIntervalSeconds, (slot) => report(slot, slots.lastEvidenceUs[slot]));
  const capacity = slots.capacity;
  // Window bitmaps sized at 16× the threshold, so the estimate is near exact where it matters
  // (at 4×, 19 ports set 19 of 128 bits and read as 20: the scan was reported a port early).
  const windowPorts = new DistinctBitmaps(capacity, settings.distinctPorts * 16);
  const windowHosts = new DistinctBitmaps(capacity, settings.distinctHosts * 16);
  // The previous window's distinct counts (0 when it was not right before), for the sliding estimate.
  const previousPorts = new Float64Array(capacity);
  const previousHosts = new Float64Array(capacity);
  const episodePorts = new DistinctBitmaps(capacity, EPISODE_BITS);
  const episodeHosts = new DistinctBitmaps(capacity, EPISODE_BITS);
  const episodeProbes = new Float64Array(capacity);
  // Lowest and highest port probed in the episode (ICMP and other protocols have none).
  const episodePortMin = new Int32Array(capacity).fill(0xffff);
  const episodePortMax = new Int32Array(capacity).fill(-1);
  // The current and the closed window's first probe and probe count. When the sliding estimate
  // carries a scan over threshold just after a window under threshold closed (a slow scan's 25th
  // port lands in the next window), that window's figures join the new episode, so the report
  // says "25 ports in 10 s", not "1 port in 0 µs".
  const windowFirstUs = new Float64Array(capacity);
  const windowProbes = new Float64Array(capacity);
  const carriedPorts = new Float64Array(capacity);
  const carriedHosts = new Float64Array(capacity);
  const carriedProbes = new Float64Array(capacity);
  const lastProtocol = new Uint8Array(capacity);
  // Boyer-Moore majority vote over targets: the main target of a scan in O(1) per probe.
  const targetWords = new Uint32Array(capacity * 4);
  const targetVotes = new Int32Array(capacity);
  const addressScratch = new Uint32Array(4);

  function probePort(packet: DecodedPacket): number {
    const protocol = packet.protocol;
    if (protocol === 6) {
      const flags = packet.tcpFlags & FIN_SYN_RST_PSH_ACK_URG;
      if ((flags & SYN) !== 0) return (flags & ACK) === 0 ? packet.dstPort : NO_PORT;
      if ((flags & (ACK | RST)) === 0) return packet.dstPort;
      if (flags === ACK && packet.payloadLength === 0 && packet.dstPort < packet.srcPort) return packet.dstPort;
      return NO_PORT;
    }
    if (protocol === 17) return packet.dstPort < packet.srcPort ? packet.dstPort : NO_PORT;
    if (protocol === 1) return packet.icmpType === 8 ? 0x20000 : NO_PORT;
    if (protocol === 58) return packet.icmpType === 128 ? 0x20000 : NO_PORT;
    return 0x10000 | protocol;
  }

  function report(slot: number, timeUs: number): void {
    // Distinct counts cannot exceed the probes they came from (linear counting rounds up slightly).
    const probes = episodeProbes[slot] + carriedProbes[slot];
    const ports = Math.min(episodePorts.estimate(slot) + carriedPorts[slot], probes);
    const hosts = Math.max(1, Math.min(episodeHosts.estimate(slot) + carriedHosts[slot], probes));
    const ipVersion = slots.keys[slot * 5];
    const source = formatAddress(slots.copyKeyWords(slot, 1, addressScratch), ipVersion);
    for (let w = 0; w < 4; w++) addressScratch[w] = targetWords[slot * 4 + w];
    const target = formatAddress(addressScratch, ipVersion);
    const vertical = ports / settings.distinctPorts >= hosts / settings.distinctHosts;
    const duration = formatDuration(timeUs - slots.episodeStartUs[slot]);
    const summary = vertical
      ? hosts <= 1
        ? `${formatCount(ports)} ports on ${target} in ${duration}`
        : `${formatCount(ports)} ports on ${formatCount(hosts)} hosts (mostly ${target}) in ${duration}`
      : `${formatCount(hosts)} hosts probed on ${formatCount(ports)} ports in ${duration}`;
    emit({
      timeUs,
      sourceIp: source,
      destinationIp: vertical ? target : MANY,
      destinationPort: 0,
      ...(episodePortMax[slot]! >= 0 ? { ports: { count: Math.round(ports), min: episodePortMin[slot]!, max: episodePortMax[slot]! } } : {}),
      protocol: protocolName(lastProtocol[slot]),
      threatType: 'PortScan',
      category: 'Reconnaissance',
      confidence: confidenceFromRatio(slots.peakRatio[slot]),
      detector: 'rule:port-scan',
      summary: `${summary} (${formatCount(probes)} probes)`,
      incidentKey: `rule:port-scan|${source}`,
      attackers: [{ ip: source, count: probes }],
      distinctSources: 1,
      // A sweep's hosts are counted, not kept: only a vertical scan names its target.
      targets: vertical ? [target] : [],
    });
  }

  return {
    name: 'port-scan',
    slots,
    observePacket(packet: DecodedPacket): void {
      if (packet.ipVersion === 0 || packet.isNonFirstFragment) return;
      const port = probePort(packet);
      if (port === NO_PORT) return;
      const nowUs = packet.timestampUs;
      slots.nowUs = nowUs;
      slots.key[0] = packet.ipVersion;
      slots.setKeyAddress(1, packet.src);
      const slot = slots.touch();
      let previousFirstUs = nowUs;
      let previousProbes = 0;
      if (slots.windowRestarted) {
        const contiguous = slots.previousContiguous;
        previousPorts[slot] = contiguous ? windowPorts.estimate(slot) : 0;
        previousHosts[slot] = contiguous ? windowHosts.estimate(slot) : 0;
        if (contiguous) {
          previousFirstUs = windowFirstUs[slot];
          previousProbes = windowProbes[slot];
        }
        windowPorts.clear(slot);
        windowHosts.clear(slot);
        windowFirstUs[slot] = nowUs;
        windowProbes[slot] = 0;
      }
      if (slots.episodeRestarted) {
        episodePorts.clear(slot);
        episodeHosts.clear(slot);
        episodeProbes[slot] = 0;
        episodePortMin[slot] = 0xffff;
        episodePortMax[slot] = -1;
        targetVotes[slot] = 0;
        carriedPorts[slot] = previousPorts[slot];
        carriedHosts[slot] = previousHosts[slot];
        carriedProbes[slot] = previousProbes;
        if (previousProbes > 0) slots.episodeStartUs[slot] = previousFirstUs;
      }
      windowProbes[slot]++;
      episodeProbes[slot]++;
      lastProtocol[slot] = packet.protocol;
      slots.noteEvidence(slot);

      const dst = packet.dst;
      const targetBase = slot * 4;
      if (targetVotes[slot] === 0) {
        targetWords[targetBase] = dst[0];
        targetWords[targetBase + 1] = dst[1];
        targetWords[targetBase + 2] = dst[2];
        targetWords[targetBase + 3] = dst[3];
        targetVotes[slot] = 1;
      } else if (
        targetWords[targetBase] === dst[0] &&
        targetWords[targetBase + 1] === dst[1] &&
        targetWords[targetBase + 2] === dst[2] &&
        targetWords[targetBase + 3] === dst[3]
      ) {
        targetVotes[slot]++;
      } else {
        targetVotes[slot]--;
      }

      const hostHash = hashAddress(dst);
      episodeHosts.add(slot, hostHash);
      let changed = windowHosts.add(slot, hostHash);
      // Echo requests probe hosts, not ports.
      if (port !== 0x20000) {
        if (port < 0x10000) {
          if (port < episodePortMin[slot]!) episodePortMin[slot] = port;
          if (port > episodePortMax[slot]!) episodePortMax[slot] = port;
        }
        const portHash = mix32(port);
        episodePorts.add(slot, portHash);
        if (windowPorts.add(slot, portHash)) changed = true;
      }
      if (!changed) return;
      const weight = Math.max(0, 1 - (nowUs - slots.windowStartUs[slot]) / slots.windowUs);
      const ports = windowPorts.estimate(slot) + previousPorts[slot] * weight;
      const hosts = windowHosts.estimate(slot) + previousHosts[slot] * weight;
      const ratio = Math.max(ports / settings.distinctPorts, hosts / settings.distinctHosts);
      if (ratio < 1) return;
      if (ratio > slots.peakRatio[slot]) slots.peakRatio[slot] = ratio;
      // While the other tier reported this source recently, only keep the books (no report).
      if (slots.overThreshold(slot, !peerReported(slots))) report(slot, slots.lastEvidenceUs[slot]);
    },
    sweep(nowUs: number): void {
      slots.sweep(nowUs);
    },
  };
}
