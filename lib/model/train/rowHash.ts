/**
 * A row's place in a seeded, language-independent order: murmur3's 32-bit finaliser of
 * (row index + seed × golden ratio). Splits and folds defined by these keys are reproduced
 * bit for bit by the xgboost reference (bench/train/xgboostBaseline.py, `mix32`), so both
 * trainers see the same rows without exchanging index files.
 */

import { fmix32 } from '../../flows/fmix32.ts';

/** murmur3 fmix32 as uint32: a bijection, so distinct rows never tie. */
export function mix32(value: number): number {
  return fmix32(value) >>> 0;
}

export function rowKey(row: number, seed: number): number {
  return mix32((row + Math.imul(seed, 0x9e3779b9)) >>> 0);
}

/**
 * Stratified hold-out: per class, the rows with the smallest keys are held out, round-half-up of
 * n × fifths / 5 of them (integer arithmetic, so no float rounding can differ between languages).
 * Both outputs are ascending.
 */
export function stratifiedHoldout(
  labelCodes: Int32Array, classCount: number, fifths: number, seed: number,
): { trainRows: Int32Array; heldOutRows: Int32Array } {
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < labelCodes.length; i++) byClass[labelCodes[i]!]!.push(i);
  const held = new Uint8Array(labelCodes.length);
  let heldCount = 0;
  for (const members of byClass) {
    const take = Math.floor((2 * members.length * fifths + 5) / 10);
    const keys = new Map(members.map((row) => [row, rowKey(row, seed)]));
    members.sort((a, b) => keys.get(a)! - keys.get(b)! || a - b);
    for (let i = 0; i < take; i++) held[members[i]!] = 1;
    heldCount += take;
  }
  const trainRows = new Int32Array(labelCodes.length - heldCount);
  const heldOutRows = new Int32Array(heldCount);
  let t = 0;
  let h = 0;
  for (let i = 0; i < labelCodes.length; i++) {
    if (held[i]) heldOutRows[h++] = i;
    else trainRows[t++] = i;
  }
  return { trainRows, heldOutRows };
}
