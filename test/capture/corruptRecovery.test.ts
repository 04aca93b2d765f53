/**
 * Damaged captures: every real capture in the datasets (pcap and pcapng) gets record headers
 * corrupted in its middle; the reader must report the damage and still deliver at least 95 % of
 * the packets that follow it (compared with the undamaged file by timestamp, length and
 * content), read in random chunk sizes so the resynchronisation crosses chunk boundaries.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureAnomaly } from '../../lib/capture/anomalies.ts';
import { describeCaptureDamage } from '../../lib/capture/damage.ts';
import { PcapParser } from '../../lib/capture/pcapParser.ts';
import { PcapngParser } from '../../lib/capture/pcapngParser.ts';
import { MAX_CAPTURED_LENGTH, TIME_WINDOW_SECONDS, type RecordParser } from '../../lib/capture/recordParser.ts';
import { type FrameRecord, parseInChunks } from './readAll.ts';
import { sharedDatasetsDirectory } from '../sharedDatasets.ts';

const roots = [
  join(sharedDatasetsDirectory(), 'pcaps/'),
  new URL('../../datasets/pcaps/', import.meta.url).pathname,
];
/** Longer captures are cut to a prefix at a record boundary: the damage is what is tested, not size. */
const MAX_BASE_BYTES = 4 * 1024 * 1024;
const MIN_PACKETS = 30;

interface Base {
  name: string;
  format: 'pcap' | 'pcapng';
  data: Uint8Array;
  littleEndian: boolean;
  /** Start offset of each packet record (pcap) or packet block (pcapng), in file order. */
  packetStarts: number[];
  /** Length of each of those records/blocks. */
  packetLengths: number[];
  /** pcap: 1e6 or 1e9 sub-second units; snap length. */
  fractionUnits: number;
  snapLength: number;
  /** The undamaged file's frames, in order. */
  reference: FrameRecord[];
}

function walkFiles(directory: string): string[] {
  let entries: string[] = [];
  try {
    entries = readdirSync(directory);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(directory, entry);
    return statSync(path).isDirectory() ? walkFiles(path) : [path];
  });
}

function decompress(path: string): Uint8Array {
  const raw = readFileSync(path);
  return new Uint8Array(raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw);
}

/** Walks an undamaged capture's records without the parsers, cut at MAX_BASE_BYTES. */
function layout(name: string, whole: Uint8Array): Omit<Base, 'reference'> | null {
  const view = new DataView(whole.buffer, whole.byteOffset, whole.byteLength);
  if (whole.length < 32) return null;
  const magicBE = view.getUint32(0, false);
  const packetStarts: number[] = [];
  const packetLengths: number[] = [];
  if (magicBE === 0x0a0d0d0a) {
    const littleEndian = view.getUint32(8, true) === 0x1a2b3c4d;
    let position = 0;
    let end = 0;
    while (position + 12 <= whole.length) {
      if (view.getUint32(position, true) === 0x0a0d0d0a && view.getUint32(position + 8, littleEndian) !== 0x1a2b3c4d) return null;
      const type = view.getUint32(position, littleEndian);
      const length = view.getUint32(position + 4, littleEndian);
      if (position + length > whole.length || position + length > MAX_BASE_BYTES) break;
      if (type === 6) {
        packetStarts.push(position);
        packetLengths.push(length);
      }
      position += length;
      end = position;
    }
    return { name, format: 'pcapng', data: whole.subarray(0, end), littleEndian, packetStarts, packetLengths, fractionUnits: 0, snapLength: 0 };
  }
  const magicLE = view.getUint32(0, true);
  if (magicBE !== 0xa1b2c3d4 && magicBE !== 0xa1b23c4d && magicLE !== 0xa1b2c3d4 && magicLE !== 0xa1b23c4d) return null;
  const littleEndian = magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d;
  const fractionUnits = (littleEndian ? magicLE : magicBE) === 0xa1b23c4d ? 1e9 : 1e6;
  let position = 24;
  while (position + 16 <= whole.length) {
    const length = 16 + view.getUint32(position + 8, littleEndian);
    if (position + length > whole.length || position + length > MAX_BASE_BYTES) break;
    packetStarts.push(position);
    packetLengths.push(length);
    position += length;
  }
  const snapLength = view.getUint32(16, littleEndian);
  return { name, format: 'pcap', data: whole.subarray(0, position), littleEndian, packetStarts, packetLengths, fractionUnits, snapLength };
}

const newParser = (base: Base): RecordParser => (base.format === 'pcap' ? new PcapParser() : new PcapngParser());

const bases: Base[] = roots
  .flatMap(walkFiles)
  .filter((path) => /\.(pcap|pcapng|cap|pcap_)(\.gz)?$/.test(path))
  .flatMap((path) => {
    const found = layout(path.split('/').slice(-2).join('/'), decompress(path));
    if (found === null || found.packetStarts.length < MIN_PACKETS) return [];
    const parser = found.format === 'pcap' ? new PcapParser() : new PcapngParser();
    const reference = parseInChunks(parser, found.data, []);
    return [{ ...found, reference }];
  });
