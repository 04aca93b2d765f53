/**
 * murmur3's 32-bit finaliser (fmix32): avalanches every input bit over the output, a bijection on
 * 32 bits. The one copy for the flow table's hash, the rules' bitmaps and counters, the score
 * cache and the trainer's row order. Returns a signed int32 on purpose: it stays a small integer
 * when it crosses a call, where an unsigned value above 2^31 would be boxed as a heap number (one
 * allocation per packet); `>>> 0` gives the unsigned value.
 */
export function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
