/**
 * Text for CSV cells the way the Java tools wrote them, so our files read like the datasets.
 */

/**
 * Java's Double.toString: plain decimals with at least one fraction digit for 1e-3 <= |x| < 1e7,
 * otherwise "d.dddE±n"; NaN and Infinity spelled out. JS already gives the shortest round-trip
 * digits, so parsing either string yields the same double.
 */
export function javaDouble(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(x);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
  const fraction = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${fraction}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

/** Integers as Java's long/int print them; non-finite values fall back to the double spelling. */
export function javaLong(x: number): string {
  return Number.isFinite(x) ? String(Math.trunc(x)) : javaDouble(x);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Shifted Date whose UTC fields read as the wall clock at the given offset. */
function wallClock(startUs: number, utcOffsetMinutes: number): Date {
  return new Date(Math.floor(startUs / 1000) + utcOffsetMinutes * 60_000);
}

/**
 * CIC-IDS2017's "dd/MM/yyyy hh:mm:ss": 12-hour clock with no AM/PM marker (Java's `hh`, so
 * 00:xx prints as 12:xx), seconds truncated.
 */
export function cic2017Timestamp(startUs: number, utcOffsetMinutes: number): string {
  const d = wallClock(startUs, utcOffsetMinutes);
  const hour12 = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  return (
    `${pad2(d.getUTCDate())}/${pad2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ` +
    `${pad2(hour12)}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
  );
}

/**
 * The wall-clock text up to the second depends only on (second, offset); flows are written in
 * finishing order, so neighbouring rows mostly share it and the Date and its fields are skipped.
 */
let isoSecond = NaN;
let isoOffsetMinutes = NaN;
let isoSecondText_ = '';

/** "yyyy-MM-dd HH:mm:ss." of isoMicrosTimestamp: everything but the microseconds, cached per second. */
export function isoSecondText(startUs: number, utcOffsetMinutes: number): string {
  const second = Math.floor(startUs / 1_000_000);
  if (second !== isoSecond || utcOffsetMinutes !== isoOffsetMinutes) {
    const d = wallClock(startUs, utcOffsetMinutes);
    isoSecondText_ =
      `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
      `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.`;
    isoSecond = second;
    isoOffsetMinutes = utcOffsetMinutes;
  }
  return isoSecondText_;
}

/** The improved CIC-IDS2017's "yyyy-MM-dd HH:mm:ss.SSSSSS" (24-hour, microseconds). */
export function isoMicrosTimestamp(startUs: number, utcOffsetMinutes: number): string {
  const micros = ((startUs % 1_000_000) + 1_000_000) % 1_000_000;
  // Whole microseconds (always, from a capture) pad by adding a leading 1 and dropping it.
  return (
    isoSecondText(startUs, utcOffsetMinutes) +
    (Number.isInteger(micros) ? String(1_000_000 + micros).slice(1) : String(micros).padStart(6, '0'))
  );
}
