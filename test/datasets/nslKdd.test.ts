import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { familyOf, NSL_KDD_ATTACK_FAMILY } from '../../lib/datasets/families.ts';
import { KDD_FEATURE_NAMES } from '../../lib/datasets/formats.ts';
import { loadDataset } from '../../lib/datasets/loadDataset.ts';
import { KDD_ATTACK_TYPES, KDD_FIELD_NAMES, KDD_TEST, KDD_TEST_21, KDD_TRAIN, KDD_TRAIN_20 } from './sharedData.ts';

// Truth from SOURCES.md (counted independently of this code).
const TRAIN_LABELS: Record<string, number> = {
  normal: 67343, neptune: 41214, satan: 3633, ipsweep: 3599, portsweep: 2931, smurf: 2646, nmap: 1493,
  back: 956, teardrop: 892, warezclient: 890, pod: 201, guess_passwd: 53, buffer_overflow: 30,
  warezmaster: 20, land: 18, imap: 11, rootkit: 10, loadmodule: 9, ftp_write: 8, multihop: 7, phf: 4,
  perl: 3, spy: 2,
};
const SPLITS = [
  { path: KDD_TEST, rows: 22544, labels: 38, normal: 9711 },
  { path: KDD_TEST_21, rows: 11850, labels: 38, normal: 2152 },
  { path: KDD_TRAIN_20, rows: 25192, labels: 22, normal: 13449 },
];

function gunzipText(path: string): string {
  return gunzipSync(readFileSync(path)).toString('utf8');
}

describe('NSL-KDD loading', () => {
  it('KDDTrain+: rows, every label count, 41 named features, categorical dictionaries; speed', async () => {
    const { table, report } = await loadDataset([KDD_TRAIN]);
    expect(report.format).toBe('nsl-kdd');
    expect(table.featureFormat).toBe('kdd');
    expect(report.rows).toBe(125973);
    expect(table.rowCount).toBe(125973);
    expect(report.rowsDropped).toBe(0);
    expect(report.labelCounts).toEqual(TRAIN_LABELS);

    const fieldNames = gunzipText(KDD_FIELD_NAMES).split(/\r?\n/).filter(Boolean).map((line) => line.split(',')[0]);
    expect(table.featureNames).toEqual(fieldNames);
    expect(table.featureNames).toEqual([...KDD_FEATURE_NAMES]);
    expect(report.excludedColumns).toEqual(['label', 'difficulty']);

    expect([...table.categories.protocol_type!].sort()).toEqual(['icmp', 'tcp', 'udp']);
    // First row of the file: 0,tcp,ftp_data,SF,491,0,...,normal,20 — first-seen order gives code 0.
    const proto = table.featureNames.indexOf('protocol_type');
    const service = table.featureNames.indexOf('service');
    const srcBytes = table.featureNames.indexOf('src_bytes');
    expect(table.categories.protocol_type![table.columns[proto]![0]!]).toBe('tcp');
    expect(table.categories.service![table.columns[service]![0]!]).toBe('ftp_data');
    expect(table.columns[srcBytes]![0]).toBe(491);
    expect(table.labelNames[table.labelCodes[0]!]).toBe('normal');
    // Every categorical column holds an integer code of its dictionary.
    for (const name of ['protocol_type', 'service', 'flag']) {
      const column = table.columns[table.featureNames.indexOf(name)]!;
      const size = table.categories[name]!.length;
      expect(column.every((code) => Number.isInteger(code) && code >= 0 && code < size)).toBe(true);
    }

    // Warm run for the speed figure (the first pays for JIT compilation).
    const warm = await loadDataset([KDD_TRAIN]);
    console.log(`KDDTrain+ load: cold ${Math.round(report.rowsPerSecond)} rows/s (${report.elapsedMs.toFixed(0)} ms), `
      + `warm ${Math.round(warm.report.rowsPerSecond)} rows/s (${warm.report.elapsedMs.toFixed(0)} ms)`);
    // A floor for pathological regressions only: the box is shared and timings swing 3×.
    expect(warm.report.rowsPerSecond).toBeGreaterThan(10_000);
  });

  it.each(SPLITS)('$path: row count, label count, normal/attack split', async ({ path, rows, labels, normal }) => {
    const { report } = await loadDataset([path]);
    expect(report.rows).toBe(rows);
    expect(Object.keys(report.labelCounts)).toHaveLength(labels);
    expect(report.labelCounts.normal).toBe(normal);
    expect(report.rowsDropped).toBe(0);
  });

  it('every label in every shared NSL-KDD file belongs to a family', async () => {
    const seen = new Set<string>();
    for (const path of [KDD_TRAIN, ...SPLITS.map((split) => split.path)]) {
      const { table } = await loadDataset([path]);
      for (const label of table.labelNames) seen.add(label);
    }
    expect(seen.size).toBe(40); // normal + 39 attack names
    for (const label of seen) {
      const family = familyOf(label, 'nsl-kdd');
      expect(family.known, label).toBe(true);
      expect(['normal', 'DoS', 'Probe', 'R2L', 'U2R']).toContain(family.family);
    }
    expect(Object.keys(NSL_KDD_ATTACK_FAMILY)).toHaveLength(39);
  });

  it('agrees with the dataset\'s own "Attack Types.csv" for every attack it lists', () => {
    // CR-only line endings in that file.
    const lines = gunzipText(KDD_ATTACK_TYPES).split(/\r\n|\r|\n/).filter(Boolean);
    const listed = lines.map((line) => line.split(',') as [string, string]).filter(([name]) => name !== 'normal' && name !== 'unknown');
    expect(listed).toHaveLength(22);
    const classNames: Record<string, string> = { dos: 'DoS', probe: 'Probe', r2l: 'R2L', u2r: 'U2R' };
    for (const [attack, attackClass] of listed) expect(familyOf(attack, 'nsl-kdd').family, attack).toBe(classNames[attackClass.trim()]);
  });

  it('test-set codes can follow the training set\'s dictionaries (seeded), so one model reads both', async () => {
    const train = await loadDataset([KDD_TRAIN]);
    const plain = await loadDataset([KDD_TEST]);
    const seeded = await loadDataset([KDD_TEST], { categories: train.table.categories, labelNames: train.table.labelNames });
    for (const name of ['protocol_type', 'service', 'flag']) {
      const trainDictionary = train.table.categories[name]!;
      expect(seeded.table.categories[name]!.slice(0, trainDictionary.length)).toEqual(trainDictionary);
      const j = seeded.table.featureNames.indexOf(name);
      // Same strings behind the codes, row by row, whichever dictionary was used.
      for (let row = 0; row < seeded.table.rowCount; row += 97) {
        expect(seeded.table.categories[name]![seeded.table.columns[j]![row]!]).toBe(plain.table.categories[name]![plain.table.columns[j]![row]!]);
      }
    }
    expect(seeded.table.labelNames.slice(0, train.table.labelNames.length)).toEqual(train.table.labelNames);
    expect(seeded.report.labelCounts).toEqual(plain.report.labelCounts);
  });
});
