import { beforeAll, describe, expect, it } from 'vitest';
import { ScoreCache } from '../../lib/detect/scoreCache.ts';
import { Scorer } from '../../lib/model/score/scorer.ts';
import { captureRows, labCapture, LIVE_MODEL, type RowBuilder, wordsOf } from './flowRows.ts';

// Real rows: the flows of a benign LAN capture (nearly all distinct) in the shipped model's order.
let flows: RowBuilder;
let featureCount: number;

beforeAll(async () => {
  const scorer = await Scorer.load(LIVE_MODEL);
  flows = await captureRows(labCapture('benign-lan-a'), scorer.metadata);
  await scorer.close();
  featureCount = flows.featureCount;
});

/** Row `i` of the capture alone, as its own words. */
function row(i: number): Uint32Array {
  return wordsOf(flows.rows(i, i + 1));
}

/** A copy of `words` with the value in column `column` given as raw Float32 bits. */
function withBits(words: Uint32Array, column: number, bits: number): Uint32Array {
  const copy = words.slice();
  copy[column] = bits;
  return copy;
}

/** The first column of row `words` whose value is +0 (flows have many: empty bulk and flag counters). */
function zeroColumn(words: Uint32Array): number {
  const column = words.findIndex((bits) => bits === 0);
  expect(column).toBeGreaterThanOrEqual(0);
  return column;
}

