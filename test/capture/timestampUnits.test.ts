import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timestampToMicroseconds, unitsPerSecondFromResolution } from '../../lib/capture/timestampUnits.ts';

/** BigInt reference: floor(ticks * 10^6 / unitsPerSecond), exact by construction. */
function reference(ticks: bigint, units: bigint): number {
  return Number((ticks * 1_000_000n) / units);
}

describe('timestampToMicroseconds against BigInt arithmetic', () => {
  const resolutions = [
    ...Array.from({ length: 10 }, (_, exponent) => exponent), // 10^-0 … 10^-9
    ...Array.from({ length: 34 }, (_, exponent) => 0x80 | exponent), // 2^-0 … 2^-33
  ];

  it('is exact for decimal resolutions up to ns and binary ones up to 2^-33, for any 64-bit time up to 2106 (20,000 cases)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...resolutions),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (resolution, seconds, fraction) => {
          const unitsPerSecond = unitsPerSecondFromResolution(resolution);
          const units = BigInt(unitsPerSecond);
          const ticks = BigInt(seconds) * units + BigInt(Math.floor(fraction * unitsPerSecond));
          fc.pre(ticks < 2n ** 64n); // pcapng timestamps are 64-bit
          const high = Number(ticks >> 32n);
          const low = Number(ticks & 0xffffffffn);
          expect(timestampToMicroseconds(high, low, unitsPerSecond)).toBe(reference(ticks, units));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('decodes the if_tsresol byte: MSB clear is 10^-n, set is 2^-n', () => {
    expect(unitsPerSecondFromResolution(6)).toBe(1e6);
    expect(unitsPerSecondFromResolution(9)).toBe(1e9);
    expect(unitsPerSecondFromResolution(0x80 | 20)).toBe(2 ** 20);
  });
});
