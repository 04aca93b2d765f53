/**
 * UDP flood: one source sending UDP to one host far faster than any conversation, with almost
 * nothing coming back; or UDP packets/bytes per second to one host over threshold from many
 * (spoofed) sources. See packetRateFlood.ts.
 */
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
    countsFromSource: isUdp,
    isReply: isUdp,
    maxReplyShare: config.udpFlood.maxReplyShare,
    label: 'UDP flood',
  });
}
