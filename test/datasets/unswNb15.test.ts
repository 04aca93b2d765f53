import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { familyOf, THREAT_CATEGORY_OF_FAMILY } from '../../lib/datasets/families.ts';
import { loadDataset } from '../../lib/datasets/loadDataset.ts';
import { UNSW_TRAINING } from './sharedData.ts';

describe('UNSW-NB15 training-set partition', () => {
  it('BOM header, 82,332 rows, attack_cat counts from SOURCES.md, label/id not features', async () => {
    const raw = gunzipSync(readFileSync(UNSW_TRAINING));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const { table, report } = await loadDataset([UNSW_TRAINING]);
    expect(report.format).toBe('unsw-nb15');
    expect(table.featureFormat).toBeNull();
    expect(report.rows).toBe(82332);
    expect(report.labelCounts).toEqual({
      Normal: 37000, Generic: 18871, Exploits: 11132, Fuzzers: 6062, DoS: 4089, Reconnaissance: 3496,
      Analysis: 677, Backdoor: 583, Shellcode: 378, Worms: 44,
    });
    expect(table.featureNames[0]).toBe('dur');
    expect(table.featureNames).not.toContain('id');
    expect(table.featureNames).not.toContain('label');
    expect(table.featureNames).not.toContain('attack_cat');
    expect(table.featureNames).toHaveLength(42);
    expect(Object.keys(table.categories).sort()).toEqual(['proto', 'service', 'state']);
    // First data row: 1,0.000011,udp,-,INT,...
    expect(table.categories.proto![table.columns[table.featureNames.indexOf('proto')]![0]!]).toBe('udp');
    expect(table.categories.service![table.columns[table.featureNames.indexOf('service')]![0]!]).toBe('-');
    expect(table.categories.state![table.columns[table.featureNames.indexOf('state')]![0]!]).toBe('INT');

    // SOURCES.md: label 0 = 37,000 = the Normal rows; attack_cat is the family as is.
    for (const label of table.labelNames) {
      const family = familyOf(label, 'unsw-nb15');
      expect(family.known, label).toBe(true);
      expect(family.family).toBe(label);
      expect(THREAT_CATEGORY_OF_FAMILY[family.family]).toBeDefined();
    }
  });
});
