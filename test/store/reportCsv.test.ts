import { Writable } from 'node:stream';
import Papa from 'papaparse';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { csvTextCell } from '../../lib/store/csvCell.ts';
import { insertThreats } from '../../lib/store/insertThreats.ts';
import { openStore } from '../../lib/store/openStore.ts';
import { REPORT_COLUMNS, streamThreatReport } from '../../lib/store/reportCsv.ts';
import { startSession } from '../../lib/store/startSession.ts';
import type { Store } from '../../lib/store/store.ts';
import { attackCaptures } from './attackCaptures.ts';
import { threatsFromCapture } from './realEvents.ts';
import { tempDatabasePath } from './tempStore.ts';

let real: ThreatEvent[];
beforeAll(async () => {
  real = [];
  for (const { capture, label } of attackCaptures) real.push(...(await threatsFromCapture(capture, label)));
});

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
function fileStore(options: Parameters<typeof openStore>[1] = {}): Store {
  const temp = tempDatabasePath();
  const store = openStore(temp.path, options);
  cleanups.push(() => {
    store.close();
    temp.remove();
  });
  return store;
}

/** Collects what is written; `delayMs` > 0 makes it a slow consumer with a small buffer. */
class Collector extends Writable {
  text = '';
  drains = 0;
  maxBuffered = 0;
  constructor(delayMs = 0, highWaterMark = 16_384) {
    super({
      highWaterMark,
      decodeStrings: false,
      write: (chunk: string, _encoding, done) => {
        this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
        this.text += chunk;
        if (delayMs > 0) setTimeout(done, delayMs);
        else done();
      },
    });
    this.on('drain', () => this.drains++);
  }
}

function parse(text: string): string[][] {
  const parsed = Papa.parse<string[]>(text, { newline: '\r\n', skipEmptyLines: false });
  expect(parsed.errors).toEqual([]);
  // The last record ends with CRLF, which papaparse reports as one empty row.
  expect(parsed.data.at(-1)).toEqual(['']);
  return parsed.data.slice(0, -1);
}

/** The report row the spec asks for, written out here from the event (not from our CSV code). */
function expectedRow(e: ThreatEvent): string[] {
  const guard = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
  return [
    new Date(e.time).toISOString(),
    guard(e.sourceIp),
    guard(e.destinationIp),
    String(e.destinationPort),
    guard(e.protocol),
    guard(e.threatType),
    guard(e.category),
    guard(e.severity),
    String(e.confidence),
    guard(e.detector),
    guard(e.modelVersion),
    guard(e.incidentId),
    guard(e.flowId),
    guard(e.summary),
  ];
}

const hostile = [
  "=cmd|' /C calc'!A0",
  '+1',
  '-2',
  '@SUM(1)',
  '\t=1+1',
  '\r=1+1',
  'a,b',
  'say "hi"',
  'two\nlines',
  'crlf\r\ninside',
  '=HYPERLINK("http://x","click, here")',
  '',
];

