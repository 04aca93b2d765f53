/** UDP flood: UDP packets/bytes per second to one destination host over threshold. */
import type { DecodedPacket } from '../../decode/packet.ts';
import type { RuleDetector, RuleDetectorContext } from '../ruleDetector.ts';
import { createPacketRateFlood } from './packetRateFlood.ts';

function isUdp(packet: DecodedPacket): boolean {
  return packet.protocol === 17;
}

export function createUdpFloodDetector({ config, emit }: RuleDetectorContext): RuleDetector {
  return createPacketRateFlood({
    name: 'udp-flood',
    settings: config.udpFlood,
    reportIntervalSeconds: config.reportIntervalSeconds,
    emit,
    counts: isUdp,
    label: 'UDP flood',
  });
}
