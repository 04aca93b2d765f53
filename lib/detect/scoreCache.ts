/**
 * A bounded cache of model verdicts keyed on the exact input vector. Flood flows are nearly all
 * alike (one SYN, no answer: the same 77 numbers), so most of a flood is answered here without
 * running the model. Direct-mapped: a row's hash picks one slot, which holds the whole vector (so a
 * hit is an exact match, never a hash collision) and its verdict; a miss overwrites the slot. All
 * storage is typed arrays allocated once: nothing is allocated per lookup.
 */
import { mix32 } from './distinctBitmaps.ts';

export class ScoreCache {
  private readonly keys: Uint32Array;
  private readonly hashes: Uint32Array;
  private readonly filled: Uint8Array;
  private readonly confidence: Float32Array;
  private readonly classIndex: Int16Array;
  private readonly mask: number;
  /** The hash seed differs per process, so no one can aim rows at one slot from outside. */
  private readonly seed = (Math.random() * 0x1_0000_0000) >>> 0;

  /** `slots` is rounded up to a power of two. */
  constructor(
    private readonly featureCount: number,
    slots = 16_384,
  ) {
    let size = 1;
    while (size < slots) size *= 2;
    this.mask = size - 1;
    this.keys = new Uint32Array(size * featureCount);
    this.hashes = new Uint32Array(size);
    this.filled = new Uint8Array(size);
    this.confidence = new Float32Array(size);
    this.classIndex = new Int16Array(size);
  }

  /** Hash of row `row` of `words` (the rows' Float32 bits as Uint32). */
  hash(words: Uint32Array, row: number): number {
    // FNV-1a over 32-bit words with a final avalanche (murmur3's fmix32).
    let h = (0x811c9dc5 ^ this.seed) >>> 0;
    const base = row * this.featureCount;
    for (let j = 0; j < this.featureCount; j++) h = Math.imul(h ^ words[base + j]!, 0x01000193);
    return mix32(h) >>> 0;
  }

  /** The slot holding exactly this row, or -1. */
  find(words: Uint32Array, row: number, hash: number): number {
    const slot = hash & this.mask;
    if (this.filled[slot] === 0 || this.hashes[slot] !== hash) return -1;
    const keyBase = slot * this.featureCount;
    const rowBase = row * this.featureCount;
    for (let j = 0; j < this.featureCount; j++) if (this.keys[keyBase + j] !== words[rowBase + j]) return -1;
    return slot;
  }

  confidenceAt(slot: number): number {
    return this.confidence[slot]!;
  }

  classAt(slot: number): number {
    return this.classIndex[slot]!;
  }

  store(words: Uint32Array, row: number, hash: number, confidence: number, classIndex: number): void {
    const slot = hash & this.mask;
    this.keys.set(words.subarray(row * this.featureCount, (row + 1) * this.featureCount), slot * this.featureCount);
    this.hashes[slot] = hash;
    this.filled[slot] = 1;
    this.confidence[slot] = confidence;
    this.classIndex[slot] = classIndex;
  }

  /** Forgets every verdict (a new model scores differently). */
  clear(): void {
    this.filled.fill(0);
  }
}