const pcapBases = bases.filter((base) => base.format === 'pcap');
const pcapngBases = bases.filter((base) => base.format === 'pcapng');

/** What to break in one record header, and with what value (see corrupt()). */
interface Damage {
  /** Where in the middle third of the packets, as a fraction. */
  where: number;
  field: number;
  value: number;
}

const damageArbitrary = fc.record({
  where: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  field: fc.nat({ max: 5 }),
  value: fc.nat({ max: 0xffffffff }),
});

/** Value far from `center` (outside ±window), from a random 32-bit number. */
function farFrom(center: number, window: number, random: number): number {
  const low = Math.max(0, center - window);
  const high = Math.min(0xffffffff, center + window);
  const span = 0xffffffff - (high - low + 1);
  const value = random % (span + 1);
  return value < low ? value : value + (high - low + 1);
}

/**
 * Writes one damaged field into a copy of the base. pcap fields: captured length (absurd, too
 * small, or larger than the original length), seconds (more than a day off), sub-second field
 * (out of range), original length (below the captured length). pcapng fields: block length
 * (not a multiple of 4, a different multiple of 4, or huge), trailing length, EPB captured
 * length (beyond the block), block type. Every value is one no reader could take as valid:
 * a smaller EPB captured length, for one, still fits its block and is undetectable.
 */
function corrupt(base: Base, data: Uint8Array, index: number, damage: Damage): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const start = base.packetStarts[index];
  const length = base.packetLengths[index];
  const le = base.littleEndian;
  const random = damage.value;
  if (base.format === 'pcap') {
    const captured = length - 16;
    const original = view.getUint32(start + 12, le);
    switch (damage.field) {
      case 0:
        view.setUint32(start + 8, MAX_CAPTURED_LENGTH + 1 + (random % (0xffffffff - MAX_CAPTURED_LENGTH)), le);
        return;
      case 1:
        // Too small: the header still looks fine; the next one, read from inside this packet, does not.
        view.setUint32(start + 8, captured === 0 ? 1 : random % captured, le);
        return;
      case 2:
        view.setUint32(start + 8, original + 1 + (random % Math.max(1, Math.min(base.snapLength, MAX_CAPTURED_LENGTH) - original)), le);
        return;
      case 3:
        view.setUint32(start, farFrom(view.getUint32(start, le), TIME_WINDOW_SECONDS + 1, random), le);
        return;
      case 4:
        view.setUint32(start + 4, base.fractionUnits + (random % (0xffffffff - base.fractionUnits)), le);
        return;
      default:
        if (captured > 0) view.setUint32(start + 12, random % captured, le);
        else view.setUint32(start + 8, MAX_CAPTURED_LENGTH + 1, le);
        return;
    }
  }
  switch (damage.field) {
    case 0:
      view.setUint32(start + 4, (random & ~3) + 1 + (random % 3), le);
      return;
    case 1: {
      // A different multiple of 4 between 12 and twice the block.
      const other = 12 + 4 * (random % Math.floor((2 * length - 8) / 4));
      view.setUint32(start + 4, other === length ? length + 4 : other, le);
      return;
    }
    case 2:
      view.setUint32(start + 4, 16 * 1024 * 1024 + 4 + 4 * (random % 0x3bffffff), le);
      return;
    case 3:
      view.setUint32(start + length - 4, farFrom(length, 0, random), le);
      return;
    case 4:
      view.setUint32(start + 20, length - 31 + (random % (0xffffffff - length)), le);
      return;
    default: {
      // Not a block type this reader knows.
      const type = random < 16 ? 0x1000 + random : random;
      view.setUint32(start, type === 0x0a0d0d0a || type === 0xbad || type === 0x40000bad ? 0x7fff0001 : type, le);
    }
  }
}

const key = (frame: FrameRecord): string => `${frame.timestampUs}/${frame.capturedLength}/${frame.contentHash}`;

interface Outcome {
  expected: number;
  recovered: number;
  anomalies: Record<string, number>;
}

/** Damages 1-3 records in the middle third, reads in random chunks, and counts what came back. */
function damageAndRead(base: Base, damages: Damage[], chunkSizes: number[]): Outcome {
  const data = new Uint8Array(base.data);
  const packets = base.packetStarts.length;
  const first = Math.floor(packets / 3);
  const indexes = [...new Set(damages.map((damage) => first + Math.floor(damage.where * Math.max(1, Math.floor(packets / 3)))))];
  damages.forEach((damage, i) => {
    if (i < indexes.length) corrupt(base, data, indexes[i], damage);
  });
  const parser = newParser(base);
  const frames = parseInChunks(parser, data, chunkSizes);
  const firstDamaged = Math.min(...indexes);
  const damaged = new Set(indexes);
  const delivered = new Map<string, number>();
  for (const frame of frames) delivered.set(key(frame), (delivered.get(key(frame)) ?? 0) + 1);
  let expected = 0;
  let recovered = 0;
  base.reference.forEach((frame, index) => {
    if (index <= firstDamaged || damaged.has(index)) return;
    expected++;
    const left = delivered.get(key(frame)) ?? 0;
    if (left > 0) {
      recovered++;
      delivered.set(key(frame), left - 1);
    }
  });
  return { expected, recovered, anomalies: { ...parser.anomalies } };
}