describe('csvTextCell', () => {
  it('prefixes formula starts with a quote and quotes per RFC 4180', () => {
    expect(csvTextCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(csvTextCell('+1')).toBe("'+1");
    expect(csvTextCell('-2')).toBe("'-2");
    expect(csvTextCell('@SUM(1)')).toBe("'@SUM(1)");
    expect(csvTextCell('\t=1')).toBe("'\t=1");
    expect(csvTextCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvTextCell('a,b')).toBe('"a,b"');
    expect(csvTextCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvTextCell('=1,"2"')).toBe(`"'=1,""2"""`);
    expect(csvTextCell('two\nlines')).toBe('"two\nlines"');
    expect(csvTextCell('10.0.0.1')).toBe('10.0.0.1');
    expect(csvTextCell('fe80::1')).toBe('fe80::1');
    expect(csvTextCell('a=b')).toBe('a=b');
  });
});

describe('streamThreatReport', () => {
  it('writes every threat oldest first; hostile text parses back to the guarded values', async () => {
    const store = fileStore();
    const session = startSession(store, { source: 'replay' });
    const events = real.slice(0, 600).map((e, i) => {
      const cell = hostile[i % hostile.length]!;
      // Hostile text in every free-text column, on top of real addresses, ports and times.
      return i % 3 === 0
        ? { ...e, summary: cell, threatType: cell, detector: cell, flowId: cell, modelVersion: cell }
        : { ...e, summary: `${cell} ${e.summary}` };
    });
    insertThreats(store, session.id, events);
    const out = new Collector();
    const { rows } = await streamThreatReport(store, { sessionId: session.id }, out);
    expect(rows).toBe(events.length);
    const records = parse(out.text);
    expect(records[0]).toEqual([...REPORT_COLUMNS]);
    const oldestFirst = events
      .map((event, order) => ({ event, order }))
      .sort((a, b) => a.event.time - b.event.time || a.order - b.order)
      .map((entry) => expectedRow(entry.event));
    expect(records.slice(1)).toEqual(oldestFirst);
    // No cell a spreadsheet would run: after parsing, nothing starts with a trigger character.
    for (const record of records) for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(out.text.includes('\r\n')).toBe(true);
    expect(out.writableEnded).toBe(true);
  });

  it('filters by session and an inclusive time range', async () => {
    const store = fileStore();
    const a = startSession(store, { source: 'a' });
    const b = startSession(store, { source: 'b' });
    const half = Math.floor(real.length / 2);
    insertThreats(store, a.id, real.slice(0, half));
    insertThreats(store, b.id, real.slice(half));
    const times = real.slice(0, half).map((e) => e.time).sort((x, y) => x - y);
    const from = times[Math.floor(times.length / 4)]!;
    const to = times[Math.floor((3 * times.length) / 4)]!;
    const out = new Collector();
    const { rows } = await streamThreatReport(store, { sessionId: a.id, from, to }, out);
    const expected = real.slice(0, half).filter((e) => e.time >= from && e.time <= to);
    expect(rows).toBe(expected.length);
    expect(parse(out.text).slice(1).map((r) => r[11]).sort()).toEqual(expected.map((e) => e.incidentId).sort());
    const all = new Collector();
    expect((await streamThreatReport(store, {}, all)).rows).toBe(real.length);
    await expect(streamThreatReport(store, { from: 10, to: 5 }, new Collector())).rejects.toThrow(/after "to"/);
    await expect(streamThreatReport(store, { from: Number.NaN }, new Collector())).rejects.toThrow(/time in ms/);
  });

  it('waits for drain with a slow consumer, and the monitor can insert meanwhile (own reader connection, snapshot)', async () => {
    const store = fileStore();
    const session = startSession(store, { source: 'live' });
    insertThreats(store, session.id, real);
    const out = new Collector(2, 4096);
    let insertedDuring = 0;
    out.once('drain', () => {
      // The report's iterator is open on its own connection; the store's stays free.
      insertedDuring = insertThreats(store, session.id, real.slice(0, 50).map((e) => ({ ...e, id: `${e.id}-late` })));
    });
    const { rows } = await streamThreatReport(store, { sessionId: session.id }, out, { chunkChars: 8192 });
    expect(insertedDuring).toBe(50);
    // The report reads one snapshot: rows committed after it started are not in it.
    expect(rows).toBe(real.length);
    expect(parse(out.text)).toHaveLength(real.length + 1);
    expect(out.drains).toBeGreaterThan(10);
    // Never more than one chunk queued beyond the high-water mark.
    expect(out.maxBuffered).toBeLessThan(4096 + 8192 + 1024);
  });

  it('rejects when the destination goes away, and leaves the store usable', async () => {
    const store = fileStore();
    const session = startSession(store, { source: 'live' });
    insertThreats(store, session.id, real);
    const out = new Collector(5, 1024);
    out.once('drain', () => out.destroy());
    await expect(streamThreatReport(store, {}, out, { chunkChars: 4096 })).rejects.toThrow(/closed before the report was complete/);
    expect(insertThreats(store, session.id, [{ ...real[0]!, id: 'after-abort' }])).toBe(1);
  });
});
