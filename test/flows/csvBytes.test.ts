import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isoMicrosTimestamp, javaDouble, javaLong } from '../../lib/flows/cellText.ts';
import {
  ByteLine,
  MAX_NUMBER_CELL_BYTES,
  writeFlowAddress,
  writeIsoMicrosTimestamp,
  writeJavaDouble,
  writeJavaLong,
} from '../../lib/flows/csvBytes.ts';
import { type ByteTextCells, FlowCsvWriter, formatFlowLine } from '../../lib/flows/csvWriter.ts';
import { extractFlowsFromFile } from '../../lib/flows/extractFlows.ts';
import { type FeatureFormat, flowAddressText, formatSession, type TextContext } from '../../lib/flows/featureFormat.ts';
import type { FlowView } from '../../lib/flows/flowView.ts';
import { getFeatureFormat } from '../../lib/flows/featureFormats.ts';
import { sharedDataset } from './collectFlows.ts';

const decoder = new TextDecoder();
const scratch = new Uint8Array(MAX_NUMBER_CELL_BYTES);

function bytesOfDouble(x: number): string {
  return decoder.decode(scratch.subarray(0, writeJavaDouble(scratch, 0, x)));
}

function bytesOfLong(x: number): string {
  return decoder.decode(scratch.subarray(0, writeJavaLong(scratch, 0, x)));
}

/** Values whose bytes differ from javaDouble's / javaLong's text, with both texts (empty when all agree). */
function mismatches(values: readonly number[], long = true): string[] {
  const found: string[] = [];
  for (const x of values) {
    if (bytesOfDouble(x) !== javaDouble(x)) found.push(`double ${x}: ${bytesOfDouble(x)} != ${javaDouble(x)}`);
    if (long && bytesOfLong(x) !== javaLong(x)) found.push(`long ${x}: ${bytesOfLong(x)} != ${javaLong(x)}`);
  }
  return found.slice(0, 10);
}

/** Every numeric cell of a real CSV (the tool's own output and the published datasets). */
function numericCells(relative: string): number[] {
  const text = gunzipSync(readFileSync(sharedDataset(relative))).toString('utf8');
  const values: number[] = [];
  for (const line of text.split('\n').slice(1)) {
    for (const cell of line.split(',')) {
      const value = Number(cell.trim());
      if (cell.trim() !== '' && !Number.isNaN(value)) values.push(value);
    }
  }
  return values;
}

/** Every numeric value the formats fill for a real capture (NaN text columns skipped). */
async function filledValues(capture: string, format: FeatureFormat): Promise<number[]> {
  const values: number[] = [];
  const row = new Float64Array(format.columns.length);
  await extractFlowsFromFile(sharedDataset(capture), format, (flow) => {
    format.fillRow(flow, row);
    for (let c = 0; c < row.length; c++) if (format.columns[c]!.kind !== 'text') values.push(row[c]!);
  });
  return values;
}

const EDGES = [
  0, -0, NaN, Infinity, -Infinity, 1, -1, 9, 10, 99, 100, 9_999_999, 1e7, -1e7, 10_000_001, 2 ** 31 - 1, 2 ** 31, -(2 ** 31),
  -(2 ** 31) - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 2 ** 53 + 2, 1e21, 1e22, 123456789012345680000, 0.001,
  0.000999, -0.001, 9_999_999.5, 1e-7, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 0.1, 0.2 + 0.1, 1 / 3, 2 / 3,
  3.5, -3.5, 2.0824295e7, 1.25e-4,
];

