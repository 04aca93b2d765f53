import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { familyOf } from '../../lib/datasets/families.ts';
import { CIC2017_COLUMNS, CIC2017_IMPROVED_COLUMNS } from '../../lib/datasets/formats.ts';
import { loadDataset } from '../../lib/datasets/loadDataset.ts';
import {
  CIC_HEAD300, CIC_IMPROVED, CIC_IMPROVED_HEADER, CIC_MONDIRKB, CIC_WESTERN, CICFLOWMETER_TEST_CIC, IMPROVED_FILES,
} from './sharedData.ts';

function rawLines(path: string): string[] {
  return gunzipSync(readFileSync(path)).toString('utf8').split(/\r?\n/).filter((line) => line.length > 0);
}

/** Independent count, by plain string splitting, of cells in `column` whose text satisfies `test`. */
function countCells(path: string, column: string, test: (text: string) => boolean, rename = (name: string) => name): number {
  const [header, ...rows] = rawLines(path);
  const index = header!.split(',').map((name) => rename(name.trim())).indexOf(column);
  expect(index).toBeGreaterThanOrEqual(0);
  return rows.filter((row) => test(row.split(',')[index]!)).length;
}

describe('CIC-IDS2017 GeneratedLabelledFlows (85 columns)', () => {
  it('head300: leading spaces trimmed, duplicate Fwd Header Length named ".1", Infinity counted as missing', async () => {
    const header = rawLines(CIC_HEAD300)[0]!;
    expect(header.startsWith('Flow ID, Source IP,')).toBe(true); // the quirk is really there
    expect(header.split(',').filter((name) => name.trim() === 'Fwd Header Length')).toHaveLength(2);

    const { table, report } = await loadDataset([CIC_HEAD300]);
    expect(report.format).toBe('cic2017');
    expect(report.variant).toMatch(/GeneratedLabelledFlows/);
    expect(report.rows).toBe(299);
    expect(report.labelCounts).toEqual({ BENIGN: 299 });
    expect(table.featureFormat).toBe('cic2017');
    // Features are the header names minus identifiers, in file order.
    expect(table.featureNames).toEqual(CIC2017_COLUMNS.filter((name) => !['Flow ID', 'Source IP', 'Source Port', 'Destination IP', 'Timestamp', 'Label'].includes(name)));
    expect(table.featureNames).toContain('Destination Port');
    expect(table.featureNames.every((name) => name === name.trim())).toBe(true);

    // The two copies hold the same values in CIC-IDS2017; check they landed in the right columns.
    const first = table.columns[table.featureNames.indexOf('Fwd Header Length')]!;
    const second = table.columns[table.featureNames.indexOf('Fwd Header Length.1')]!;
    expect(Array.from(second)).toEqual(Array.from(first));

    const infinities = countCells(CIC_HEAD300, 'Flow Bytes/s', (text) => text === 'Infinity');
    expect(infinities).toBeGreaterThan(0);
    expect(report.nonFinite['Flow Bytes/s']).toEqual({ missing: 0, infinite: infinities });
    const bytesPerSecond = table.columns[table.featureNames.indexOf('Flow Bytes/s')]!;
    expect(bytesPerSecond.filter(Number.isNaN)).toHaveLength(infinities);

    const kept = await loadDataset([CIC_HEAD300], { infinity: 'keep' });
    const keptColumn = kept.table.columns[kept.table.featureNames.indexOf('Flow Bytes/s')]!;
    expect(keptColumn.filter((value) => value === Infinity)).toHaveLength(infinities);
    expect(kept.table.infinityAs).toBe('keep');
  });

  it('CICFlowMeter reference output test.pcap_CIC.csv has the same layout: 96 BENIGN flows', async () => {
    expect(rawLines(CICFLOWMETER_TEST_CIC)[0]).toBe(rawLines(CIC_HEAD300)[0]);
    const { table, report } = await loadDataset([CICFLOWMETER_TEST_CIC]);
    expect(report.rows).toBe(96);
    expect(report.labelCounts).toEqual({ BENIGN: 96 });
    const head = await loadDataset([CIC_HEAD300]);
    expect(table.featureNames).toEqual(head.table.featureNames);
  });

  it('mondirkb baselines: counts, stripped header, cp1252 dash labels normalised', async () => {
    const expected = [
      { name: 'ddos', rows: 1000, label: 'DDoS', family: 'DDoS' },
      { name: 'portscan', rows: 1000, label: 'PortScan', family: 'PortScan' },
      { name: 'xss', rows: 652, label: 'Web Attack - XSS', family: 'WebAttack' },
      { name: 'sqli', rows: 21, label: 'Web Attack - Sql Injection', family: 'WebAttack' },
    ] as const;
    for (const { name, rows, label, family } of expected) {
      const { table, report } = await loadDataset([CIC_MONDIRKB(name)]);
      expect(report.rows, name).toBe(rows);
      expect(report.labelCounts, name).toEqual({ [label]: rows });
      expect(familyOf(label, 'cic2017').family).toBe(family);
      expect(table.featureNames).toContain('Fwd Header Length.1');
    }
    // The raw files really carry U+0096 (bytes C2 96) and the report says what was rewritten.
    expect(rawLines(CIC_MONDIRKB('xss'))[1]!.endsWith('Web Attack \u0096 XSS')).toBe(true);
    const { report } = await loadDataset([CIC_MONDIRKB('xss')]);
    expect(report.relabelled).toEqual({ 'Web Attack \u0096 XSS': 'Web Attack - XSS' });
  });

  it('several files of the same layout concatenate; float-written numbers ("52120.0") parse', async () => {
    const paths = (['ddos', 'portscan', 'xss', 'sqli'] as const).map(CIC_MONDIRKB);
    const { table, report } = await loadDataset([...paths, CIC_HEAD300]);
    expect(report.rows).toBe(1000 + 1000 + 652 + 21 + 299);
    expect(report.files.map((file) => file.rowsKept)).toEqual([1000, 1000, 652, 21, 299]);
    expect(report.labelCounts).toEqual({ DDoS: 1000, PortScan: 1000, 'Web Attack - XSS': 652, 'Web Attack - Sql Injection': 21, BENIGN: 299 });
    const port = table.columns[table.featureNames.indexOf('Destination Port')]!;
    expect(port.every((value) => Number.isInteger(value) && value >= 0 && value <= 65535)).toBe(true);
  });
});

