import { describe, expect, it } from 'vitest';
import { arcPath } from '../../app/_components/charts/arcPath.ts';

const numbers = (path: string) => (path.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);

describe('arcPath', () => {
  it('starts at 12 o\'clock and runs clockwise', () => {
    // Quarter ring 0..90°: outer arc from top (50, 10) to right (90, 50), inner back from (70, 50) to (50, 30).
    expect(arcPath(50, 50, 40, 20, 0, Math.PI / 2)).toBe('M 50 10 A 40 40 0 0 1 90 50 L 70 50 A 20 20 0 0 0 50 30 Z');
    // Pie slice: from the centre, large-arc flag set past 180°.
    expect(arcPath(50, 50, 40, 0, 0, Math.PI * 1.5)).toBe('M 50 50 L 50 10 A 40 40 0 1 1 10 50 Z');
  });

  it('draws a whole circle as two half arcs with a hole for a ring', () => {
    const ring = arcPath(50, 50, 40, 20, 0, Math.PI * 2);
    expect(ring.match(/A /g)).toHaveLength(4);
    expect(ring).not.toMatch(/L /);
    expect(numbers(arcPath(50, 50, 40, 0, 0, Math.PI * 2)).every(Number.isFinite)).toBe(true);
  });
});
