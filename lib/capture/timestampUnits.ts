/**
 * Converts a 64-bit timestamp counted in `unitsPerSecond` (pcapng if_tsresol) to whole
 * microseconds without allocating. A nanosecond count of today (~1.8e18) is beyond a double's
 * 53 exact bits, so the 64-bit value is divided in 16-bit limbs into seconds and a remainder.
 * Exact up to 2^33 units per second (ns and 2^-33 s included); up to 2^37 the last step may be
 * off by 1 µs; finer resolutions, which no real capture uses, fall back to plain doubles.
 */
const TWO_POW_16 = 65536;
const TWO_POW_32 = 4294967296;
const EXACT_DIVISOR_LIMIT = 2 ** 37;

export function timestampToMicroseconds(high: number, low: number, unitsPerSecond: number): number {
  if (unitsPerSecond === 1_000_000) return high * TWO_POW_32 + low;
  if (unitsPerSecond >= EXACT_DIVISOR_LIMIT) {
    return Math.floor(((high * TWO_POW_32 + low) / unitsPerSecond) * 1_000_000);
  }
  // Long division of high:low by unitsPerSecond, 16 bits at a time, gives whole seconds and a remainder.
  let remainder = 0;
  let current = remainder * TWO_POW_16 + (high >>> 16);
  const q3 = Math.floor(current / unitsPerSecond);
  remainder = current - q3 * unitsPerSecond;
  current = remainder * TWO_POW_16 + (high & 0xffff);
  const q2 = Math.floor(current / unitsPerSecond);
  remainder = current - q2 * unitsPerSecond;
  current = remainder * TWO_POW_16 + (low >>> 16);
  const q1 = Math.floor(current / unitsPerSecond);
  remainder = current - q1 * unitsPerSecond;
  current = remainder * TWO_POW_16 + (low & 0xffff);
  const q0 = Math.floor(current / unitsPerSecond);
  remainder = current - q0 * unitsPerSecond;
  const seconds = ((q3 * TWO_POW_16 + q2) * TWO_POW_16 + q1) * TWO_POW_16 + q0;
  return seconds * 1_000_000 + Math.floor((remainder * 1_000_000) / unitsPerSecond);
}

/** if_tsresol byte → units per second: MSB clear means 10^-n, set means 2^-n. */
export function unitsPerSecondFromResolution(resolution: number): number {
  const exponent = resolution & 0x7f;
  return resolution & 0x80 ? 2 ** exponent : 10 ** exponent;
}
