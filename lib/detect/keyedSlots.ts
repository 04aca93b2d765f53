/**
 * A fixed-size table of per-key state slots for the rule detectors: a key (a few uint32 words,
 * e.g. IP version + source address) maps to a slot index, and each detector keeps its counters
 * in typed arrays indexed by that slot. Set-associative like a CPU cache: a key may live in any
 * of PROBE_LENGTH neighbouring slots from its hash; when all of them hold other keys the least
 * recently seen one is reused. So lookups cost a bounded number of word compares, nothing is
 * allocated per packet, memory never grows, and under a flood of new keys (spoofed sources)
 * the quiet keys are the ones forgotten.
 */

const PROBE_LENGTH = 8;

export class KeyedSlots {
  readonly capacity: number;
  readonly keyWords: number;
  /** The caller writes the key here, then calls find(). */
  readonly key: Uint32Array;
  /** Key words of every slot, keyWords per slot. */
  readonly keys: Uint32Array;
  readonly used: Uint8Array;
  readonly lastSeenUs: Float64Array;
  /** Set by find(): true when the slot was empty or taken over from another key (reset its state). */
  isNew = false;
  /**
   * Packet time of the current lookup, set by the caller before find()/touch(). A field, not an
   * argument: a double passed to a call that is not inlined is boxed, one allocation per packet.
   */
  nowUs = 0;
  private readonly mask: number;
  /** Slot of the previous lookup: a scanner's or a flood's packets come in runs of one key. */
  private lastSlot = 0;

  constructor(capacity: number, keyWords: number) {
    let size = PROBE_LENGTH;
    while (size < capacity) size *= 2;
    this.capacity = size;
    this.mask = size - 1;
    this.keyWords = keyWords;
    this.key = new Uint32Array(keyWords);
    this.keys = new Uint32Array(size * keyWords);
    this.used = new Uint8Array(size);
    this.lastSeenUs = new Float64Array(size);
  }

  /** Writes an address's four words into key[at .. at + 3] (the detectors' keys are built from them). */
  setKeyAddress(at: number, words: Uint32Array): void {
    const key = this.key;
    key[at] = words[0]!;
    key[at + 1] = words[1]!;
    key[at + 2] = words[2]!;
    key[at + 3] = words[3]!;
  }

  private hashKey(): number {
    const key = this.key;
    let hash = 0x811c9dc5;
    for (let w = 0; w < this.keyWords; w++) {
      hash = Math.imul(hash ^ key[w], 0x01000193);
      hash ^= hash >>> 15;
    }
    hash = Math.imul(hash ^ (hash >>> 13), 0x5bd1e995);
    return hash ^ (hash >>> 16);
  }

  private matches(slot: number): boolean {
    const key = this.key;
    const width = this.keyWords;
    const base = slot * width;
    for (let w = 0; w < width; w++) if (this.keys[base + w] !== key[w]) return false;
    return true;
  }

  /** Slot of the key in `this.key`, or -1 when it is not tracked (claims nothing, touches nothing). */
  lookup(): number {
    if (this.used[this.lastSlot] === 1 && this.matches(this.lastSlot)) return this.lastSlot;
    const hash = this.hashKey();
    for (let probe = 0; probe < PROBE_LENGTH; probe++) {
      const slot = (hash + probe) & this.mask;
      if (this.used[slot] === 1 && this.matches(slot)) {
        this.lastSlot = slot;
        return slot;
      }
    }
    return -1;
  }

  /** Slot of the key in `this.key` at `this.nowUs`, claiming one when the key is not present. */
  find(): number {
    const nowUs = this.nowUs;
    const last = this.lastSlot;
    if (this.used[last] === 1 && this.matches(last)) {
      this.isNew = false;
      this.lastSeenUs[last] = nowUs;
      return last;
    }
    const key = this.key;
    const width = this.keyWords;
    const hash = this.hashKey();

    let free = -1;
    let oldest = -1;
    let oldestUs = Infinity;
    for (let probe = 0; probe < PROBE_LENGTH; probe++) {
      const slot = (hash + probe) & this.mask;
      if (this.used[slot] === 0) {
        if (free < 0) free = slot;
        continue;
      }
      if (this.matches(slot)) {
        this.isNew = false;
        this.lastSeenUs[slot] = nowUs;
        this.lastSlot = slot;
        return slot;
      }
      if (this.lastSeenUs[slot] < oldestUs) {
        oldestUs = this.lastSeenUs[slot];
        oldest = slot;
      }
    }
    const slot = free >= 0 ? free : oldest;
    if (free < 0) this.beforeReuse(slot);
    this.keys.set(key, slot * width);
    this.used[slot] = 1;
    this.lastSeenUs[slot] = nowUs;
    this.isNew = true;
    this.lastSlot = slot;
    return slot;
  }

  /** Called with a slot about to be taken over by another key (its old key is still in `keys`). */
  protected beforeReuse(slot: number): void {
    void slot;
  }

  /** Frees slots not seen since `beforeUs`; returns how many were freed. */
  expire(beforeUs: number): number {
    let freed = 0;
    for (let slot = 0; slot < this.capacity; slot++) {
      if (this.used[slot] === 1 && this.lastSeenUs[slot] < beforeUs) {
        this.used[slot] = 0;
        freed++;
      }
    }
    return freed;
  }

  /** Address words [offset, offset + 4) of a slot's key, copied into `into` (for text at emission). */
  copyKeyWords(slot: number, offset: number, into: Uint32Array): Uint32Array {
    const base = slot * this.keyWords + offset;
    for (let w = 0; w < 4; w++) into[w] = this.keys[base + w];
    return into;
  }
}
