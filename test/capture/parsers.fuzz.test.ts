import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureAnomaly } from '../../lib/capture/anomalies.ts';
import type { Frame } from '../../lib/capture/frame.ts';
import { PcapParser } from '../../lib/capture/pcapParser.ts';
import { PcapngParser } from '../../lib/capture/pcapngParser.ts';
import { MAX_CAPTURED_LENGTH, type RecordParser } from '../../lib/capture/recordParser.ts';
import { pcapToBigEndian, pcapngToBigEndian } from './byteOrder.ts';
import { parseInChunks } from './readAll.ts';
import { sharedDataset } from '../sharedDatasets.ts';

// Plain Uint8Array copies: Buffer.slice() returns a view, and mutating a view would damage the bases.
const load = (relative: string): Uint8Array => new Uint8Array(gunzipSync(readFileSync(sharedDataset(relative))));

/** Record layout of an undamaged capture, found by a walker independent of the parsers. */
interface Layout {
  /** Offsets where records (pcap) or blocks (pcapng) end. */
  ends: number[];
  /** Whether the record ending at ends[i] is a packet. */
  isPacket: boolean[];
  /** Bytes before the first packet record: the pcap file header or the first SHB. */
  headerLength: number;
}

function pcapLayout(data: Uint8Array): Layout {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const littleEndian = view.getUint32(0, true) === 0xa1b2c3d4 || view.getUint32(0, true) === 0xa1b23c4d;
  const layout: Layout = { ends: [], isPacket: [], headerLength: 24 };
  let position = 24;
  while (position + 16 <= data.length) {
    position += 16 + view.getUint32(position + 8, littleEndian);
    if (position > data.length) break;
    layout.ends.push(position);
    layout.isPacket.push(true);
  }
  return layout;
}

function pcapngLayout(data: Uint8Array): Layout {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const layout: Layout = { ends: [], isPacket: [], headerLength: 0 };
  let littleEndian = true;
  let position = 0;
  while (position + 12 <= data.length) {
    if (view.getUint32(position, true) === 0x0a0d0d0a) littleEndian = view.getUint32(position + 8, true) === 0x1a2b3c4d;
    const type = view.getUint32(position, littleEndian);
    const end = position + view.getUint32(position + 4, littleEndian);
    if (end > data.length) break;
    if (layout.headerLength === 0) layout.headerLength = end;
    layout.ends.push(end);
    layout.isPacket.push(type === 2 || type === 3 || type === 6);
    position = end;
  }
  return layout;
}

interface Base {
  name: string;
  data: Uint8Array;
  layout: Layout;
}

function base(name: string, data: Uint8Array, limit: number, format: 'pcap' | 'pcapng'): Base {
  const full = format === 'pcap' ? pcapLayout(data) : pcapngLayout(data);
  // Cut at a record boundary so the prefix is an undamaged capture.
  const end = full.ends.filter((offset) => offset <= limit).at(-1) ?? data.length;
  const prefix = data.subarray(0, end);
  return { name, data: prefix, layout: format === 'pcap' ? pcapLayout(prefix) : pcapngLayout(prefix) };
}

const pcapBases: Base[] = [
  base('ftp-crack', load('pcaps/ppa-markofu/ftp-crack.pcap.gz'), 4000, 'pcap'),
  base('hydra-raw', load('pcaps/axr00t-research-pcaps/hydra_brute_force_get_success_106_attempts.pcap.gz'), 5000, 'pcap'),
  base('cic-test', load('cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz'), 9000, 'pcap'),
  base('ftp-crack-be', pcapToBigEndian(load('pcaps/ppa-markofu/ftp-crack.pcap.gz')), 4000, 'pcap'),
];
const pcapngBases: Base[] = [
  base('http_espn', load('pcaps/chrissanders-packets/http_espn.pcapng.gz'), 8000, 'pcapng'),
  base('synscan', load('pcaps/chrissanders-packets/synscan.pcapng.gz'), 4000, 'pcapng'),
  base('dns_lab', load('pcaps/chrissanders-packets/dns_lab.pcapng.gz'), 6000, 'pcapng'),
  base('arppoison-be', pcapngToBigEndian(load('pcaps/chrissanders-packets/arppoison.pcapng.gz')), 6000, 'pcapng'),
];