describe('CIC-IDS2017 western-oc2 sample (78 columns, no Destination Port)', () => {
  it('maps the columns that exist, counts inf and empty cells, grouped labels', async () => {
    const { table, report } = await loadDataset([CIC_WESTERN]);
    expect(report.format).toBe('cic2017');
    expect(report.rows).toBe(6311);
    expect(report.labelCounts).toEqual({ WebAttack: 2180, Bot: 1966, DoS: 952, BruteForce: 553, PortScan: 397, BENIGN: 227, Infiltration: 36 });
    expect(table.featureNames).toHaveLength(77);
    expect(table.featureNames).not.toContain('Destination Port');
    expect(report.missingColumns).toContain('Destination Port');
    const infinite = countCells(CIC_WESTERN, 'Flow Bytes/s', (text) => text === 'inf');
    const empty = countCells(CIC_WESTERN, 'Flow Bytes/s', (text) => text === '');
    expect(infinite + empty).toBeGreaterThan(0);
    expect(report.nonFinite['Flow Bytes/s']).toEqual({ missing: empty, infinite });
    for (const label of table.labelNames) expect(familyOf(label, 'cic2017').known, label).toBe(true);
  });

  it('refuses to concatenate it with an 85-column file (different feature columns)', async () => {
    await expect(loadDataset([CIC_HEAD300, CIC_WESTERN])).rejects.toMatchObject({ code: 'MIXED_FORMATS', message: expect.stringContaining('Destination Port') });
  });
});

describe('improved CIC-IDS2017 (Engelen et al., 91 columns)', () => {
  it('every sample file: rows and label from SOURCES.md, "corrected" feature names', async () => {
    for (const { name, label, rows } of IMPROVED_FILES) {
      const { table, report } = await loadDataset([CIC_IMPROVED(name)]);
      expect(report.format, name).toBe('cic2017-improved');
      expect(report.labelCounts, name).toEqual({ [label]: rows });
      expect(report.rowsDropped, name).toBe(0);
      expect(table.featureFormat).toBe('corrected');
    }
  });

  it('all 16 files at once: 43,419 rows; identifiers and Attempted Category excluded; families', async () => {
    const progress: number[] = [];
    const { table, report } = await loadDataset(IMPROVED_FILES.map(({ name }) => CIC_IMPROVED(name)), {
      onProgress: (p) => progress.push(p.bytesRead / p.totalBytes),
    });
    expect(report.rows).toBe(43419);
    expect(report.files).toHaveLength(16);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((value, i) => i === 0 || value >= progress[i - 1]!)).toBe(true);

    const reference = rawLines(CIC_IMPROVED_HEADER)[0]!.split(',');
    expect(reference).toEqual([...CIC2017_IMPROVED_COLUMNS]);
    const excluded = ['id', 'Flow ID', 'Src IP', 'Src Port', 'Dst IP', 'Timestamp', 'Label', 'Attempted Category'];
    expect(table.featureNames).toEqual(reference.filter((name) => !excluded.includes(name)));
    expect(report.attemptedLabels).toEqual([]);

    const families = Object.fromEntries(table.labelNames.map((label) => [label, familyOf(label, 'cic2017-improved').family]));
    expect(families).toEqual({
      BENIGN: 'BENIGN', Botnet: 'Botnet', DDoS: 'DDoS', 'DoS GoldenEye': 'DoS', 'DoS Hulk': 'DoS',
      'DoS Slowhttptest': 'DoS', 'DoS Slowloris': 'DoS', 'FTP-Patator': 'BruteForce', Heartbleed: 'Heartbleed',
      'Infiltration - Portscan': 'PortScan', Infiltration: 'Infiltration', Portscan: 'PortScan',
      'SSH-Patator': 'BruteForce', 'Web Attack - Brute Force': 'WebAttack', 'Web Attack - SQL Injection': 'WebAttack',
      'Web Attack - XSS': 'WebAttack',
    });
  });

  it('the header-only reference file is detected but has no rows', async () => {
    await expect(loadDataset([CIC_IMPROVED_HEADER])).rejects.toMatchObject({ code: 'EMPTY_FILE' });
  });

  it('maxRows stops early and says so', async () => {
    const { report } = await loadDataset([CIC_IMPROVED('BENIGN_5000'), CIC_IMPROVED('DDoS_5000')], { maxRows: 1234 });
    expect(report.rows).toBe(1234);
    expect(report.truncated).toBe(true);
    expect(report.files).toHaveLength(1);
  });
});
