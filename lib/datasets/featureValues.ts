/**
 * How text cells become feature values, shared by the CSV loader and (for the same rules at
 * scoring time) the live encoder: empty / NaN text = missing (NaN); ±Infinity is either missing
 * or kept; anything else that is not a number is a bad cell.
 */

/** Largest finite float32; beyond it a Float32Array stores ±Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38;

export const CellKind = {
  NUMBER: 0,
  MISSING: 1,
  INFINITE: 2,
  INVALID: 3,
} as const;
export type CellKindValue = (typeof CellKind)[keyof typeof CellKind];

const MISSING_WORDS = new Set(['', 'nan', 'na', 'n/a', 'null', 'none', '?']);
const INFINITE_WORDS = new Set(['inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity']);

/**
 * Result slot for parseCell: the numeric value of the last parsed cell (valid for NUMBER and
 * INFINITE). A module-level slot instead of a returned object keeps the row loop allocation-free.
 */
export const parsedCell = { value: 0 };

/**
 * Classifies a cell and leaves its value in parsedCell. Number(text) is used as is: a hand-rolled
 * decimal parser measured slower than V8's on the dataset cells.
 */
export function parseCell(text: string): CellKindValue {
  const value = +text;
  // value - value is 0 only for finite numbers.
  if (value - value === 0) {
    if (value === 0 && (text.length === 0 || text.trim().length === 0)) return CellKind.MISSING;
    parsedCell.value = value;
    if (value > FLOAT32_MAX || value < -FLOAT32_MAX) return CellKind.INFINITE;
    return CellKind.NUMBER;
  }
  if (value === Infinity || value === -Infinity) {
    parsedCell.value = value;
    return CellKind.INFINITE;
  }
  const word = text.trim().toLowerCase();
  if (MISSING_WORDS.has(word)) return CellKind.MISSING;
  if (INFINITE_WORDS.has(word)) {
    parsedCell.value = word.startsWith('-') ? -Infinity : Infinity;
    return CellKind.INFINITE;
  }
  return CellKind.INVALID;
}

/** The value a model sees for a live feature value, under the table's infinity rule. */
export function modelValue(value: number, infinityAs: 'missing' | 'keep' = 'missing'): number {
  if (value === Infinity || value === -Infinity) return infinityAs === 'keep' ? value : NaN;
  return value;
}