type Mutation =
  | { kind: 'flip'; position: number; bit: number }
  | { kind: 'truncate'; length: number }
  | { kind: 'overwrite32'; position: number; value: number }
  | { kind: 'lengthField'; record: number; field: number; value: number }
  | { kind: 'garbage'; position: number; bytes: Uint8Array }
  | { kind: 'insert'; position: number; bytes: Uint8Array }
  | { kind: 'wrongMagic'; value: number }
  | { kind: 'empty' };

const absurdValues = [0, 1, 3, 11, 12, 13, 0x3ffff, MAX_CAPTURED_LENGTH + 1, 0x1000000, 0x1000004, 0x7fffffff, 0xfffffffc, 0xffffffff];

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), position: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), length: fc.nat() }),
  fc.record({ kind: fc.constant('overwrite32' as const), position: fc.nat(), value: fc.constantFrom(...absurdValues) }),
  // Aim at the fields that frame the stream: pcap caplen (+8), pcapng block length (+4), EPB caplen (+20).
  fc.record({
    kind: fc.constant('lengthField' as const),
    record: fc.nat(),
    field: fc.constantFrom(4, 8, 20),
    value: fc.constantFrom(...absurdValues),
  }),
  fc.record({ kind: fc.constant('garbage' as const), position: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), position: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('wrongMagic' as const), value: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.constant({ kind: 'empty' as const }),
);

function mutate(original: Base, mutations: readonly Mutation[]): Uint8Array {
  let data = new Uint8Array(original.data);
  const write32 = (position: number, value: number): void => {
    if (position + 4 <= data.length) new DataView(data.buffer, data.byteOffset).setUint32(position, value, true);
  };
  for (const mutation of mutations) {
    const at = (position: number): number => (data.length === 0 ? 0 : position % data.length);
    switch (mutation.kind) {
      case 'flip':
        if (data.length > 0) data[at(mutation.position)] ^= 1 << mutation.bit;
        break;
      case 'truncate':
        data = data.subarray(0, mutation.length % (data.length + 1));
        break;
      case 'overwrite32':
        write32(at(mutation.position), mutation.value);
        break;
      case 'lengthField': {
        const starts = [original.layout.headerLength === 24 ? 24 : 0, ...original.layout.ends];
        write32(starts[mutation.record % starts.length] + mutation.field, mutation.value);
        break;
      }
      case 'garbage':
        data.set(mutation.bytes.subarray(0, Math.max(0, data.length - at(mutation.position))), at(mutation.position));
        break;
      case 'insert': {
        const position = at(mutation.position);
        const grown = new Uint8Array(data.length + mutation.bytes.length);
        grown.set(data.subarray(0, position));
        grown.set(mutation.bytes, position);
        grown.set(data.subarray(position), position + mutation.bytes.length);
        data = grown;
        break;
      }
      case 'wrongMagic':
        write32(0, mutation.value);
        break;
      case 'empty':
        data = new Uint8Array(0);
        break;
    }
  }
  return data;
}

const chunkSizesArbitrary = fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 20 });

interface Outcome {
  frames: ReturnType<typeof parseInChunks>;
  anomalies: Record<string, number>;
  truncated: boolean;
  stopped: boolean;
}

/** Runs one parser over `data` in chunks, checking every frame stays inside its buffer. */
function runChecked(createParser: () => RecordParser, data: Uint8Array, chunkSizes: readonly number[]): Outcome {
  const parser = createParser();
  // Plain comparisons: expect() per frame would dominate the run time of 10,000 cases.
  const checkFrame = (frame: Frame): void => {
    const inside =
      frame.capturedLength <= MAX_CAPTURED_LENGTH &&
      frame.offset >= 0 &&
      frame.offset + frame.capturedLength <= frame.buffer.length;
    if (!inside) throw new Error(`frame outside its buffer: offset ${frame.offset} length ${frame.capturedLength}`);
  };
  const frames = parseInChunksChecked(parser, data, chunkSizes, checkFrame);
  expect(parser.frames).toBe(frames.length);
  return { frames, anomalies: { ...parser.anomalies }, truncated: parser.truncated, stopped: parser.stopped };
}

function parseInChunksChecked(
  parser: RecordParser,
  data: Uint8Array,
  chunkSizes: readonly number[],
  check: (frame: Frame) => void,
): ReturnType<typeof parseInChunks> {
  const original = parser.push.bind(parser);
  parser.push = (chunk, sink) => original(chunk, (frame) => {
    check(frame);
    sink(frame);
  });
  return parseInChunks(parser, data, chunkSizes);
}

