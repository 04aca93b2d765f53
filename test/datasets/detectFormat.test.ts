import { describe, expect, it } from 'vitest';
import { canonicalHeader, detectFileFormat } from '../../lib/datasets/detectFormat.ts';
import { DatasetError } from '../../lib/datasets/errors.ts';
import {
  CIC_HEAD300, CIC_IMPROVED, CIC_IMPROVED_HEADER, CIC_MONDIRKB, CIC_WESTERN, CICFLOWMETER_TEST_CIC, CICFLOWMETER_TEST_NEW,
  CICFLOWMETER_TEST_PCAP, KDD_TEST, KDD_TRAIN, UNSW_TRAINING,
} from './sharedData.ts';

describe('detectFileFormat on every shared layout', () => {
  it.each([
    [KDD_TRAIN, 'nsl-kdd', /41 features, label, difficulty/],
    [KDD_TEST, 'nsl-kdd', /41 features/],
    [CIC_HEAD300, 'cic2017', /GeneratedLabelledFlows \(85/],
    [CICFLOWMETER_TEST_CIC, 'cic2017', /GeneratedLabelledFlows \(85/],
    [CIC_MONDIRKB('xss'), 'cic2017', /GeneratedLabelledFlows \(85/],
    [CIC_WESTERN, 'cic2017', /MachineLearningCVE without Destination Port \(78/],
    [CIC_IMPROVED('Heartbleed_11'), 'cic2017-improved', /full \(91/],
    [CIC_IMPROVED_HEADER, 'cic2017-improved', /full \(91/],
    [UNSW_TRAINING, 'unsw-nb15', /full \(45/],
  ] as const)('%s → %s', async (path, format, variant) => {
    const detected = await detectFileFormat(path);
    expect(detected.format).toBe(format);
    expect(detected.variant).toMatch(variant);
  });

  it('the MachineLearningCVE layout (GeneratedLabelledFlows minus six columns, as SOURCES.md derives it)', async () => {
    const { detectFormat } = await import('../../lib/datasets/detectFormat.ts');
    const full = (await detectFileFormat(CIC_HEAD300)).columnNames;
    const omitted = new Set(['Flow ID', 'Source IP', 'Source Port', 'Destination IP', 'Protocol', 'Timestamp']);
    // Re-add the leading spaces and the duplicate name as the original files have them.
    const cveHeader = full.filter((name) => !omitted.has(name)).map((name) => ` ${name.replace(/\.1$/, '')}`);
    expect(cveHeader).toHaveLength(79);
    const detected = detectFormat(cveHeader);
    expect(detected.format).toBe('cic2017');
    expect(detected.variant).toBe('MachineLearningCVE (79 columns)');
    expect(detected.columnNames[0]).toBe('Destination Port');
  });

  it('names the columns it found for an unknown layout (CSE-CIC-IDS2018-style CICFlowMeter output)', async () => {
    const error = await detectFileFormat(CICFLOWMETER_TEST_NEW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).code).toBe('UNKNOWN_FORMAT');
    expect((error as DatasetError).message).toContain('"Src IP"');
    expect((error as DatasetError).message).toContain('84 field(s)');
  });

  it('rejects a pcap (binary) file as an unknown layout', async () => {
    await expect(detectFileFormat(CICFLOWMETER_TEST_PCAP)).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
  });

  it('canonicalHeader trims, drops the BOM and numbers repeated names like pandas', () => {
    expect(canonicalHeader(['\uFEFFid', ' a', 'b ', ' a', 'a'])).toEqual(['id', 'a', 'b', 'a.1', 'a.2']);
  });
});
