import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../lib/datasets/errors.ts';
import { loadDataset } from '../../lib/datasets/loadDataset.ts';
import { CIC_MONDIRKB, CICFLOWMETER_TEST_PCAP, KDD_TRAIN, UNSW_TRAINING } from './sharedData.ts';

// Every corrupted file below is made from real rows of the shared datasets, mutated in a temp dir.
const dir = mkdtempSync(join(tmpdir(), 'netguard-datasets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const realLines = (path: string, count: number) => gunzipSync(readFileSync(path)).toString('utf8').split('\n').slice(0, count);
const kddLines = realLines(KDD_TRAIN, 200);
const xssLines = realLines(CIC_MONDIRKB('xss'), 101); // header + 100 rows

function write(name: string, lines: string[] | string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, Array.isArray(lines) ? `${lines.join('\n')}\n` : lines);
  return path;
}

async function loadError(paths: string[], options = {}): Promise<DatasetError> {
  const error = await loadDataset(paths, options).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetError);
  return error as DatasetError;
}

describe('a few bad rows are dropped and reported with line and column', () => {
  it('NSL-KDD: a short row and a text value in a numeric column', async () => {
    const lines = [...kddLines];
    lines[4] = lines[4]!.split(',').slice(0, -1).join(','); // line 5: 42 fields
    const fields = lines[6]!.split(',');
    fields[4] = 'abc'; // line 7: src_bytes
    lines[6] = fields.join(',');
    const { report } = await loadDataset([write('kdd-two-bad.txt', lines)]);
    expect(report.rows).toBe(198);
    expect(report.rowsDropped).toBe(2);
    expect(report.dropped['wrong-field-count']).toEqual({ count: 1, samples: [expect.objectContaining({ line: 5, column: null, detail: '42 fields, expected 43' })] });
    expect(report.dropped['non-numeric-value']).toEqual({ count: 1, samples: [expect.objectContaining({ line: 7, column: 'src_bytes', detail: expect.stringContaining('"abc"') })] });
    expect(report.files[0]).toMatchObject({ rowsRead: 200, rowsKept: 198, rowsDropped: 2 });
  });

  it('CIC: binary garbage line, repeated header, empty label, text in Flow Duration', async () => {
    const lines = [...xssLines];
    // 300 bytes of the real test.pcap, separators neutralised so it is exactly one line.
    const garbage = gunzipSync(readFileSync(CICFLOWMETER_TEST_PCAP)).subarray(0, 300).map((byte) => (byte === 0x0a || byte === 0x0d || byte === 0x2c ? 0 : byte));
    lines.splice(11, 0, Buffer.from(garbage).toString('latin1')); // becomes line 12
    lines.splice(40, 0, lines[0]!); // line 41: header repeated (concatenated daily files do this)
    const withEmptyLabel = lines[60]!.split(',');
    withEmptyLabel[withEmptyLabel.length - 1] = ' ';
    lines[60] = withEmptyLabel.join(','); // line 61
    const withText = lines[80]!.split(',');
    withText[7] = '12x34'; // Flow Duration, line 81
    lines[80] = withText.join(',');
    const { report } = await loadDataset([write('cic-bad.csv', lines)]);
    expect(report.rows).toBe(100 - 2);
    expect(report.rowsDropped).toBe(4);
    expect(report.dropped['wrong-field-count']?.samples[0]).toMatchObject({ line: 12, column: null });
    expect(report.dropped['repeated-header']?.samples[0]).toMatchObject({ line: 41 });
    expect(report.dropped['missing-label']?.samples[0]).toMatchObject({ line: 61, column: 'Label' });
    expect(report.dropped['non-numeric-value']?.samples[0]).toMatchObject({ line: 81, column: 'Flow Duration', detail: expect.stringContaining('"12x34"') });
  });

  it('a dropped row adds no label and no category value', async () => {
    const lines = [...kddLines];
    const fields = lines[9]!.split(',');
    fields[2] = 'service_from_a_bad_row';
    fields[4] = '1.2.3'; // invalid src_bytes: the row is dropped
    fields[41] = 'label_from_a_bad_row';
    lines[9] = fields.join(',');
    const { table, report } = await loadDataset([write('kdd-bad-row-new-values.txt', lines)]);
    expect(report.rowsDropped).toBe(1);
    expect(table.labelNames).not.toContain('label_from_a_bad_row');
    expect(table.categories.service).not.toContain('service_from_a_bad_row');
    expect(Object.values(report.labelCounts).every((n) => n > 0)).toBe(true);
    expect(table.labelNames).toHaveLength(Object.keys(report.labelCounts).length);
  });
});