function fuzzParser(name: string, createParser: () => RecordParser, bases: Base[], minimumRecordLength: number): void {
  describe(`${name} under fuzzing (real capture prefixes, mutated, random chunk splits)`, () => {
    it('never throws, stays inside its buffers, gives the same result whole or split, counts sanely (10,000 cases)', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...bases),
          fc.array(mutationArbitrary, { minLength: 0, maxLength: 4 }),
          chunkSizesArbitrary,
          (original, mutations, chunkSizes) => {
            const data = mutate(original, mutations);
            const whole = runChecked(createParser, data, []);
            const split = runChecked(createParser, data, chunkSizes);
            expect(split).toEqual(whole);
            const capturedBytes = whole.frames.reduce((sum, frame) => sum + frame.capturedLength, 0);
            expect(whole.frames.length * minimumRecordLength + capturedBytes).toBeLessThanOrEqual(data.length);
            for (const [name, count] of Object.entries(whole.anomalies)) {
              expect(Number.isInteger(count) && count > 0).toBe(true);
              // skipped_bytes counts bytes, every other anomaly counts events.
              expect(count).toBeLessThanOrEqual(name === CaptureAnomaly.SKIPPED_BYTES ? data.length : data.length / 4 + 1);
            }
            if (data.length === 0) expect(whole.anomalies).toEqual({ [CaptureAnomaly.TRUNCATED_HEADER]: 1 });
          },
        ),
        { numRuns: 10_000 },
      );
    });

    it('on a truncated real capture delivers exactly the complete records before the cut (3,000 cases)', () => {
      fc.assert(
        fc.property(fc.constantFrom(...bases), fc.nat(), chunkSizesArbitrary, (original, cut, chunkSizes) => {
          const length = cut % (original.data.length + 1);
          const outcome = runChecked(createParser, original.data.subarray(0, length), chunkSizes);
          const { ends, isPacket, headerLength } = original.layout;
          const complete = ends.filter((end, index) => end <= length && isPacket[index]).length;
          expect(outcome.frames.length).toBe(complete);
          const atBoundary = length === 0 ? false : length === headerLength || ends.includes(length);
          const expected =
            length < headerLength
              ? { [CaptureAnomaly.TRUNCATED_HEADER]: 1 }
              : atBoundary
                ? {}
                : { [CaptureAnomaly.TRUNCATED_RECORD]: 1 };
          expect(outcome.anomalies).toEqual(expected);
          expect(outcome.truncated).toBe(!atBoundary);
        }),
        { numRuns: 3_000 },
      );
    });

    it('gives identical frames for whole real captures read in random chunk sizes (200 cases)', () => {
      const reference = bases.map((original) => runChecked(createParser, original.data, []));
      for (const outcome of reference) {
        expect(outcome.frames.length).toBeGreaterThan(3);
        expect(outcome.anomalies).toEqual({});
      }
      fc.assert(
        fc.property(fc.integer({ min: 0, max: bases.length - 1 }), chunkSizesArbitrary, (index, chunkSizes) => {
          expect(runChecked(createParser, bases[index].data, chunkSizes)).toEqual(reference[index]);
        }),
        { numRuns: 200 },
      );
    });
  });
}

/** Where record/block i starts in an undamaged base. */
function recordStart(original: Base, index: number, fileHeaderLength: number): number {
  return index === 0 ? fileHeaderLength : original.layout.ends[index - 1];
}

function withUint32(original: Base, position: number, value: number, littleEndian: boolean): Uint8Array {
  const data = new Uint8Array(original.data);
  new DataView(data.buffer).setUint32(position, value, littleEndian);
  return data;
}

const absurdCaplen = fc.integer({ min: MAX_CAPTURED_LENGTH + 1, max: 0xffffffff });

