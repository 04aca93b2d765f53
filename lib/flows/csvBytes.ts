/**
 * CSV cells formatted straight into bytes: the same text as cellText.ts's javaLong / javaDouble,
 * without making a string per cell. `netguard flows` writes hundreds of megabytes of numbers, and
 * a string per cell (then one per line, then one per chunk) cost it three quarters of its time.
 *
 * Integers (most cells: counts, lengths, flags, microsecond times, and doubles that hold whole
 * numbers) are written digit by digit. Doubles with a fraction take V8's own shortest-digits text
 * (String(x), what javaDouble prints, so the two cannot disagree), kept in a cache keyed by the
 * double's bits because feature rows repeat their fractions: the one cell kind that still makes
 * a string, and only on a cache miss. Anything unusual (NaN, exponents beyond the integer range)
 * goes through javaDouble itself. Text cells: writeFlowAddress, writeIsoMicrosTimestamp.
 */
import { formatAddress } from '../decode/formatAddress.ts';
import { isoSecondText, javaDouble } from './cellText.ts';
import type { FlowView } from './flowView.ts';

const DIGIT_0 = 0x30;
const MINUS = 0x2d;
const DOT = 0x2e;
const LETTER_E = 0x45;
/** 2^53: below it every integer is a double, so digit arithmetic on doubles is exact. */
const EXACT_INTEGER_LIMIT = 9007199254740992;
/** Longest text a numeric cell can take ("-2.2250738585072014E-308" is 24). */
export const MAX_NUMBER_CELL_BYTES = 32;

/**
 * A growable byte buffer with a write position. Hot callers write numbers with the free
 * functions below on `bytes` at `length` after one `reserve` per row, not per cell.
 */
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
    const end = writeAscii(this.bytes, this.length, value);
    if (end >= 0) {
      this.length = end;
      return;
    }
    // A non-ASCII character stopped the copy: the rest goes through TextEncoder.
    this.length = -1 - end;
    this.utf8(value.slice(countAscii(value)));
  }

  private utf8(value: string): void {
    // At most 3 bytes per UTF-16 unit.
    this.reserve(value.length * 3);
    this.length += encoder.encodeInto(value, this.bytes.subarray(this.length)).written;
  }

  /** javaLong(x) at the end. */
  long(x: number): void {
    this.reserve(MAX_NUMBER_CELL_BYTES);
    this.length = writeJavaLong(this.bytes, this.length, x);
  }

  /** javaDouble(x) (Java's Double.toString) at the end. */
  double(x: number): void {
    this.reserve(MAX_NUMBER_CELL_BYTES);
    this.length = writeJavaDouble(this.bytes, this.length, x);
  }
}

// Text cells as bytes, for formats that write their text cells themselves (ByteTextCells in csvWriter.ts).

const addressWords = new Uint32Array(4);

/** The flow's forward source (side 0) or destination (side 1) address, as flowAddressText prints it. */
export function writeFlowAddress(out: ByteLine, flow: FlowView, side: 0 | 1): void {
  flow.copyAddress(side, addressWords);
  if (flow.ipVersion === 6) {
    out.text(formatAddress(addressWords, 6));
    return;
  }
  out.reserve(15);
  const bytes = out.bytes;
  const word = addressWords[0]!;
  let at = writeInt32(bytes, out.length, word >>> 24);
  bytes[at++] = DOT;
  at = writeInt32(bytes, at, (word >>> 16) & 0xff);
  bytes[at++] = DOT;
  at = writeInt32(bytes, at, (word >>> 8) & 0xff);
  bytes[at++] = DOT;
  out.length = writeInt32(bytes, at, word & 0xff);
}

/** isoMicrosTimestamp's text: the cached second's text, then six digits of microseconds. */
export function writeIsoMicrosTimestamp(out: ByteLine, startUs: number, utcOffsetMinutes: number): void {
  const micros = ((startUs % 1_000_000) + 1_000_000) % 1_000_000;
  out.text(isoSecondText(startUs, utcOffsetMinutes));
  if (!Number.isInteger(micros)) {
    out.text(String(micros).padStart(6, '0'));
    return;
  }
  out.reserve(6);
  const bytes = out.bytes;
  let at = out.length + 6;
  out.length = at;
  let rest = micros;
  for (let i = 0; i < 6; i++) {
    const quotient = (rest / 10) | 0;
    bytes[--at] = DIGIT_0 + rest - quotient * 10;
    rest = quotient;
  }
}

/** Leading ASCII characters of `value`. */
function countAscii(value: string): number {
  let i = 0;
  while (i < value.length && value.charCodeAt(i) < 0x80) i++;
  return i;
}

/**
 * Copies an ASCII string; returns the new end, or -1 - end if a non-ASCII character stopped it
 * (the caller encodes the rest as UTF-8). The caller has reserved value.length bytes.
 */
export function writeAscii(bytes: Uint8Array, at: number, value: string): number {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x80) return -1 - at;
    bytes[at++] = code;
  }
  return at;
}

/**
 * javaLong(x) as bytes at `at` (MAX_NUMBER_CELL_BYTES reserved); returns the new end. Integers
 * plain (truncated toward zero), non-finite values as javaDouble spells them.
 */
