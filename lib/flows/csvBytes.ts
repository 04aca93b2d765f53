/**
 * CSV cells formatted straight into bytes: the same text as cellText.ts's javaLong / javaDouble,
 * without making a string per cell. `netguard flows` writes hundreds of megabytes of numbers, and
 * a string per cell (then one per line, then one per chunk) cost it three quarters of its time.
 *
 * Integers (most cells: counts, lengths, flags, microsecond times, and doubles that hold whole
 * numbers) are written digit by digit. Doubles with a fraction take V8's own shortest-digits text
 * (String(x)), copied byte by byte: that is the one cell kind that still makes a string, and it
 * is what javaDouble prints, so the two cannot disagree. Anything unusual (NaN, exponents beyond
 * the integer range) goes through javaDouble itself.
 */
import { javaDouble } from './cellText.ts';

const DIGIT_0 = 0x30;
const MINUS = 0x2d;
const DOT = 0x2e;
const LETTER_E = 0x45;
/** 2^53: below it every integer is a double, so digit arithmetic on doubles is exact. */
const EXACT_INTEGER_LIMIT = 9007199254740992;
/** Longest text a numeric cell can take ("-2.2250738585072014E-308" is 24). */
export const MAX_NUMBER_CELL_BYTES = 32;

/** A growable byte buffer with a write position; cells are appended at `length`. */
export class ByteLine {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `extra` more bytes (doubling, so a long label costs one copy, not one per row). */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(value: number): void {
    if (this.length >= this.bytes.length) this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** Appends text as UTF-8 (ASCII byte by byte; anything else through TextEncoder). */
  text(value: string): void {
    const count = value.length;
    this.reserve(count);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < count; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        this.length = at;
        this.utf8(value.slice(i));
        return;
      }
      bytes[at++] = code;
    }
    this.length = at;
  }

  private utf8(value: string): void {
    // At most 3 bytes per UTF-16 unit.
    this.reserve(value.length * 3);
    this.length += encoder.encodeInto(value, this.bytes.subarray(this.length)).written;
  }

  /** javaLong(x): integers plain, non-finite values as javaDouble spells them. */
  long(x: number): void {
    this.reserve(MAX_NUMBER_CELL_BYTES);
    if (x === (x | 0)) {
      this.length = writeInt32(this.bytes, this.length, x | 0);
    } else if (x > -EXACT_INTEGER_LIMIT && x < EXACT_INTEGER_LIMIT) {
      this.length = writeExactInteger(this.bytes, this.length, Math.trunc(x));
    } else if (Number.isFinite(x)) {
      this.text(String(Math.trunc(x)));
    } else {
      this.text(javaDouble(x));
    }
  }

  /** javaDouble(x): Java's Double.toString. */
  double(x: number): void {
    this.reserve(MAX_NUMBER_CELL_BYTES);
    const bytes = this.bytes;
    let at = this.length;
    if (x === (x | 0) && x < 1e7 && x > -1e7) {
      // Whole numbers below 1e7 print as digits + ".0"; -0 keeps its sign as Java does.
      if (x === 0 && 1 / x < 0) bytes[at++] = MINUS;
      at = writeInt32(bytes, at, x | 0);
      bytes[at++] = DOT;
      bytes[at++] = DIGIT_0;
      this.length = at;
      return;
    }
    const magnitude = x < 0 ? -x : x;
    if (magnitude >= 1e-3 && magnitude < 1e7) {
      // A fraction (whole numbers in this range were handled above): V8's shortest
      // digits already contain the '.', exactly what javaDouble returns for this range.
      this.text(String(x));
      return;
    }
    if (magnitude >= 1e7 && magnitude < EXACT_INTEGER_LIMIT && Math.trunc(x) === x) {
      this.length = writeScientificInteger(bytes, at, x);
      return;
    }
    this.text(javaDouble(x));
  }
}

const encoder = new TextEncoder();

/** Decimal digits of an int32 at `at`; returns the new end. */
export function writeInt32(bytes: Uint8Array, at: number, value: number): number {
  let n = value;
  if (n < 0) {
    bytes[at++] = MINUS;
    // -2^31 has no int32 negation; the unsigned shift gives its magnitude.
    n = -n >>> 0;
  }
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let end = at + digits;
  const result = end;
  while (end > at) {
    const quotient = Math.floor(n / 10);
    bytes[--end] = DIGIT_0 + (n - quotient * 10);
    n = quotient;
  }
  return result;
}

/** Digits of an integer with |value| < 2^53 (double arithmetic is exact there). */
function writeExactInteger(bytes: Uint8Array, at: number, value: number): number {
  let n = value;
  if (n < 0) {
    bytes[at++] = MINUS;
    n = -n;
  }
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  let end = at + digits;
  const result = end;
  while (end > at) {
    const quotient = Math.floor(n / 10);
    bytes[--end] = DIGIT_0 + (n - quotient * 10);
    n = quotient;
  }
  return result;
}

/**
 * A whole number 1e7 <= |x| < 2^53 as Java prints it, "d.dddE<n>". Below 2^53 neighbouring
 * doubles are at most 1 apart, so the shortest digits that read back as x are the integer's own
 * digits without trailing zeros.
 */
function writeScientificInteger(bytes: Uint8Array, at: number, x: number): number {
  const start = x < 0 ? at + 1 : at;
  // Write the integer's digits one place to the right, leaving room for the '.'.
  if (x < 0) bytes[at] = MINUS;
  const end = writeExactInteger(bytes, start + 1, x < 0 ? -x : x);
  const exponent = end - start - 2;
  bytes[start] = bytes[start + 1]!;
  bytes[start + 1] = DOT;
  let last = end;
  while (last > start + 3 && bytes[last - 1] === DIGIT_0) last--;
  bytes[last++] = LETTER_E;
  return writeInt32(bytes, last, exponent);
}