describe('length fields that break framing, aimed at a chosen record', () => {
  /** What a reader that resynchronised over exactly one damaged record counts. */
  const resyncedOver = (cause: string, recordLength: number, last: boolean): Record<string, number> => ({
    [cause]: 1,
    [CaptureAnomaly.DAMAGED_RECORD]: 1,
    [last ? CaptureAnomaly.RESYNC_FAILED : CaptureAnomaly.RESYNC]: 1,
    [CaptureAnomaly.SKIPPED_BYTES]: recordLength,
  });

  it('pcap: an absurd caplen at record k loses only record k, resynchronising at k + 1 (2,000 cases)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...pcapBases), fc.nat(), absurdCaplen, chunkSizesArbitrary, (original, pick, value, chunks) => {
        const index = pick % original.layout.ends.length;
        const littleEndian = original.name !== 'ftp-crack-be';
        const start = recordStart(original, index, 24);
        const data = withUint32(original, start + 8, value, littleEndian);
        const outcome = runChecked(() => new PcapParser(), data, chunks);
        expect(outcome.frames.length).toBe(original.layout.ends.length - 1);
        const last = index === original.layout.ends.length - 1;
        expect(outcome.anomalies).toEqual(resyncedOver(CaptureAnomaly.ABSURD_CAPLEN, original.layout.ends[index] - start, last));
        expect(outcome.stopped).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  const badLength = fc.oneof(
    fc.integer({ min: 0, max: 11 }),
    fc.integer({ min: 3, max: 100_000 }).map((n) => n * 4 + 1 + (n % 3)),
    fc.integer({ min: 16 * 1024 * 1024 + 1, max: 0xffffffff }),
  );

  it('pcapng: a bad length on packet block k loses only that packet, resynchronising at the next block (2,000 cases)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...pcapngBases), fc.nat(), badLength, chunkSizesArbitrary, (original, pick, value, chunks) => {
        const packets = original.layout.isPacket.flatMap((isPacket, index) => (isPacket ? [index] : []));
        const index = packets[pick % packets.length];
        const littleEndian = original.name !== 'arppoison-be';
        const start = recordStart(original, index, 0);
        const data = withUint32(original, start + 4, value, littleEndian);
        const outcome = runChecked(() => new PcapngParser(), data, chunks);
        expect(outcome.frames.length).toBe(packets.length - 1);
        const last = index === original.layout.ends.length - 1;
        expect(outcome.anomalies).toEqual(resyncedOver(CaptureAnomaly.BAD_BLOCK_LENGTH, original.layout.ends[index] - start, last));
      }),
      { numRuns: 2_000 },
    );
  });

  it('pcapng: a bad length on any block k is counted and the packets before it are kept (2,000 cases)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...pcapngBases), fc.nat(), badLength, chunkSizesArbitrary, (original, pick, value, chunks) => {
        const index = 1 + (pick % (original.layout.ends.length - 1));
        const littleEndian = original.name !== 'arppoison-be';
        const data = withUint32(original, recordStart(original, index, 0) + 4, value, littleEndian);
        const outcome = runChecked(() => new PcapngParser(), data, chunks);
        expect(outcome.frames.length).toBeGreaterThanOrEqual(original.layout.isPacket.slice(0, index).filter(Boolean).length);
        expect(outcome.anomalies[CaptureAnomaly.BAD_BLOCK_LENGTH]).toBe(1);
        expect(outcome.anomalies[CaptureAnomaly.DAMAGED_RECORD]).toBe(1);
      }),
      { numRuns: 2_000 },
    );
  });

  it('pcapng: an absurd EPB caplen skips only that packet (2,000 cases)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...pcapngBases), fc.nat(), absurdCaplen, chunkSizesArbitrary, (original, pick, value, chunks) => {
        const packets = original.layout.isPacket.flatMap((isPacket, index) => (isPacket ? [index] : []));
        const index = packets[pick % packets.length];
        const littleEndian = original.name !== 'arppoison-be';
        const data = withUint32(original, recordStart(original, index, 0) + 20, value, littleEndian);
        const outcome = runChecked(() => new PcapngParser(), data, chunks);
        expect(outcome.frames.length).toBe(packets.length - 1);
        expect(outcome.anomalies).toEqual({ [CaptureAnomaly.ABSURD_CAPLEN]: 1, [CaptureAnomaly.DAMAGED_RECORD]: 1 });
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('whole real captures split at random points', () => {
  const files: [string, () => RecordParser, Uint8Array][] = [
    ['ftp-crack.pcap (19,730 frames)', () => new PcapParser(), load('pcaps/ppa-markofu/ftp-crack.pcap.gz')],
    ['http_espn.pcapng', () => new PcapngParser(), load('pcaps/chrissanders-packets/http_espn.pcapng.gz')],
  ];
  it.each(files)('%s gives the frames of a one-piece read (25 random splittings)', (_name, createParser, data) => {
    const reference = runChecked(createParser, data, []);
    expect(reference.anomalies).toEqual({});
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 30 }), (chunkSizes) => {
        expect(runChecked(createParser, data, chunkSizes)).toEqual(reference);
      }),
      { numRuns: 25 },
    );
  });
});

fuzzParser('PcapParser', () => new PcapParser(), pcapBases, 16);
fuzzParser('PcapngParser', () => new PcapngParser(), pcapngBases, 16);