const chunkSizes = fc.array(fc.integer({ min: 512, max: 1024 * 1024 }), { minLength: 1, maxLength: 8 });
const totals = { pcap: { cases: 0, expected: 0, recovered: 0, worst: 1 }, pcapng: { cases: 0, expected: 0, recovered: 0, worst: 1 } };

afterAll(() => {
  for (const [format, total] of Object.entries(totals)) {
    if (total.cases === 0) continue;
    console.log(
      `${format}: ${total.cases} damaged copies, ${total.recovered} of ${total.expected} packets after the damage recovered ` +
        `(${((100 * total.recovered) / total.expected).toFixed(2)} %), worst case ${(100 * total.worst).toFixed(1)} %`,
    );
  }
});

describe('real captures with damaged record headers', () => {
  it('finds real pcap and pcapng captures to damage', () => {
    expect(pcapBases.length).toBeGreaterThanOrEqual(10);
    expect(pcapngBases.length).toBeGreaterThanOrEqual(3);
    for (const base of bases) expect(base.reference.length, base.name).toBe(base.packetStarts.length);
  });

  for (const [format, formatBases, runs] of [
    ['pcap', pcapBases, 600],
    ['pcapng', pcapngBases, 300],
  ] as const) {
    it(`${format}: reports the damage and recovers at least 95 percent of the packets after it (${runs} cases)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...formatBases),
        fc.array(damageArbitrary, { minLength: 1, maxLength: 3 }),
        chunkSizes,
        (base, damages, chunks) => {
          const outcome = damageAndRead(base, damages, chunks);
          const total = totals[format];
          total.cases++;
          total.expected += outcome.expected;
          total.recovered += outcome.recovered;
          const share = outcome.expected === 0 ? 1 : outcome.recovered / outcome.expected;
          total.worst = Math.min(total.worst, share);
          expect(Object.values(outcome.anomalies).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
          expect(share, `${base.name}: ${outcome.recovered} of ${outcome.expected}, ${JSON.stringify(outcome.anomalies)}`).toBeGreaterThanOrEqual(0.95);
        },
      ),
      { numRuns: runs },
    );
  });
  }

  it.each([
    ['pcap', () => pcapBases],
    ['pcapng', () => pcapngBases],
  ] as const)('%s: a capture cut inside its last record keeps every complete packet and warns', (_format, pick) => {
    for (const base of pick()) {
      const lastStart = base.packetStarts.at(-1)!;
      const cut = base.data.subarray(0, lastStart + Math.floor(base.packetLengths.at(-1)! / 2));
      const parser = newParser(base);
      const frames = parseInChunks(parser, cut, [65536]);
      expect(frames.length, base.name).toBe(base.reference.length - 1);
      expect(parser.truncated).toBe(true);
      const damage = describeCaptureDamage({ frames: parser.frames, bytes: parser.bytes, anomalies: parser.anomalies, truncated: parser.truncated });
      expect(damage).toEqual({ packetsLost: true, summary: 'truncated last record' });
    }
  });

  it('names what was lost and where in one line', () => {
    const base = pcapBases.find((candidate) => candidate.name.endsWith('ftp-crack.pcap.gz'))!;
    const data = new Uint8Array(base.data);
    const index = 9865;
    new DataView(data.buffer).setUint32(base.packetStarts[index] + 8, 0x12345678, true);
    const parser = new PcapParser();
    const frames = parseInChunks(parser, data.subarray(0, data.length - 10), [1024 * 1024]);
    expect(frames.length).toBe(base.reference.length - 2);
    expect(parser.anomalies).toEqual({
      [CaptureAnomaly.ABSURD_CAPLEN]: 1,
      [CaptureAnomaly.DAMAGED_RECORD]: 1,
      [CaptureAnomaly.RESYNC]: 1,
      [CaptureAnomaly.SKIPPED_BYTES]: base.packetLengths[index],
      [CaptureAnomaly.TRUNCATED_RECORD]: 1,
    });
    const damage = describeCaptureDamage({
      frames: parser.frames,
      bytes: parser.bytes,
      anomalies: parser.anomalies,
      truncated: parser.truncated,
      firstDamageOffset: parser.firstDamageOffset,
    });
    expect(damage?.summary).toBe(
      `1 damaged record skipped (${base.packetLengths[index]} bytes) after byte ${base.packetStarts[index].toLocaleString('en-US')}; truncated last record`,
    );
  });
});