describe('errors a user must fix', () => {
  it('too many bad rows: the error names the first bad line and its column', async () => {
    const lines = kddLines.map((line, index) => {
      if (index < 20 || index % 5 !== 0) return line;
      const fields = line.split(',');
      fields[22] = 'n/a?'; // count
      return fields.join(',');
    });
    const error = await loadError([write('kdd-many-bad.txt', lines)]);
    expect(error.code).toBe('TOO_MANY_BAD_ROWS');
    expect(error.message).toContain('line 21');
    expect(error.message).toContain('column "count"');
    expect(error.message).toContain('36 of 200');
  });

  it('garbage deep in a large file fails while reading, before the end', async () => {
    const rows = realLines(KDD_TRAIN, 3000).map((line, index) => (index >= 500 && index % 20 === 0 ? line.replace(',tcp,', ',tcp,,') : line));
    const error = await loadError([write('kdd-garbage-later.txt', rows)]);
    expect(error.code).toBe('TOO_MANY_BAD_ROWS');
    expect(error.message).toContain('read so far');
    expect(error.message).toMatch(/First: line 501: 44 fields, expected 43/);
  });

  it('with several files, the error names the broken file\'s own first bad line', async () => {
    const fewBad = kddLines.map((line, index) => (index % 40 === 3 ? line.replace(',tcp,', ',tcp,,') : line)); // 5 bad, tolerated
    const hit = (line: string, index: number) => index % 4 === 2 && /,normal,\d+$/.test(line);
    const manyBad = kddLines.map((line, index) => (hit(line, index) ? line.replace(/,normal,\d+$/, ',normal') : line));
    const firstLine = kddLines.findIndex(hit) + 1;
    const error = await loadError([write('kdd-few-bad.txt', fewBad), write('kdd-many-bad-2.txt', manyBad)]);
    expect(error.code).toBe('TOO_MANY_BAD_ROWS');
    expect(error.message).toContain('kdd-many-bad-2.txt');
    expect(error.message).toContain(`First: line ${firstLine}: 42 fields, expected 43`);
    expect(error.message).toContain('(wrong-field-count ');
  });

  it('a renamed header column: unknown layout, naming the column', async () => {
    const lines = [...xssLines];
    lines[0] = lines[0]!.replace('Flow Bytes/s', 'Flow Byte/s');
    const error = await loadError([write('cic-bad-header.csv', lines)]);
    expect(error.code).toBe('UNKNOWN_FORMAT');
    expect(error.message).toContain('"Flow Byte/s"');
    expect(error.message).toContain('line 1');
  });

  it('binary garbage as the whole file', async () => {
    const error = await loadError([write('garbage.csv', gunzipSync(readFileSync(CICFLOWMETER_TEST_PCAP)).subarray(0, 65536))]);
    expect(error.code).toBe('UNKNOWN_FORMAT');
  });

  it('empty files: 0 bytes, blank lines only, gzip of nothing', async () => {
    expect((await loadError([write('empty.csv', '')])).code).toBe('EMPTY_FILE');
    expect((await loadError([write('blank.csv', '\n\n\r\n')])).code).toBe('EMPTY_FILE');
    expect((await loadError([write('empty.csv.gz', gzipSync(Buffer.alloc(0)))])).code).toBe('EMPTY_FILE');
  });

  it('a truncated gzip file', async () => {
    const original = readFileSync(CIC_MONDIRKB('ddos'));
    const error = await loadError([write('truncated.csv.gz', original.subarray(0, Math.floor(original.length / 2)))]);
    expect(error.code).toBe('CORRUPT_GZIP');
    expect(error.message).toContain('truncated.csv.gz');
  });

  it('blank lines before the header are skipped, and line numbers still count them', async () => {
    const lines = ['', '  ', ...xssLines];
    const fields = lines[5]!.split(',');
    fields[8] = 'bad'; // Total Fwd Packets, physical line 6
    lines[5] = fields.join(',');
    const { report } = await loadDataset([write('leading-blank.csv', lines)]);
    expect(report.rows).toBe(99);
    expect(report.dropped['non-numeric-value']?.samples[0]).toMatchObject({ line: 6, column: 'Total Fwd Packets' });
  });

  it('out-of-range options are refused', async () => {
    expect((await loadError([KDD_TRAIN], { maxRows: 0 })).code).toBe('INVALID_OPTION');
    expect((await loadError([KDD_TRAIN], { maxBadRowFraction: 2 })).code).toBe('INVALID_OPTION');
  });

  it('gzip is detected by content, not by name', async () => {
    const { report } = await loadDataset([write('no-extension', readFileSync(CIC_MONDIRKB('sqli')))]);
    expect(report.rows).toBe(21);
    expect(report.files[0]!.gzip).toBe(true);
  });

  it('missing file, mixed formats, forced format', async () => {
    expect((await loadError([join(dir, 'nope.csv')])).code).toBe('FILE_NOT_FOUND');
    const mixed = await loadError([KDD_TRAIN, UNSW_TRAINING], { maxRows: 500_000 });
    expect(mixed.code).toBe('MIXED_FORMATS');
    expect((await loadError([CIC_MONDIRKB('sqli')], { format: 'unsw-nb15' })).code).toBe('FORMAT_MISMATCH');
  });
});

describe('formatLoadReport', () => {
  it('names drop reasons with file:line [column] and the relabelled spellings', async () => {
    const { formatLoadReport } = await import('../../lib/datasets/formatLoadReport.ts');
    const lines = [...xssLines];
    const fields = lines[3]!.split(',');
    fields[20] = 'oops'; // Flow Bytes/s, line 4
    lines[3] = fields.join(',');
    const path = write('xss-one-bad.csv', lines);
    const { report } = await loadDataset([path]);
    const text = formatLoadReport(report);
    expect(text).toContain(`non-numeric-value: 1 (first: ${path}:4 [Flow Bytes/s] "oops" is not a number (field 21))`);
    expect(text).toContain('relabelled "Web Attack \u0096 XSS" → "Web Attack - XSS"');
    expect(text).toMatch(/Web Attack - XSS\s+99\s+100\.00%/);
  });
});