describe('numbers as bytes', () => {
  it('writes every value of the reference CSVs exactly as javaDouble and javaLong spell it', () => {
    const values = [
      ...numericCells('cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap_CIC.csv.gz'),
      ...numericCells('cic-ids2017/generatedlabelledflows-head300/Friday-WorkingHours-Afternoon-DDos.pcap_ISCX.csv.gz'),
      ...numericCells('cic-ids2017/improved-cicids2017-rnd5000/Botnet_736.csv.gz'),
    ];
    expect(values.length).toBeGreaterThan(50_000);
    // The value, its negation and values derived from it (ratios like the formats compute).
    const derived = values.flatMap((x) => [x, -x, x / 7, x * 1e-6, x * 1e9, x + 0.5]);
    expect(mismatches(derived)).toEqual([]);
  });

  it('writes what the formats compute for real captures, again from the fraction cache', async () => {
    for (const [capture, name] of [
      ['pcaps/padmavatisb/portscan.pcap.gz', 'corrected'],
      ['cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz', 'cic2017'],
      ['pcaps/ppa-markofu/ftp-crack.pcap.gz', 'kdd'],
    ] as const) {
      const values = await filledValues(capture, formatSession(getFeatureFormat(name)));
      expect(values.length).toBeGreaterThan(1000);
      // Twice: the second pass reads fractions back from the cache.
      for (let pass = 0; pass < 2; pass++) expect(mismatches(values, false)).toEqual([]);
    }
  });

  it('spells edge values the Java way, whatever the cache holds', () => {
    for (let pass = 0; pass < 2; pass++) {
      for (const x of EDGES) {
        expect(bytesOfDouble(x), String(x)).toBe(javaDouble(x));
        expect(bytesOfLong(x), String(x)).toBe(javaLong(x));
      }
    }
    expect(bytesOfDouble(-0)).toBe('-0.0');
    expect(bytesOfDouble(2.0824295e7)).toBe('2.0824295E7');
    expect(bytesOfDouble(1e7)).toBe('1.0E7');
    expect(bytesOfLong(-(2 ** 31))).toBe('-2147483648');
  });

  it('never returns a cached text for a different value sharing its slot', () => {
    // Tens of thousands of distinct real fractions share the cache's 65,536 slots; a fixed value
    // written between them shows any slot mix-up.
    const fractions = [
      ...numericCells('cic-ids2017/improved-cicids2017-rnd5000/DDoS_5000.csv.gz'),
      ...numericCells('cic-ids2017/improved-cicids2017-rnd5000/BENIGN_5000.csv.gz'),
    ].filter((x) => !Number.isInteger(x) && Math.abs(x) >= 1e-3 && Math.abs(x) < 1e7);
    expect(new Set(fractions).size).toBeGreaterThan(20_000);
    const interleaved = fractions.flatMap((x) => [x, 3.6666666666666665]);
    for (let pass = 0; pass < 2; pass++) expect(mismatches(interleaved, false)).toEqual([]);
  });
});

describe('ByteLine text', () => {
  it('writes ASCII and UTF-8 labels as Buffer does, growing as needed', () => {
    const line = new ByteLine(4);
    const texts = ['NeedManualLabel', 'DoS Hulk – ataque', '', 'Brute Force 🔑', 'x'.repeat(10_000)];
    for (const text of texts) line.text(text);
    expect(Buffer.from(line.bytes.subarray(0, line.length)).toString('utf8')).toBe(texts.join(''));
  });
});