export function writeJavaLong(bytes: Uint8Array, at: number, x: number): number {
  if (x === 0) {
    // The most common cell by far (unused flags, empty directions); -0 prints as "0" too.
    bytes[at] = DIGIT_0;
    return at + 1;
  }
  if (x === (x | 0)) return writeInt32(bytes, at, x | 0);
  if (x > -EXACT_INTEGER_LIMIT && x < EXACT_INTEGER_LIMIT) return writeExactInteger(bytes, at, Math.trunc(x));
  const text = Number.isFinite(x) ? String(Math.trunc(x)) : javaDouble(x);
  return writeAscii(bytes, at, text);
}

/** javaDouble(x) as bytes at `at` (MAX_NUMBER_CELL_BYTES reserved); returns the new end. */
export function writeJavaDouble(bytes: Uint8Array, at: number, x: number): number {
  if (x === 0 && 1 / x > 0) {
    bytes[at] = DIGIT_0;
    bytes[at + 1] = DOT;
    bytes[at + 2] = DIGIT_0;
    return at + 3;
  }
  if (x === (x | 0) && x < 1e7 && x > -1e7) {
    // Whole numbers below 1e7 print as digits + ".0"; -0 keeps its sign as Java does.
    if (x === 0 && 1 / x < 0) bytes[at++] = MINUS;
    at = writeInt32(bytes, at, x | 0);
    bytes[at] = DOT;
    bytes[at + 1] = DIGIT_0;
    return at + 2;
  }
  const magnitude = x < 0 ? -x : x;
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    // A fraction (whole numbers in this range were handled above): V8's shortest digits
    // already contain the '.', exactly what javaDouble returns for this range.
    return writeFraction(bytes, at, x);
  }
  if (magnitude >= 1e7 && magnitude < EXACT_INTEGER_LIMIT && Math.trunc(x) === x) return writeScientificInteger(bytes, at, x);
  return writeAscii(bytes, at, javaDouble(x));
}

const encoder = new TextEncoder();

/**
 * Text of recently written fractions, direct-mapped by the double's bits. Feature rows repeat
 * the same fractions over and over (a scan's thousands of flows share their means and rates:
 * the 2 M-packet replay writes 2.2 M fractions with 26 k distinct values), and String(x) is the
 * one costly step left, so a hit copies the bytes instead of making the string again.
 */
const FRACTION_CACHE_BITS = 16;
/**
 * One 32-byte slot per entry, so a lookup touches one cache line: the double (bytes 0-7), its
 * text (8-30; in this range at most 22 characters) and the text's length (31). Key 0 = empty.
 */
const SLOT_BYTES = 32;
const TEXT_AT = 8;
const LENGTH_AT = 31;
const fractionCache = new ArrayBuffer((1 << FRACTION_CACHE_BITS) * SLOT_BYTES);
const fractionKeys = new Float64Array(fractionCache);
const fractionBytes = new Uint8Array(fractionCache);
const doubleScratch = new Float64Array(1);
const doubleWords = new Uint32Array(doubleScratch.buffer);

/** A non-integer 1e-3 <= |x| < 1e7 as String(x) spells it, from the cache when it can. */
function writeFraction(bytes: Uint8Array, at: number, x: number): number {
  doubleScratch[0] = x;
  const slot = Math.imul(doubleWords[0]! ^ Math.imul(doubleWords[1]!, 0x9e3779b1), 0x85ebca6b) >>> (32 - FRACTION_CACHE_BITS);
  const base = slot * SLOT_BYTES;
  if (fractionKeys[slot * (SLOT_BYTES / 8)] === x) {
    const length = fractionBytes[base + LENGTH_AT]!;
    const text = base + TEXT_AT;
    for (let i = 0; i < length; i++) bytes[at + i] = fractionBytes[text + i]!;
    return at + length;
  }
  const end = writeAscii(bytes, at, String(x));
  const length = end - at;
  if (length <= LENGTH_AT - TEXT_AT) {
    fractionKeys[slot * (SLOT_BYTES / 8)] = x;
    fractionBytes[base + LENGTH_AT] = length;
    for (let i = 0; i < length; i++) fractionBytes[base + TEXT_AT + i] = bytes[at + i]!;
  }
  return end;
}

/** "00".."99" as byte pairs: two digits per division. */
const DIGIT_PAIRS = (() => {
  const pairs = new Uint8Array(200);
  for (let i = 0; i < 100; i++) {
    pairs[2 * i] = DIGIT_0 + ((i / 10) | 0);
    pairs[2 * i + 1] = DIGIT_0 + (i % 10);
  }
  return pairs;
})();

/** Decimal digits of an int32 at `at`; returns the new end. */
export function writeInt32(bytes: Uint8Array, at: number, value: number): number {
  let n = value;
  if (n < 0) {
    bytes[at++] = MINUS;
    // -2^31 has no int32 negation; the unsigned shift gives its magnitude.
    n = -n >>> 0;
  }
  if (n < 10) {
    bytes[at] = DIGIT_0 + n;
    return at + 1;
  }
  const end =
    at + (n < 100 ? 2 : n < 1e3 ? 3 : n < 1e4 ? 4 : n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10);
  let position = end;
  while (n >= 100) {
    const quotient = (n / 100) >>> 0;
    const pair = (n - quotient * 100) << 1;
    bytes[--position] = DIGIT_PAIRS[pair + 1]!;
    bytes[--position] = DIGIT_PAIRS[pair]!;
    n = quotient;
  }
  if (n >= 10) {
    bytes[--position] = DIGIT_PAIRS[(n << 1) + 1]!;
    bytes[--position] = DIGIT_PAIRS[n << 1]!;
  } else {
    bytes[--position] = DIGIT_0 + n;
  }
  return end;
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
