/**
 * ICMP flood: ICMP/ICMPv6 packets/bytes per second to one destination host over threshold (ping
 * floods, smurf echo replies). Error messages (unreachable, time exceeded, ...) are left out:
 * they answer something else — a UDP scan draws hundreds of port-unreachables — and that
 * something is what the other rules judge.
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

export function createIcmpFloodDetector({ config, emit }: RuleDetectorContext): RuleDetector {
  return createPacketRateFlood({
    name: 'icmp-flood',
    settings: config.icmpFlood,
    reportIntervalSeconds: config.reportIntervalSeconds,
    emit,
    counts: isIcmp,
    label: 'ICMP flood',
  });
}
