/**
 * ICMP flood: one source sending echo requests to one host far faster than ping does (1/s;
 * `ping -f` sends at least 100/s, as fast as replies come on a LAN), or ICMP/ICMPv6
 * packets/bytes per second to one host over threshold from many sources (smurf echo replies,
 * spoofed ping floods). Error messages (unreachable, time exceeded, ...) are left out: they
 * answer something else — a UDP scan draws hundreds of port-unreachables — and that something is
 * what the other rules judge. Echo replies are not held against a source's flood (the victim
 * answering every request is what a ping flood looks like), and the victim's replies to its
 * flooder are not a flood of the flooder; echo replies nobody asked for (smurf) still count
 * towards their destination. See packetRateFlood.ts.
 */
import type { DecodedPacket } from '../../decode/packet.ts';
import type { RuleDetector, RuleDetectorContext } from '../ruleDetector.ts';
import { createPacketRateFlood } from './packetRateFlood.ts';

/** ICMPv4 error types: destination unreachable, source quench, redirect, time exceeded, parameter problem. */
function isIcmpv4Error(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}

function isIcmp(packet: DecodedPacket): boolean {
  if (packet.protocol === 1) return !isIcmpv4Error(packet.icmpType);
  // ICMPv6 types below 128 are errors.
  return packet.protocol === 58 && packet.icmpType >= 128;
}

/** Echo request: ICMP type 8, ICMPv6 type 128. */
function isEchoRequest(packet: DecodedPacket): boolean {
  return (packet.protocol === 1 && packet.icmpType === 8) || (packet.protocol === 58 && packet.icmpType === 128);
}

/** Echo reply: ICMP type 0, ICMPv6 type 129. */
function isEchoReply(packet: DecodedPacket): boolean {
  return (packet.protocol === 1 && packet.icmpType === 0) || (packet.protocol === 58 && packet.icmpType === 129);
}

export function createIcmpFloodDetector({ config, emit }: RuleDetectorContext): RuleDetector {
  return createPacketRateFlood({
    name: 'icmp-flood',
    settings: config.icmpFlood,
    reportIntervalSeconds: config.reportIntervalSeconds,
    emit,
    counts: isIcmp,
    countsFromSource: isEchoRequest,
    isReply: isEchoReply,
    maxReplyShare: Infinity,
    label: 'ICMP flood',
  });
}
