import { mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localFiles } from '../../lib/config/fileResolver.ts';
import { PathErrorCode } from '../../lib/config/pathError.ts';
import { ServerPaths } from '../../lib/config/serverPaths.ts';
import { datasetResolver } from '../../lib/training/catalogueDatasets.ts';
import { sharedDataset } from '../sharedDatasets.ts';

const kddSlice = sharedDataset('nsl-kdd/KDDTrain+_20Percent.txt.gz');
const kddTest = sharedDataset('nsl-kdd/KDDTest+.txt.gz');
const sharedRoot = dirname(dirname(kddTest));

describe('datasetResolver', () => {
  const catalogue = { get: (id: string) => (id === 'nsl-kdd-import' ? { files: [kddSlice, kddTest] } : undefined) };

  it('expands a catalogue id into its files and keeps plain paths, each file once', async () => {
    expect(await datasetResolver(catalogue, localFiles)(['nsl-kdd-import', kddSlice])).toEqual([kddSlice, kddTest]);
    expect(await datasetResolver(undefined, localFiles)([kddTest])).toEqual([kddTest]);
    // The server's resolver answers with the real path (shared/ may itself be a link).
    expect(await datasetResolver(catalogue, new ServerPaths([sharedRoot]))([kddTest])).toEqual([realpathSync(kddTest)]);
  });

  it('refuses an unknown id or a directory with a message that says what to do', async () => {
    await expect(datasetResolver(catalogue, localFiles)(['unknown-import'])).rejects.toThrow(/unknown-import is neither an imported dataset id nor a file on the server; import it on \/datasets/);
    await expect(datasetResolver(undefined, localFiles)([fileURLToPath(new URL('.', import.meta.url))])).rejects.toThrow(/is a directory, not a dataset file/);
  });

  it("with the server's folders, refuses a path outside them, a symbolic link out of them and a relative path", async () => {
    const data = mkdtempSync(join(tmpdir(), 'netguard-train-paths-'));
    symlinkSync('/etc', join(data, 'etc-link'));
    const resolve = datasetResolver(catalogue, new ServerPaths([data]));
    for (const path of ['/etc/passwd', join(data, 'etc-link', 'passwd'), kddTest]) {
      await expect(resolve([path])).rejects.toMatchObject({ code: PathErrorCode.PATH_NOT_ALLOWED, message: expect.stringContaining(data) });
    }
    await expect(resolve(['../../etc/passwd'])).rejects.toMatchObject({ code: PathErrorCode.PATH_NOT_ALLOWED, message: expect.stringMatching(/neither an imported dataset id.*relative path/) });
  });
});
