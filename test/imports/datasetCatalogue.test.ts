import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ServerPaths } from '../../lib/config/serverPaths.ts';
import { loadColumnarCache } from '../../lib/datasets/columnarCache.ts';
import { DatasetCatalogue } from '../../lib/imports/datasetCatalogue.ts';
import { DatasetImporter, ImportError } from '../../lib/imports/datasetImporter.ts';
import { safeFileName } from '../../lib/imports/fileNames.ts';
import type { ImportProgress } from '../../lib/imports/importContract.ts';
import { SHARED_DATASETS, sharedDataset } from '../sharedDatasets.ts';

const repoDatasets = fileURLToPath(new URL('../../datasets', import.meta.url));
const sharedRoot = SHARED_DATASETS;

describe('safeFileName', () => {
  it('keeps a base name of safe characters, never a path, and makes names unique', () => {
    const taken = new Set<string>();
    expect(safeFileName('../../etc/passwd', taken)).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\KDD Train+.txt', taken)).toBe('KDD_Train+.txt');
    expect(safeFileName('KDD Train+.txt', taken)).toBe('1-KDD_Train+.txt');
    expect(safeFileName('..', taken)).toBe('upload');
    expect(safeFileName('.hidden', taken)).toBe('hidden');
  });
});

describe('DatasetImporter + DatasetCatalogue', () => {
  it('imports a file on the server into a catalogue entry whose columnar cache the trainer can read; survives reopening; remove deletes the folder', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'netguard-catalogue-'));
    const catalogue = await DatasetCatalogue.open(directory);
    const importer = new DatasetImporter({ catalogue, samplesDirectory: repoDatasets, files: new ServerPaths([repoDatasets, sharedRoot]) });
    const progress: Omit<ImportProgress, 'requestId'>[] = [];
    const entry = await importer.import({ kind: 'path', path: sharedDataset('nsl-kdd/KDDTest+.txt.gz') }, (p) => progress.push(p));
    expect(entry.sourceFormat).toBe('nsl-kdd');
    expect(entry.rows).toBe(22_544); // SOURCES.md: KDDTest+ rows
    expect(progress.at(-1)).toMatchObject({ percent: 100, rows: 22_544 });

    const cached = await loadColumnarCache(entry.cachePath);
    expect(cached?.table.rowCount).toBe(entry.rows);
    expect(cached?.report.labelCounts).toEqual(entry.labelCounts);

    const reopened = await DatasetCatalogue.open(directory);
    expect(reopened.get(entry.id)).toEqual(entry);
    expect(await reopened.remove(entry.id)).toBe(true);
    expect(existsSync(entry.cachePath)).toBe(false);
    expect((await DatasetCatalogue.open(directory)).list()).toEqual([]);
    expect(await reopened.remove(entry.id)).toBe(false);
  });

  it('a failed import leaves the catalogue file byte for byte as it was', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'netguard-catalogue-'));
    const catalogue = await DatasetCatalogue.open(directory);
    const importer = new DatasetImporter({ catalogue, samplesDirectory: repoDatasets, files: new ServerPaths([repoDatasets, sharedRoot]) });
    await importer.import({ kind: 'sample', name: 'nsl-kdd/KDDTest+_first500.txt.gz' }, () => undefined);
    const before = readFileSync(join(directory, 'catalogue.json'));
    // Two formats in one upload: NSL-KDD and improved CIC-IDS2017.
    const upload = join(directory, 'u-mixed0-000000000000', 'files');
    mkdirSync(upload, { recursive: true });
    writeFileSync(join(upload, 'a.txt.gz'), readFileSync(sharedDataset('nsl-kdd/KDDTest-21.txt.gz')));
    writeFileSync(join(upload, 'b.csv.gz'), readFileSync(sharedDataset('cic-ids2017/improved-cicids2017-rnd5000/Heartbleed_11.csv.gz')));
    const failure = importer.import({ kind: 'upload', uploadId: 'u-mixed0-000000000000' }, () => undefined);
    await expect(failure).rejects.toBeInstanceOf(ImportError);
    await expect(failure).rejects.toThrow(/a\.txt\.gz|b\.csv\.gz/);
    expect(readFileSync(join(directory, 'catalogue.json'))).toEqual(before);
    expect(existsSync(join(directory, 'u-mixed0-000000000000'))).toBe(false);

    // A staged upload never imported is gone at the next open; catalogued datasets stay.
    const staged = join(directory, 'u-staged0-000000000000', 'files');
    mkdirSync(staged, { recursive: true });
    writeFileSync(join(staged, 'a.txt.gz'), readFileSync(sharedDataset('nsl-kdd/KDDTest-21.txt.gz')));
    const reopened = await DatasetCatalogue.open(directory);
    expect(existsSync(join(directory, 'u-staged0-000000000000'))).toBe(false);
    expect(reopened.list()).toHaveLength(1);
    expect(existsSync(reopened.list()[0]!.cachePath)).toBe(true);
  });
});
