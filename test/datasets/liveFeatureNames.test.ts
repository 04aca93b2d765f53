import { describe, expect, it } from 'vitest';
import { featureFormats } from '../../lib/flows/featureFormats.ts';
import { loadDataset } from '../../lib/datasets/loadDataset.ts';
import { CIC_HEAD300, CIC_IMPROVED, KDD_TRAIN_20 } from './sharedData.ts';

// The point of the naming rules: every feature a CSV-trained model uses is a numeric column the
// live flow engine (lib/flows) writes under the same name.
describe('dataset feature names are live flow-engine column names', () => {
  it.each([
    ['cic2017', CIC_HEAD300],
    ['corrected', CIC_IMPROVED('Heartbleed_11')],
  ] as const)('%s', async (formatName, path) => {
    const { table } = await loadDataset([path]);
    expect(table.featureFormat).toBe(formatName);
    const engine = featureFormats[formatName];
    expect(engine).toBeDefined();
    const kindOf = new Map(engine!.columns.map((column) => [column.name, column.kind]));
    for (const name of table.featureNames) {
      expect(kindOf.has(name), name).toBe(true);
      expect(kindOf.get(name), name).not.toBe('text');
    }
    // And every numeric engine column the dataset has is used (nothing silently dropped).
    const used = new Set(table.featureNames);
    const unusedNumeric = engine!.columns.filter((column) => column.kind !== 'text' && !used.has(column.name)).map((column) => column.name);
    expect(unusedNumeric.every((name) => ['Source Port', 'Src Port', 'id', 'Attempted Category'].includes(name)), unusedNumeric.join(', ')).toBe(true);
  });
});

describe('NSL-KDD feature names are the kdd engine format columns', () => {
  it('every feature is a kdd column; categorical ones are the engine text columns', async () => {
    const { table } = await loadDataset([KDD_TRAIN_20]);
    expect(table.featureFormat).toBe('kdd');
    const kindOf = new Map(featureFormats.kdd!.columns.map((column) => [column.name, column.kind]));
    for (const name of table.featureNames) {
      expect(kindOf.has(name), name).toBe(true);
      expect(kindOf.get(name) === 'text', name).toBe(name in table.categories);
    }
  });
});
