/** ICMP flood: ICMP/ICMPv6 packets/bytes per second to one destination host over threshold (ping floods, smurf replies). */
import type { DecodedPacket } from '../../decode/packet.ts';
import type { RuleDetector, RuleDetectorContext } from '../ruleDetector.ts';
import { createPacketRateFlood } from './packetRateFlood.ts';

function isIcmp(packet: DecodedPacket): boolean {
  return packet.protocol === 1 || packet.protocol === 58;
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
