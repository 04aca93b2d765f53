/**
 * Label cleaning: the CIC-IDS2017 CSVs were written in cp1252 and the "–" in "Web Attack – XSS"
 * reaches us as U+FFFD, as the C1 control U+0096 (cp1252 byte 0x96 decoded as latin-1), as the
 * real en dash, or as the UTF-8-read-as-cp1252 mojibake "â€“". All become a plain "-".
 */

const DASH_VARIANTS = /\u00e2\u20ac\u201c|\u00e2\u0080\u0093|[\uFFFD\u0096\u0097\u2010-\u2015\u2212]/g;

/** Canonical label text: trimmed, one space between words, dashes normalised, KDD'99 trailing '.' gone. */
export function cleanLabel(raw: string): string {
  let label = raw.replace(DASH_VARIANTS, '-').replace(/\s+/g, ' ').trim();
  // "Web Attack-XSS" or "Web Attack -XSS" → "Web Attack - XSS"
  label = label.replace(/\s+-\s*|\s*-\s+/g, ' - ');
  if (label.endsWith('.')) label = label.slice(0, -1);
  return label;
}

/**
 * The improved CIC-IDS2017 marks flows of an attack that had no effect (e.g. a TCP handshake
 * that never carried the payload) as "<attack> - Attempted". They stay their own labels.
 */
export function isAttemptedLabel(label: string): boolean {
  return /\s-\s*Attempted$/i.test(label);
}

/** "DoS Hulk - Attempted" → "DoS Hulk"; other labels unchanged. */
export function attemptedBaseLabel(label: string): string {
  return label.replace(/\s-\s*Attempted$/i, '');
}