describe('ScoreCache', () => {
  it('hits a row equal in every value, wherever it sits in its batch', () => {
    const cache = new ScoreCache(featureCount);
    const batch = wordsOf(flows.rows(0, 8));
    for (let i = 0; i < 8; i++) cache.store(batch, i, cache.hash(batch, i), 0.125 * i, i % 4);
    // The same values copied into another array, at another row index.
    for (let i = 0; i < 8; i++) {
      const alone = row(i);
      const hash = cache.hash(alone, 0);
      expect(hash).toBe(cache.hash(batch, i));
      const slot = cache.find(alone, 0, hash);
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(cache.confidenceAt(slot)).toBe(0.125 * i);
      expect(cache.classAt(slot)).toBe(i % 4);
    }
  });

  it('keeps the verdict as Float32 confidence and a signed class (-1: no attack class)', () => {
    const cache = new ScoreCache(featureCount);
    const words = row(3);
    const hash = cache.hash(words, 0);
    cache.store(words, 0, hash, 0.7, -1);
    const slot = cache.find(words, 0, hash);
    expect(cache.confidenceAt(slot)).toBe(Math.fround(0.7));
    expect(cache.classAt(slot)).toBe(-1);
  });

  it('misses a row that differs in one value, in every column, even when the hashes are made equal', () => {
    const cache = new ScoreCache(featureCount);
    const words = row(5);
    const hash = cache.hash(words, 0);
    cache.store(words, 0, hash, 0.9, 2);
    for (let column = 0; column < featureCount; column++) {
      const other = withBits(words, column, words[column]! ^ 1);
      expect(cache.find(other, 0, cache.hash(other, 0))).toBe(-1);
      // A forced hash collision: only the stored vector decides.
      expect(cache.find(other, 0, hash)).toBe(-1);
    }
    expect(cache.find(words, 0, hash)).toBeGreaterThanOrEqual(0);
  });

  it('tells NaN bit patterns apart (a hit is the same bits, not the same number)', () => {
    const cache = new ScoreCache(featureCount);
    const column = zeroColumn(row(7));
    const quiet = withBits(row(7), column, 0x7fc0_0000);
    const payload = withBits(row(7), column, 0x7fc0_0001);
    const negative = withBits(row(7), column, 0xffc0_0000);
    const quietHash = cache.hash(quiet, 0);
    cache.store(quiet, 0, quietHash, 0.4, 1);
    expect(cache.find(quiet.slice(), 0, quietHash)).toBeGreaterThanOrEqual(0);
    for (const other of [payload, negative]) {
      expect(Number.isNaN(new Float32Array(other.buffer)[column])).toBe(true);
      expect(cache.find(other, 0, cache.hash(other, 0))).toBe(-1);
      expect(cache.find(other, 0, quietHash)).toBe(-1);
    }
  });

  it('tells -0 from 0', () => {
    const cache = new ScoreCache(featureCount);
    const words = row(9);
    const column = zeroColumn(words);
    const negativeZero = withBits(words, column, 0x8000_0000);
    expect(new Float32Array(negativeZero.buffer)[column]).toBe(-0);
    const hash = cache.hash(words, 0);
    cache.store(words, 0, hash, 0.3, 0);
    expect(cache.find(negativeZero, 0, cache.hash(negativeZero, 0))).toBe(-1);
    expect(cache.find(negativeZero, 0, hash)).toBe(-1);
    // And the other way round.
    const other = new ScoreCache(featureCount);
    const negativeHash = other.hash(negativeZero, 0);
    other.store(negativeZero, 0, negativeHash, 0.3, 0);
    expect(other.find(words, 0, negativeHash)).toBe(-1);
    expect(other.find(negativeZero, 0, negativeHash)).toBeGreaterThanOrEqual(0);
  });

  it('overwrites the slot on a collision: the newer row hits with its verdict, the older misses', () => {
    const cache = new ScoreCache(featureCount, 4);
    const first = row(10);
    const second = row(11);
    // Same hash: same slot.
    cache.store(first, 0, 17, 0.25, 1);
    cache.store(second, 0, 17, 0.75, 2);
    expect(cache.find(first, 0, 17)).toBe(-1);
    const slot = cache.find(second, 0, 17);
    expect(slot).toBe(17 & 3);
    expect(cache.confidenceAt(slot)).toBe(0.75);
    expect(cache.classAt(slot)).toBe(2);
    // Different hashes, same slot (4 slots: hash & 3): the older row is gone, and its own hash misses too.
    cache.store(first, 0, 2, 0.5, 3);
    cache.store(second, 0, 6, 0.6, 0);
    expect(cache.find(first, 0, 2)).toBe(-1);
    expect(cache.find(second, 0, 6)).toBe(2);
    // The stored hash must match too, not only the vector.
    expect(cache.find(second, 0, 2)).toBe(-1);
  });

  it('rounds the slot count up to a power of two', () => {
    const cache = new ScoreCache(featureCount, 3);
    const words = wordsOf(flows.rows(0, 5));
    for (let i = 0; i < 4; i++) cache.store(words, i, i, i / 10, i);
    for (let i = 0; i < 4; i++) expect(cache.find(words, i, i)).toBe(i);
    // Hash 4 lands on slot 0 of four: row 0 is evicted, rows 1-3 stay.
    cache.store(words, 4, 4, 0.9, 1);
    expect(cache.find(words, 0, 0)).toBe(-1);
    expect(cache.find(words, 4, 4)).toBe(0);
    for (let i = 1; i < 4; i++) expect(cache.find(words, i, i)).toBe(i);
  });

  it('clear() forgets every verdict, and the cache fills again after', () => {
    const cache = new ScoreCache(featureCount);
    const words = wordsOf(flows.rows());
    const hashes = Array.from({ length: flows.count }, (_, i) => cache.hash(words, i));
    for (let i = 0; i < flows.count; i++) cache.store(words, i, hashes[i]!, 0.5, 1);
    const before = hashes.filter((hash, i) => cache.find(words, i, hash) >= 0).length;
    expect(before).toBeGreaterThan(flows.count / 2);
    cache.clear();
    for (let i = 0; i < flows.count; i++) expect(cache.find(words, i, hashes[i]!)).toBe(-1);
    cache.store(words, 0, hashes[0]!, 0.2, 3);
    const slot = cache.find(words, 0, hashes[0]!);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(cache.classAt(slot)).toBe(3);
  });

  it('hashes with a per-instance seed but the same value for equal rows', () => {
    const words = row(12);
    const copy = words.slice();
    const a = new ScoreCache(featureCount);
    expect(a.hash(words, 0)).toBe(a.hash(copy, 0));
    // Two caches (two seeds) agree on a row only by chance: across 8 caches at least two differ.
    const seen = new Set(Array.from({ length: 8 }, () => new ScoreCache(featureCount, 1).hash(words, 0)));
    expect(seen.size).toBeGreaterThan(1);
  });
});
