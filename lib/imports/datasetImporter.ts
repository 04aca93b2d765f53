/**
 * Turns an import source (a staged upload, a shipped sample, a file on the server) into a
 * catalogue entry: streaming parse with progress (lib/datasets loadDataset), columnar cache
 * written next to it, summary for the page. A failed import leaves the catalogue and every
 * other dataset as they were, and removes what it created (a failed upload is removed too).
 */
import { promises as fs } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { FileResolver } from '../config/fileResolver.ts';
import { fingerprintSources, saveColumnarCache } from '../datasets/columnarCache.ts';
import { loadDataset, type LoadProgress, type LoadReport } from '../datasets/loadDataset.ts';
import type { DatasetCatalogue } from './datasetCatalogue.ts';
import { ID_PATTERN, newId } from './fileNames.ts';
import { datasetErrorMessage, fileFormatInfo } from './formatInfo.ts';
import type { CatalogueEntry, DetectedSource, ImportProgress, ImportSource, RejectedRowSample, SampleFile } from './importContract.ts';

const SAMPLE_PATTERN = /\.(csv|txt)(\.gz)?$/i;
const PROGRESS_INTERVAL_MS = 250;
const REJECTED_SAMPLES_SHOWN = 8;

export interface DatasetImporterOptions {
  catalogue: DatasetCatalogue;
  /** Shipped samples (the repo's datasets/ folder); CSV/TXT files under it, gzip or not. */
  samplesDirectory: string;
  /** Checks a `{ kind: 'path' }` source before it is read: the server's allowed folders (lib/config). */
  files: FileResolver;
  now?: () => number;
}

interface ResolvedSource {
  kind: CatalogueEntry['source'];
  name: string;
  files: string[];
  /** The dataset's folder id (an upload keeps its own). */
  id: string;
}

export class ImportError extends Error {}

export class DatasetImporter {
  private readonly now: () => number;
  private readonly running = new Set<string>();

  constructor(private readonly options: DatasetImporterOptions) {
    this.now = options.now ?? Date.now;
  }

  async samples(): Promise<SampleFile[]> {
    const found: SampleFile[] = [];
    const walk = async (directory: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(directory, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (SAMPLE_PATTERN.test(entry.name)) found.push({ name: relative(this.options.samplesDirectory, path), bytes: (await fs.stat(path)).size });
      }
    };
    await walk(this.options.samplesDirectory);
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }

  async detect(source: ImportSource): Promise<DetectedSource> {
    const resolved = await this.resolve(source);
    return { files: await Promise.all(resolved.files.map(fileFormatInfo)) };
  }

  async import(source: ImportSource, onProgress: (progress: Omit<ImportProgress, 'requestId'>) => void): Promise<CatalogueEntry> {
    const resolved = await this.resolve(source);
    if (this.running.has(resolved.id)) throw new ImportError('this upload is already being imported');
    this.running.add(resolved.id);
    const directory = this.options.catalogue.entryDirectory(resolved.id);
    const started = this.now();
    let lastSent = 0;
    const progress = (p: LoadProgress, final = false) => {
      const at = this.now();
      if (!final && at - lastSent < PROGRESS_INTERVAL_MS) return;
      lastSent = at;
      const seconds = Math.max((at - started) / 1000, 1e-3);
      const byteRate = p.bytesRead / seconds;
      onProgress({
        bytesRead: p.bytesRead,
        totalBytes: p.totalBytes,
        percent: p.totalBytes > 0 ? Math.min(100, (100 * p.bytesRead) / p.totalBytes) : 100,
        rows: p.rows,
        rowsPerSecond: Math.round(p.rows / seconds),
        etaSeconds: byteRate > 0 && p.bytesRead > 0 ? Math.max(0, (p.totalBytes - p.bytesRead) / byteRate) : null,
        file: basename(p.file),
      });
    };
    try {
      const { table, report } = await loadDataset(resolved.files, { onProgress: (p) => progress(p) });
      const last = report.files.at(-1);
      progress({ bytesRead: report.files.reduce((s, f) => s + f.bytes, 0), totalBytes: report.files.reduce((s, f) => s + f.bytes, 0), rows: report.rows, file: last?.path ?? '' }, true);
      await fs.mkdir(directory, { recursive: true });
      const cachePath = join(directory, 'table.ngtable');
      await saveColumnarCache(cachePath, table, report, await fingerprintSources(resolved.files));
      const entry = summarise(resolved, report, cachePath, this.now());
      await this.options.catalogue.add(entry);
      return entry;
    } catch (error) {
      // A staged upload that cannot be read is of no use to anyone: nothing of it is kept.
      if (this.options.catalogue.get(resolved.id) === undefined) await fs.rm(directory, { recursive: true, force: true });
      throw new ImportError(datasetErrorMessage(error, resolved.files), { cause: error });
    } finally {
      this.running.delete(resolved.id);
    }
  }

  private async resolve(source: ImportSource): Promise<ResolvedSource> {
    if (source.kind === 'upload') {
      if (!ID_PATTERN.test(source.uploadId) || !source.uploadId.startsWith('u-')) throw new ImportError(`unknown upload id "${source.uploadId}"`);
      if (this.options.catalogue.get(source.uploadId) !== undefined) throw new ImportError('this upload is already imported (see the catalogue)');
      const folder = join(this.options.catalogue.entryDirectory(source.uploadId), 'files');
      let names: string[];
      try {
        names = (await fs.readdir(folder)).sort();
      } catch {
        throw new ImportError(`upload ${source.uploadId} is not on the server (removed after a failed import?); upload the files again`);
      }
      if (names.length === 0) throw new ImportError(`upload ${source.uploadId} holds no files`);
      return { kind: 'upload', id: source.uploadId, name: names.join(', '), files: names.map((n) => join(folder, n)) };
    }
    if (source.kind === 'sample') {
      const sample = (await this.samples()).find((s) => s.name === source.name);
      if (sample === undefined) throw new ImportError(`no shipped sample named "${source.name}"`);
      return { kind: 'sample', id: newId('d', this.now()), name: sample.name, files: [join(this.options.samplesDirectory, sample.name)] };
    }
    const path = this.options.files.resolveFile(source.path, 'dataset file');
    return { kind: 'path', id: newId('d', this.now()), name: basename(source.path), files: [path] };
  }
}

function summarise(source: ResolvedSource, report: LoadReport, cachePath: string, now: number): CatalogueEntry {
  const rejectedByReason: Record<string, number> = {};
  const rejectedSamples: RejectedRowSample[] = [];
  for (const [reason, dropped] of Object.entries(report.dropped)) {
    if (dropped === undefined) continue;
    rejectedByReason[reason] = dropped.count;
    for (const sample of dropped.samples) rejectedSamples.push({ reason, file: basename(sample.file), line: sample.line, column: sample.column, detail: sample.detail });
  }
  rejectedSamples.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file.localeCompare(b.file)));
  return {
    id: source.id,
    name: source.name,
    source: source.kind,
    files: source.files,
    sourceFormat: report.format,
    variant: report.variant,
    featureFormat: report.featureFormat,
    rows: report.rows,
    columns: report.columns,
    labelCounts: report.labelCounts,
    rowsRejected: report.rowsDropped,
    rejectedByReason,
    rejectedSamples: rejectedSamples.slice(0, REJECTED_SAMPLES_SHOWN),
    cachePath,
    importedAt: now,
    elapsedMs: report.elapsedMs,
  };
}
