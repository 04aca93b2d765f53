/**
 * The imported datasets, kept in <data>/datasets/catalogue.json: each entry's summary and the
 * columnar cache the trainer reads (loadColumnarCache(entry.cachePath)). Writes go through a
 * temporary file and a rename, one at a time, so a crash never leaves half a catalogue.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ID_PATTERN } from './fileNames.ts';
import type { CatalogueEntry } from './importContract.ts';

export const CATALOGUE_FILE = 'catalogue.json';

interface CatalogueFile {
  version: 1;
  datasets: CatalogueEntry[];
}

export class DatasetCatalogue {
  private entries: CatalogueEntry[];
  private writing: Promise<void> = Promise.resolve();

  private constructor(readonly directory: string, entries: CatalogueEntry[]) {
    this.entries = entries;
  }

  /** Opens (or starts) the catalogue of `directory` (<data>/datasets). */
  static async open(directory: string): Promise<DatasetCatalogue> {
    await fs.mkdir(directory, { recursive: true });
    // Uploads a previous process was receiving when it died are incomplete by definition.
    await fs.rm(join(directory, '.incoming'), { recursive: true, force: true });
    let entries: CatalogueEntry[] = [];
    try {
      const parsed = JSON.parse(await fs.readFile(join(directory, CATALOGUE_FILE), 'utf8')) as Partial<CatalogueFile>;
      if (Array.isArray(parsed.datasets)) entries = parsed.datasets;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`cannot read ${join(directory, CATALOGUE_FILE)}: ${(error as Error).message}; fix or remove the file`);
      }
    }
    // Folders no entry names are uploads a previous process staged but never imported (or an
    // import it died in): nobody can reach them any more.
    const known = new Set(entries.map((entry) => entry.id));
    for (const name of await fs.readdir(directory)) {
      if (ID_PATTERN.test(name) && !known.has(name)) await fs.rm(join(directory, name), { recursive: true, force: true });
    }
    return new DatasetCatalogue(directory, entries);
  }

  /** Newest first. */
  list(): CatalogueEntry[] {
    return [...this.entries].sort((a, b) => b.importedAt - a.importedAt);
  }

  get(id: string): CatalogueEntry | undefined {
    return this.entries.find((entry) => entry.id === id);
  }

  /** The folder holding one dataset's cache (and its uploaded files). */
  entryDirectory(id: string): string {
    return join(this.directory, id);
  }

  async add(entry: CatalogueEntry): Promise<void> {
    this.entries = [...this.entries.filter((e) => e.id !== entry.id), entry];
    await this.save();
  }

  /** Drops the entry and its folder (cache and uploaded files); false when there is none. */
  async remove(id: string): Promise<boolean> {
    if (this.get(id) === undefined) return false;
    this.entries = this.entries.filter((entry) => entry.id !== id);
    await this.save();
    await fs.rm(this.entryDirectory(id), { recursive: true, force: true });
    return true;
  }

  private save(): Promise<void> {
    const body: CatalogueFile = { version: 1, datasets: this.entries };
    const text = JSON.stringify(body, null, 2);
    const target = join(this.directory, CATALOGUE_FILE);
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        const temporary = `${target}.${process.pid}.tmp`;
        await fs.writeFile(temporary, text);
        await fs.rename(temporary, target);
      });
    return this.writing;
  }
}
