/**
 * Compact distinct counters, one per slot: a fixed bitmap per slot and linear counting
 * (Whang et al. 1990): with m bits of which z are still zero after hashing n distinct items,
 * n ≈ -m·ln(z/m). Exact while collisions are rare (n ≪ m), within a few percent up to n ≈ 2m,
 * and a fixed m·slots bits of memory whatever the traffic. Adding costs one hash and one word.
 */

/** Avalanching 32-bit mix (murmur3 finaliser) so nearby ports/addresses spread over the bitmap. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a 4-word address (IPv4 uses word 0; the other words are 0). */
export function hashAddress(words: Uint32Array): number {
  return mix32(words[0] ^ mix32(words[1] ^ mix32(words[2] ^ mix32(words[3]))));
}

export class DistinctBitmaps {
  readonly bitsPerSlot: number;
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
  }

  /** Records an item by its 32-bit hash; true when its bit was not set before (probably new). */
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
    const set = this.setBits[slot];
    const m = this.bitsPerSlot;
    if (set === 0) return 0;
    // A full bitmap only says "at least m·ln(m)"; report that floor.
    const zeros = set >= m ? 1 : m - set;
    return Math.round(-m * Math.log(zeros / m));
  }
}
