/**
 * The heaviest sources per slot, in fixed memory: the space-saving algorithm (Metwally, Agrawal
 * and El Abbadi 2005) with ENTRIES counters per slot. A source already counted is incremented;
 * a new one takes a free counter, or replaces the smallest one and inherits its count + 1. So
 * any source with more than total/ENTRIES packets is always in the table, and a count is over
 * the truth by at most the count it inherited (kept as `error`). One flooding host among spoofed
 * noise, or the two hosts of a small botnet, come out on top with their counts.
 * Addresses are 4 uint32 words (IPv4 in word 0), as in DecodedPacket.
 */
import { formatAddress } from '../../decode/formatAddress.ts';
import type { AttackerCount } from '../ruleDetector.ts';

export const TOP_SOURCE_ENTRIES = 8;

export interface ListedSource extends AttackerCount {
  /** The count minus what it may have inherited from the source it replaced. */
  certain: number;
}

export class TopSources {
  private readonly words: Uint32Array;
  private readonly counts: Float64Array;
  private readonly errors: Float64Array;
  private readonly filled: Uint8Array;
  /** Entry hit by the slot's previous add: a flood's packets come in runs from one source. */
  private readonly lastEntry: Uint8Array;
  private readonly scratch = new Uint32Array(4);

  constructor(slots: number) {
    this.words = new Uint32Array(slots * TOP_SOURCE_ENTRIES * 4);
    this.counts = new Float64Array(slots * TOP_SOURCE_ENTRIES);
    this.errors = new Float64Array(slots * TOP_SOURCE_ENTRIES);
    this.filled = new Uint8Array(slots);
    this.lastEntry = new Uint8Array(slots);
  }

  clear(slot: number): void {
    this.filled[slot] = 0;
    this.lastEntry[slot] = 0;
  }

  private matches(entry: number, address: Uint32Array): boolean {
    const base = entry * 4;
    const words = this.words;
    return words[base] === address[0] && words[base + 1] === address[1] && words[base + 2] === address[2] && words[base + 3] === address[3];
  }

  /** Counts one packet (or attempt) from `address` in the slot. */
  add(slot: number, address: Uint32Array): void {
    const first = slot * TOP_SOURCE_ENTRIES;
    const filled = this.filled[slot];
    const last = first + this.lastEntry[slot];
    if (filled > 0 && this.matches(last, address)) {
      this.counts[last]++;
      return;
    }
    let smallest = first;
    for (let i = 0; i < filled; i++) {
      const entry = first + i;
      if (this.matches(entry, address)) {
        this.counts[entry]++;
        this.lastEntry[slot] = i;
        return;
      }
      if (this.counts[entry] < this.counts[smallest]) smallest = entry;
    }
    let entry: number;
    let inherited = 0;
    if (filled < TOP_SOURCE_ENTRIES) {
      entry = first + filled;
      this.filled[slot] = filled + 1;
    } else {
      entry = smallest;
      inherited = this.counts[smallest];
    }
    const base = entry * 4;
    this.words[base] = address[0];
    this.words[base + 1] = address[1];
    this.words[base + 2] = address[2];
    this.words[base + 3] = address[3];
    this.counts[entry] = inherited + 1;
    this.errors[entry] = inherited;
    this.lastEntry[slot] = entry - first;
  }

  /**
   * Index (0..ENTRIES-1) of the source that certainly sent at least `share` of `total`
   * (its count minus its possible error), or -1 when none does.
   */
  dominant(slot: number, total: number, share: number): number {
    const first = slot * TOP_SOURCE_ENTRIES;
    for (let i = 0; i < this.filled[slot]; i++) {
      if (this.counts[first + i] - this.errors[first + i] >= share * total && total > 0) return i;
    }
    return -1;
  }

  /** Copies an entry's address words into `into`. */
  entryAddress(slot: number, index: number, into: Uint32Array): Uint32Array {
    const base = (slot * TOP_SOURCE_ENTRIES + index) * 4;
    for (let w = 0; w < 4; w++) into[w] = this.words[base + w];
    return into;
  }

