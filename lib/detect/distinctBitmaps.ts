/**
 * Compact distinct counters, one per slot: a fixed bitmap per slot and linear counting
 * (Whang et al. 1990): with m bits of which z are still zero after hashing n distinct items,
 * n ≈ -m·ln(z/m). Exact while collisions are rare (n ≪ m), within a few percent up to n ≈ 2m,
 * and a fixed m·slots bits of memory whatever the traffic. Adding costs one hash and one word.
 */

import { fmix32 } from '../flows/fmix32.ts';

/** Avalanching 32-bit mix (lib/flows/fmix32.ts) so nearby ports/addresses spread over the bitmap. */
export { fmix32 as mix32 };

/** FNV-1a over a string's UTF-16 code units, from `seed` (a per-process seed keeps outsiders from aiming keys at one slot). */
export function fnv1aText(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** Hash of a 4-word address (IPv4 uses word 0; the other words are 0): one multiply per word, one mix. */
export function hashAddress(words: Uint32Array): number {
  return fmix32(
    Math.imul(words[0], 0x9e3779b1) ^ Math.imul(words[1], 0x85ebca6b) ^ Math.imul(words[2], 0xc2b2ae35) ^ Math.imul(words[3], 0x27d4eb2f),
  );
}

/** Hash of an address and a port (one end of a connection). */
export function hashEndpoint(words: Uint32Array, port: number): number {
  return fmix32(
    Math.imul(words[0], 0x9e3779b1) ^ Math.imul(words[1], 0x85ebca6b) ^ Math.imul(words[2], 0xc2b2ae35) ^
      Math.imul(words[3], 0x27d4eb2f) ^ Math.imul(port + 1, 0x165667b1),
  );
}

/** estimateTables.get(m)[set]: the linear-counting estimate for `set` of m bits, built once per m. */
const estimateTables = new Map<number, Int32Array>();

function estimateTable(m: number): Int32Array {
  let table = estimateTables.get(m);
  if (table === undefined) {
    // Int32: integer results stay small integers across calls (no boxing).
    table = new Int32Array(m + 1);
    for (let set = 1; set <= m; set++) {
      // A full bitmap only says "at least m·ln(m)"; report that floor.
      const zeros = set >= m ? 1 : m - set;
      table[set] = Math.round(-m * Math.log(zeros / m));
    }
    estimateTables.set(m, table);
  }
  return table;
}

export class DistinctBitmaps {
  readonly bitsPerSlot: number;
  private readonly estimates: Int32Array;
  private readonly wordsPerSlot: number;
  private readonly shift: number;
  private readonly words: Uint32Array;
  private readonly setBits: Uint32Array;

  /** `bitsPerSlot` is rounded up to a power of two, at least 32. */
  constructor(slots: number, bitsPerSlot: number) {
    let bits = 32;
    let log2 = 5;
    while (bits < bitsPerSlot) {
      bits *= 2;
      log2++;
    }
    this.bitsPerSlot = bits;
    this.wordsPerSlot = bits >>> 5;
    this.shift = 32 - log2;
    this.words = new Uint32Array(slots * this.wordsPerSlot);
    this.setBits = new Uint32Array(slots);
    this.estimates = estimateTable(bits);
  }

  /** Records an item by its 32-bit hash (any sign); true when its bit was not set before (probably new). */
  add(slot: number, hash: number): boolean {
    const bit = hash >>> this.shift;
    const index = slot * this.wordsPerSlot + (bit >>> 5);
    const flag = 1 << (bit & 31);
    const word = this.words[index];
    if ((word & flag) !== 0) return false;
    this.words[index] = word | flag;
    this.setBits[slot]++;
    return true;
  }

  /** Clears an item's bit; true when it was set (the item, or a colliding one, had been added). */
  remove(slot: number, hash: number): boolean {
    const bit = hash >>> this.shift;
    const index = slot * this.wordsPerSlot + (bit >>> 5);
    const flag = 1 << (bit & 31);
    const word = this.words[index];
    if ((word & flag) === 0) return false;
    this.words[index] = word & ~flag;
    this.setBits[slot]--;
    return true;
  }

  clear(slot: number): void {
    const start = slot * this.wordsPerSlot;
    this.words.fill(0, start, start + this.wordsPerSlot);
    this.setBits[slot] = 0;
  }

  /** Estimated distinct items in the slot (linear counting), rounded. */
  estimate(slot: number): number {
    return this.estimates[this.setBits[slot]];
  }
}
