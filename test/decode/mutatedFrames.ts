/**
 * The decoder's robustness property, shared by the fuzz tests: real frames with bits flipped
 * (mostly in the headers), cut short, given another link type or wire length never make
 * decodeFrame throw; a rejected frame counts exactly one skipping anomaly; an accepted packet
 * is self-consistent.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { Frame, LinkType } from '../../lib/capture/index.ts';
import {
  DecodeAnomalies,
  DecodedPacket,
  decodedDespiteAnomaly,
  decodeFrame,
  type DecodeAnomalyCode,
} from '../../lib/decode/index.ts';
import { toFrame, type StoredFrame } from './realFrames.ts';

const linkTypes = Object.values(LinkType);

/** `value` about once in `every` runs, otherwise null (keep the frame's own). */
function sometimes<T>(value: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> {
  return fc.oneof({ arbitrary: fc.constant(null), weight: every - 1 }, { arbitrary: value, weight: 1 });
}

export interface FuzzOutcome {
  accepted: number;
  rejected: number;
  anomalies: DecodeAnomalies;
}

export function fuzzDecode(pool: readonly StoredFrame[], numRuns: number, seed: number, headerBytes = 80): FuzzOutcome {
  const frame = new Frame();
  const packet = new DecodedPacket();
  const anomalies = new DecodeAnomalies();
  const before = new Float64Array(anomalies.counts.length);
  const outcome: FuzzOutcome = { accepted: 0, rejected: 0, anomalies };
  fc.assert(
    fc.property(
      fc.nat(),
      fc.array(fc.record({ position: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), { minLength: 1, maxLength: 6 }),
      sometimes(fc.nat(), 4),
      sometimes(fc.constantFrom(...linkTypes), 6),
      sometimes(fc.integer({ min: 0, max: 70_000 }), 6),
      (frameIndex, flips, cutAt, linkType, originalLength) => {
        const stored = pool[frameIndex % pool.length];
        const bytes = stored.bytes.slice();
        for (const { position, bit } of flips) bytes[position % Math.min(bytes.length, headerBytes)] ^= 1 << bit;
        toFrame(stored, frame, cutAt === null ? bytes.length : cutAt % (bytes.length + 1), bytes);
        if (linkType !== null) frame.linkType = linkType;
        if (originalLength !== null) frame.originalLength = originalLength;
        before.set(anomalies.counts);

        const decoded = decodeFrame(frame, packet, anomalies);

        let skipping = 0;
        let despite = 0;
        for (let code = 0; code < before.length; code++) {
          const added = anomalies.counts[code] - before[code];
          if (added === 0) continue;
          if (decodedDespiteAnomaly.has(code as DecodeAnomalyCode)) despite += added;
          else skipping += added;
        }
        if (!decoded) {
          outcome.rejected++;
          expect(skipping).toBe(1);
          return;
        }
        outcome.accepted++;
        expect(skipping).toBe(0);
        expect(despite).toBeLessThanOrEqual(3);
        expect([4, 6]).toContain(packet.ipVersion);
        expect(packet.ipHeaderLength).toBeGreaterThanOrEqual(packet.ipVersion === 4 ? 20 : 40);
        expect(packet.payloadLength).toBeGreaterThanOrEqual(0);
        expect(packet.ipHeaderLength + packet.l4HeaderLength + packet.payloadLength).toBe(packet.ipTotalLength);
        expect(packet.ipTotalLength).toBeLessThanOrEqual(Math.max(frame.originalLength, frame.capturedLength));
        expect(packet.protocol).toBeGreaterThanOrEqual(0);
        expect(packet.protocol).toBeLessThanOrEqual(255);
        for (const value of [packet.srcPort, packet.dstPort, packet.tcpWindow, packet.tcpUrgentPointer]) {
          expect(Number.isInteger(value) && value >= 0 && value <= 0xffff).toBe(true);
        }
        for (const value of [packet.tcpSeq, packet.tcpAck]) {
          expect(Number.isInteger(value) && value >= 0 && value <= 0xffffffff).toBe(true);
        }
        const isTransportWithPorts = packet.protocol === 6 || packet.protocol === 17;
        if (!isTransportWithPorts || packet.isNonFirstFragment) {
          expect(packet.srcPort + packet.dstPort + packet.tcpFlags).toBe(0);
        }
        if (packet.isNonFirstFragment) {
          expect(packet.isFragment).toBe(true);
          expect(packet.l4HeaderLength).toBe(0);
        }
        if (packet.icmpType >= 0) expect(packet.protocol === 1 || packet.protocol === 58).toBe(true);
      },
    ),
    { numRuns, seed },
  );
  return outcome;
}
