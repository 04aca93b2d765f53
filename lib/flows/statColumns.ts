/**
 * Writers shared by the CIC layouts: each copies one online-statistics block of a flow into
 * consecutive row columns in the order the datasets print them, and returns the next column.
 */
import { sampleStd } from './featureFormat.ts';
import { Stat } from './flowStore.ts';

/** Max, min, mean, std (packet-length columns); zeros for an empty block. */
export function writeLengthStats(num: Float64Array, at: number, row: Float64Array, c: number): number {
  const n = num[at + Stat.N]!;
  if (n > 0) {
    row[c] = num[at + Stat.MAX]!;
    row[c + 1] = num[at + Stat.MIN]!;
    row[c + 2] = num[at + Stat.MEAN]!;
    row[c + 3] = sampleStd(n, num[at + Stat.M2]!);
  } else {
    row[c] = row[c + 1] = row[c + 2] = row[c + 3] = 0;
  }
  return c + 4;
}

/** Total, mean, std, max, min (inter-arrival columns); zeros unless `present`. */
export function writeIatStats(num: Float64Array, at: number, present: boolean, row: Float64Array, c: number): number {
  if (present) {
    row[c] = num[at + Stat.SUM]!;
    row[c + 1] = num[at + Stat.MEAN]!;
    row[c + 2] = sampleStd(num[at + Stat.N]!, num[at + Stat.M2]!);
    row[c + 3] = num[at + Stat.MAX]!;
    row[c + 4] = num[at + Stat.MIN]!;
  } else {
    row[c] = row[c + 1] = row[c + 2] = row[c + 3] = row[c + 4] = 0;
  }
  return c + 5;
}

/** Mean, std, max, min (Active / Idle columns); zeros for an empty block. */
export function writeActivityStats(num: Float64Array, at: number, row: Float64Array, c: number): number {
  const n = num[at + Stat.N]!;
  if (n > 0) {
    row[c] = num[at + Stat.MEAN]!;
    row[c + 1] = sampleStd(n, num[at + Stat.M2]!);
    row[c + 2] = num[at + Stat.MAX]!;
    row[c + 3] = num[at + Stat.MIN]!;
  } else {
    row[c] = row[c + 1] = row[c + 2] = row[c + 3] = 0;
  }
  return c + 4;
}
