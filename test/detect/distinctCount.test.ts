import { describe, expect, it } from 'vitest';
import { DistinctCount } from '../../lib/detect/distinctCount.ts';

/** Every IPv4 address of 10.0.0.0/8 in order: what a spoofed flood's sources look like to fusion. */
const address = (i: number) => `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;

describe('DistinctCount', () => {
  it('counts exactly while few, repeats included', () => {
    const count = new DistinctCount();
    for (let round = 0; round < 3; round++) for (let i = 0; i < 200; i++) count.add(address(i));
    expect(count.isExact).toBe(true);
    expect(count.count).toBe(200);
    expect(count.atLeast(200)).toBe(true);
    expect(count.atLeast(201)).toBe(false);
  });

  // A fixed seed: the estimate is then the same every run (the process's own seed varies it by ~3 %).
  it.each([1_000, 20_000, 1_000_000])('estimates %i distinct sources within 10 %% in fixed memory, repeats not counted', (n) => {
    const count = new DistinctCount(0x5eed);
    for (let i = 0; i < n; i++) count.add(address(i));
    for (let i = 0; i < n; i += 7) count.add(address(i));
    expect(count.isExact).toBe(false);
    expect(Math.abs(count.count - n) / n).toBeLessThan(0.1);
    expect(count.atLeast(20)).toBe(true);
  });
});
