import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { datasetResolver } from '../../lib/training/catalogueDatasets.ts';

const kddSlice = fileURLToPath(new URL('../../../shared/datasets/nsl-kdd/KDDTrain+_20Percent.txt.gz', import.meta.url));
const kddTest = fileURLToPath(new URL('../../../shared/datasets/nsl-kdd/KDDTest+.txt.gz', import.meta.url));

describe('datasetResolver', () => {
  const catalogue = { get: (id: string) => (id === 'nsl-kdd-import' ? { files: [kddSlice, kddTest] } : undefined) };

  it('expands a catalogue id into its files and keeps plain paths, each file once', async () => {
    expect(await datasetResolver(catalogue)(['nsl-kdd-import', kddSlice])).toEqual([kddSlice, kddTest]);
    expect(await datasetResolver()([kddTest])).toEqual([kddTest]);
  });

  it('refuses an unknown id or a directory with a message that says what to do', async () => {
    await expect(datasetResolver(catalogue)(['unknown-import'])).rejects.toThrow(/unknown-import is neither an imported dataset id nor a file on the server; import it on \/datasets/);
    await expect(datasetResolver()([fileURLToPath(new URL('.', import.meta.url))])).rejects.toThrow(/nor a file/);
  });
});