describe('timestamps with the second cached', () => {
  it('prints the same text as a fresh Date for real flow starts, whatever came before', async () => {
    const starts: number[] = [];
    const format = getFeatureFormat('corrected');
    await extractFlowsFromFile(sharedDataset('pcaps/padmavatisb/portscan.pcap.gz'), format, (flow) => starts.push(flow.startUs));
    expect(starts.length).toBeGreaterThan(100);
    const reference = (us: number, offset: number): string => {
      const d = new Date(Math.floor(us / 1000) + offset * 60_000);
      const micros = String(((us % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');
      return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}.${micros}`;
    };
    // Alternate offsets and jump back and forth across seconds so every cache case is met.
    for (let i = 0; i < starts.length; i++) {
      for (const offset of [0, -180, 0, 330]) {
        const us = i % 3 === 0 ? starts[starts.length - 1 - i]! : starts[i]!;
        expect(isoMicrosTimestamp(us, offset)).toBe(reference(us, offset));
      }
    }
  });
});

/** Collects written chunks; `done` runs at once or on the next turn, as a real stream's may. */
function collectingSink(deferDone: boolean): { sink: { write(chunk: Uint8Array, done?: () => void): boolean }; text: () => string; chunks: number } {
  const parts: string[] = [];
  const state = { chunks: 0 };
  return {
    sink: {
      write(chunk, done) {
        parts.push(decoder.decode(chunk));
        state.chunks++;
        if (deferDone) setImmediate(() => done?.());
        else done?.();
        return true;
      },
    },
    text: () => parts.join(''),
    get chunks() {
      return state.chunks;
    },
  };
}

async function referenceCsv(capture: string, format: FeatureFormat, label: string, utcOffsetMinutes: number): Promise<string> {
  const row = new Float64Array(format.columns.length);
  const context = { rowNumber: 0, utcOffsetMinutes, label };
  const lines = [format.headerLine];
  await extractFlowsFromFile(sharedDataset(capture), format, (flow) => {
    context.rowNumber++;
    lines.push(formatFlowLine(format, flow, row, context));
  });
  return `${lines.join('\n')}\n`;
}

describe('FlowCsvWriter bytes', () => {
  for (const [capture, name, label] of [
    ['pcaps/padmavatisb/portscan.pcap.gz', 'corrected', 'NeedManualLabel'],
    ['pcaps/carvalhomariana/synflood.pcap.gz', 'corrected', 'DoS – ñ'],
    ['cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz', 'cic2017', 'BENIGN'],
    ['pcaps/ppa-markofu/ftp-crack.pcap.gz', 'kdd', 'x'.repeat(20_000)],
  ] as const) {
    it(`equals formatFlowLine byte for byte: ${name}, ${capture.split('/').pop()}, label of ${label.length}`, async () => {
      const expected = await referenceCsv(capture, formatSession(getFeatureFormat(name)), label, -180);
      for (const deferDone of [false, true]) {
        const collected = collectingSink(deferDone);
        const writer = new FlowCsvWriter(formatSession(getFeatureFormat(name)), collected.sink, {
          utcOffsetMinutes: -180,
          label,
          flushThreshold: 4096,
        });
        writer.writeHeader();
        await extractFlowsFromFile(sharedDataset(capture), writer.format, (flow) => writer.writeFlow(flow));
        writer.flush();
        expect(collected.chunks).toBeGreaterThan(2);
        expect(collected.text()).toBe(expected);
        expect(writer.rowsWritten).toBe(expected.split('\n').length - 2);
      }
    });
  }
});

describe('FlowCsvWriter backpressure', () => {
  it('waits for drain when the stream is full and not otherwise', async () => {
    const written: Buffer[] = [];
    let release: (() => void) | undefined;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        written.push(Buffer.from(chunk));
        release = callback;
      },
    });
    const writer = new FlowCsvWriter(getFeatureFormat('corrected'), slow, { flushThreshold: 100 });
    await writer.drained(); // nothing written: resolves at once
    writer.writeHeader();
    writer.flush();
    let drained = false;
    const waiting = writer.drained().then(() => {
      drained = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    release!();
    await waiting;
    expect(drained).toBe(true);
    expect(Buffer.concat(written).toString('utf8')).toBe(`${getFeatureFormat('corrected').headerLine}\n`);
  });
});

describe('text cells as bytes', () => {
  it('writes addresses and timestamps as flowAddressText and isoMicrosTimestamp do, for real flows', async () => {
    const line = new ByteLine(64);
    const found: string[] = [];
    let flows = 0;
    for (const capture of ['pcaps/padmavatisb/portscan.pcap.gz', 'pcaps/ppa-markofu/ftp-crack.pcap.gz', 'pcaps/chrissanders-packets/dns_lab.pcapng.gz']) {
      await extractFlowsFromFile(sharedDataset(capture), getFeatureFormat('corrected'), (flow) => {
        flows++;
        for (const side of [0, 1] as const) {
          line.length = 0;
          writeFlowAddress(line, flow, side);
          const text = decoder.decode(line.bytes.subarray(0, line.length));
          if (text !== flowAddressText(flow, side)) found.push(`${text} != ${flowAddressText(flow, side)}`);
        }
        for (const offset of [0, -180]) {
          line.length = 0;
          writeIsoMicrosTimestamp(line, flow.startUs, offset);
          const text = decoder.decode(line.bytes.subarray(0, line.length));
          if (text !== isoMicrosTimestamp(flow.startUs, offset)) found.push(`${text} != ${isoMicrosTimestamp(flow.startUs, offset)}`);
        }
      });
    }
    expect(flows).toBeGreaterThan(500);
    expect(found.slice(0, 10)).toEqual([]);
  });

  it('uses a format\'s writeText when it has one, and the bytes still equal formatFlowLine', async () => {
    // The corrected format's text cells written with the byte helpers, as a format would add them.
    const corrected = getFeatureFormat('corrected');
    let byteCells = 0;
    const withBytes: FeatureFormat & ByteTextCells = {
      ...corrected,
      writeText(flow: FlowView, column: number, context: TextContext, out: ByteLine): void {
        byteCells++;
        if (column === 2 || column === 4) writeFlowAddress(out, flow, column === 2 ? 0 : 1);
        else if (column === 7) writeIsoMicrosTimestamp(out, flow.startUs, context.utcOffsetMinutes);
        else out.text(corrected.text(flow, column, context));
      },
    };
    const capture = 'pcaps/carvalhomariana/synflood.pcap.gz';
    const expected = await referenceCsv(capture, corrected, 'NeedManualLabel', 60);
    const collected = collectingSink(false);
    const writer = new FlowCsvWriter(withBytes, collected.sink, { utcOffsetMinutes: 60, flushThreshold: 8192 });
    writer.writeHeader();
    await extractFlowsFromFile(sharedDataset(capture), withBytes, (flow) => writer.writeFlow(flow));
    writer.flush();
    expect(byteCells).toBe(writer.rowsWritten * 6);
    expect(collected.text()).toBe(expected);
  });
});
