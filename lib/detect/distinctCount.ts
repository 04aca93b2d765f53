/**
 * How many distinct strings (source addresses) a key has seen: exact up to EXACT_LIMIT, then a
 * HyperLogLog estimate (Flajolet et al. 2007; 1,024 registers, about 3 % standard error) in a
 * fixed kilobyte whatever the count. A spoofed flood brings millions of sources: a Set of them
 * grew the heap by tens of megabytes per victim, and the old cap at 100,000 was then shown as if
 * it were the count.
 */
import { fnv1aText, mix32 } from './distinctBitmaps.ts';

const EXACT_LIMIT = 256;
const REGISTER_BITS = 10;
const REGISTERS = 1 << REGISTER_BITS;
const ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);
/** One seed per process, so no one can choose addresses that land in one register. */
const SEED = (Math.random() * 0x1_0000_0000) >>> 0;

/** The 32-bit hash DistinctCount counts `value` by (with the process's seed): callers may keep it instead of the string. */
export function distinctHash(value: string, seed = SEED): number {
  // mix32 (murmur3's finaliser) after FNV: FNV alone leaves the top bits (the register index) poorly mixed.
  return mix32(fnv1aText(value, seed)) >>> 0;
}

export class DistinctCount {
  // Exact mode keeps the values' 32-bit hashes, not the strings: no string outlives its evidence
  // (a collision among 256 hashes has odds of about 1 in 130,000).
  private exact: Set<number> | null = new Set();
  private registers: Uint8Array | null = null;

  /** `seed`: the process's own unless a test needs the same estimate every run. */
  constructor(private readonly seed = SEED) {}

  add(value: string): void {
    this.addHash(distinctHash(value, this.seed));
  }

  /** Adds a value by its distinctHash (computed with this counter's seed, the process's by default). */
  addHash(hash: number): void {
    if (this.exact !== null) {
      this.exact.add(hash);
      if (this.exact.size <= EXACT_LIMIT) return;
      this.registers = new Uint8Array(REGISTERS);
      for (const seen of this.exact) this.addToRegisters(seen);
      this.exact = null;
      return;
    }
    this.addToRegisters(hash);
  }

  /** False once the count is a HyperLogLog estimate. */
  get isExact(): boolean {
    return this.exact !== null;
  }

  /** count >= n, without the estimate's register scan while the count is exact or clearly above n. */
  atLeast(n: number): boolean {
    if (this.exact !== null) return this.exact.size >= n;
    return n <= EXACT_LIMIT || this.count >= n;
  }

  get count(): number {
    if (this.exact !== null) return this.exact.size;
    const registers = this.registers!;
    let sum = 0;
    let zeros = 0;
    for (let j = 0; j < REGISTERS; j++) {
      sum += 2 ** -registers[j]!;
      if (registers[j] === 0) zeros++;
    }
    const raw = (ALPHA * REGISTERS * REGISTERS) / sum;
    // Small range: linear counting over the empty registers is the better estimate.
    if (raw <= 2.5 * REGISTERS && zeros > 0) return Math.round(REGISTERS * Math.log(REGISTERS / zeros));
    // Large range: a 32-bit hash starts to collide near 2^32.
    const two32 = 2 ** 32;
    return Math.round(raw <= two32 / 30 ? raw : -two32 * Math.log(1 - raw / two32));
  }

  private addToRegisters(h: number): void {
    const register = h >>> (32 - REGISTER_BITS);
    const rest = (h << REGISTER_BITS) >>> 0;
    // Position of the first 1 bit in the remaining 22 bits (23 if they are all zero).
    const rank = rest === 0 ? 32 - REGISTER_BITS + 1 : Math.clz32(rest) + 1;
    if (rank > this.registers![register]!) this.registers![register] = rank;
  }
}