  /** The largest count known for sure (count minus what it may have inherited): 1 in a spoofed flood where every source sends once. */
  largestCertain(slot: number): number {
    const first = slot * TOP_SOURCE_ENTRIES;
    let largest = 0;
    for (let i = 0; i < this.filled[slot]; i++) largest = Math.max(largest, this.counts[first + i] - this.errors[first + i]);
    return largest;
  }

  /** How many sources the slot holds (at most ENTRIES). */
  size(slot: number): number {
    return this.filled[slot];
  }

  /**
   * The sources biggest first, as text, with the part of each count that is certain (allocates:
   * call when reporting, not per packet).
   */
  list(slot: number, ipVersion: number): ListedSource[] {
    const first = slot * TOP_SOURCE_ENTRIES;
    const result: ListedSource[] = [];
    for (let i = 0; i < this.filled[slot]; i++) {
      result.push({
        ip: formatAddress(this.entryAddress(slot, i, this.scratch), ipVersion),
        count: this.counts[first + i],
        certain: this.counts[first + i] - this.errors[first + i],
      });
    }
    return result.sort((a, b) => b.count - a.count);
  }
}

/**
 * How a detection names its attackers: the one source when it sent at least half of the
 * evidence, else '*' (many: spoofed or distributed), with the top sources and a distinct count.
 */
export interface NamedSources {
  sourceIp: string;
  attackers: AttackerCount[];
  distinctSources: number;
  /** "10.77.0.66", "10.77.0.66 and 10.77.0.67", "many (4,012) sources, most from 10.0.0.9 (1,200)". */
  text: string;
}

export const DOMINANT_SHARE = 0.5;

export function nameSources(
  top: TopSources,
  slot: number,
  ipVersion: number,
  total: number,
  distinctEstimate: number,
  formatCount: (value: number) => string,
  many: string,
): NamedSources {
  const listed = top.list(slot, ipVersion);
  // A distinct count is at least the sources listed and never more than the packets counted.
  const distinctSources = Math.max(listed.length, Math.min(distinctEstimate, total));
  // The attackers are the heavy hitters (each at least 1/ENTRIES of the packets: the table always
  // holds those). A flood with none (spoofed: every source sends a few) lists its top sources.
  const heavy = listed.filter((source) => source.certain * TOP_SOURCE_ENTRIES >= total);
  // Counts given are the certain part (a spoofed source listed late says 1, not the count it inherited).
  const attackers = (heavy.length > 0 ? heavy : listed)
    .map(({ ip, certain }) => ({ ip, count: certain }))
    .sort((a, b) => b.count - a.count);
  const dominant = top.dominant(slot, total, DOMINANT_SHARE);
  const sourceIp = dominant >= 0 ? formatAddress(top.entryAddress(slot, dominant, new Uint32Array(4)), ipVersion) : many;
  let text: string;
  if (heavy.length === 1 && distinctSources <= 1) text = heavy[0].ip;
  else if (heavy.length === 1) {
    const others = distinctSources - 1;
    text = `${heavy[0].ip} (${formatCount(heavy[0].count)} of ${formatCount(total)}; ${formatCount(others)} other source${others === 1 ? '' : 's'})`;
  } else if (heavy.length > 1 && heavy.length <= 3) {
    text = heavy.map((a) => `${a.ip} (${formatCount(a.count)})`).join(', ') + (distinctSources > heavy.length ? ` and ${formatCount(distinctSources - heavy.length)} others` : '');
  } else {
    const head = listed[0];
    // Name the biggest source only when it certainly sent more than one (space-saving counts of
    // a full table can be inflated by what they inherited).
    const named = head !== undefined && top.largestCertain(slot) > 1;
    text = `many (${formatCount(distinctSources)}) sources${named ? `, most from ${head.ip} (${formatCount(head.count)})` : ''}`;
  }
  return { sourceIp, attackers, distinctSources, text };
}
