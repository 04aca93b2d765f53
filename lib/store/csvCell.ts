/**
 * CSV cell text for reports opened in spreadsheets: RFC 4180 quoting plus the OWASP
 * CSV-injection guard.
 */

// A cell starting with one of these is taken as a formula (or, for tab and CR, lets a later
// character be) by Excel, LibreOffice and Google Sheets; OWASP "CSV Injection".
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell: prefixed with ' when it would start a formula, quoted when RFC 4180 requires. */
export function csvTextCell(value: string): string {
  const guarded = FORMULA_TRIGGER.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/**
 * A numeric cell. Our numeric columns (port, confidence) are never negative; a non-finite value
 * would be a bug upstream and is written empty rather than as text a spreadsheet might misread.
 */
export function csvNumberCell(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}

/** One CSV record with the RFC 4180 line ending (CRLF). */
export function csvLine(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}
