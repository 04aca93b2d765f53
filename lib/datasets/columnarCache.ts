/**
 * Columnar cache: a FeatureTable and its LoadReport in one binary file, so repeated training
 * reads raw Float32 blocks instead of re-parsing CSV text.
 *
 * Layout (all little-endian):
 *   0   8 bytes  magic "NGTABLE1"
 *   8   u32      byte length H of the JSON header
 *   12  H bytes  UTF-8 JSON: CacheHeader
 *   ... zero padding to a multiple of 8
 *   D   rowCount × f32 per feature column, in featureNames order
 *       rowCount × i32 label codes
 * The fingerprint in the header ties the cache to the exact source bytes and load options.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { endianness } from 'node:os';
import { DatasetError, DatasetErrorCode } from './errors.ts';
import type { FeatureTable } from './featureTable.ts';
import { loadDataset, type LoadOptions, type LoadReport } from './loadDataset.ts';

const MAGIC = 'NGTABLE1';
const PREFIX_BYTES = 12;
const CACHE_VERSION = 1;
/** Bump when the loader's output for the same bytes changes (cleaning, names, policies). */
export const LOADER_VERSION = 1;

interface CacheHeader {
  version: number;
  fingerprint: string;
  rowCount: number;
  /** Offset of the first column block. */
  dataOffset: number;
  table: Omit<FeatureTable, 'columns' | 'labelCodes'>;
  report: LoadReport;
}

export interface CachedTable {
  table: FeatureTable;
  report: LoadReport;
  fingerprint: string;
}

function assertLittleEndianHost(): void {
  // Blocks are written straight from the typed arrays' memory.
  if (endianness() !== 'LE') throw new DatasetError(DatasetErrorCode.BAD_CACHE, 'The columnar cache needs a little-endian host.');
}

const align8 = (n: number) => (n + 7) & ~7;

/** Writes the cache atomically (temporary file, then rename). */
export async function saveColumnarCache(path: string, table: FeatureTable, report: LoadReport, fingerprint: string): Promise<void> {
  assertLittleEndianHost();
  const { columns, labelCodes, ...tableMeta } = table;
  const headerJson = (dataOffset: number) => Buffer.from(JSON.stringify({
    version: CACHE_VERSION, fingerprint, rowCount: table.rowCount, dataOffset, table: tableMeta, report,
  } satisfies CacheHeader), 'utf8');
  // The offset is inside the JSON, so size it twice: the second pass only changes digits if the
  // first guess crossed a power of ten, and align8 leaves slack for that.
  let dataOffset = align8(PREFIX_BYTES + headerJson(0).length + 16);
  let header = headerJson(dataOffset);
  if (PREFIX_BYTES + header.length > dataOffset) {
    dataOffset = align8(PREFIX_BYTES + header.length + 16);
    header = headerJson(dataOffset);
  }
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(header.length, 8);
  const padding = Buffer.alloc(dataOffset - PREFIX_BYTES - header.length);

  const temporary = `${path}.tmp-${process.pid}`;
  const handle = await fs.open(temporary, 'w');
  try {
    await handle.write(prefix);
    await handle.write(header);
    await handle.write(padding);
    for (const column of columns) {
      if (column.length !== table.rowCount) throw new DatasetError(DatasetErrorCode.BAD_CACHE, `Column length ${column.length} differs from rowCount ${table.rowCount}.`);
      await handle.write(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
    }
    await handle.write(new Uint8Array(labelCodes.buffer, labelCodes.byteOffset, table.rowCount * 4));
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, path);
}

/**
 * Reads a cache file. Returns null when it does not exist or its fingerprint differs from
 * `expectedFingerprint` (stale); throws BAD_CACHE when it exists but is damaged.
 */
export async function loadColumnarCache(path: string, expectedFingerprint?: string): Promise<CachedTable | null> {
  assertLittleEndianHost();
  let handle;
  try {
    handle = await fs.open(path, 'r');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new DatasetError(DatasetErrorCode.FILE_UNREADABLE, `Cannot open cache ${path}: ${String(cause)}`, { cause });
  }
  try {
    const size = (await handle.stat()).size;
    const bad = (why: string) => new DatasetError(DatasetErrorCode.BAD_CACHE, `Columnar cache ${path} is damaged: ${why}. Delete it; it is rebuilt on the next load.`);
    if (size < PREFIX_BYTES) throw bad(`only ${size} bytes`);
    const prefix = Buffer.alloc(PREFIX_BYTES);
    await handle.read(prefix, 0, PREFIX_BYTES, 0);
    if (prefix.toString('latin1', 0, 8) !== MAGIC) throw bad('wrong magic (not a NetGuard table cache)');
    const headerBytes = prefix.readUInt32LE(8);
    if (PREFIX_BYTES + headerBytes > size) throw bad('header runs past the end of the file');
    const headerBuffer = Buffer.alloc(headerBytes);
    await handle.read(headerBuffer, 0, headerBytes, PREFIX_BYTES);
    let header: CacheHeader;
    try {
      header = JSON.parse(headerBuffer.toString('utf8')) as CacheHeader;
    } catch {
      throw bad('header is not valid JSON');
    }
    if (header.version !== CACHE_VERSION) throw bad(`version ${header.version}, expected ${CACHE_VERSION}`);
    if (expectedFingerprint !== undefined && header.fingerprint !== expectedFingerprint) return null;

    const rows = header.rowCount;
    const featureCount = header.table.featureNames.length;
    const expectedSize = header.dataOffset + (featureCount + 1) * rows * 4;
    if (size !== expectedSize) throw bad(`${size} bytes, expected ${expectedSize} for ${rows} rows × ${featureCount} columns`);

    let position = header.dataOffset;
    const readBlock = async <T extends Float32Array | Int32Array>(block: T): Promise<T> => {
      const bytes = new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
      let done = 0;
      while (done < bytes.length) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, position + done);
        if (bytesRead === 0) throw bad('unexpected end of data');
        done += bytesRead;
      }
      position += bytes.length;
      return block;
    };
    const columns: Float32Array[] = [];
    for (let j = 0; j < featureCount; j++) columns.push(await readBlock(new Float32Array(rows)));
    const labelCodes = await readBlock(new Int32Array(rows));
    const labelLimit = header.table.labelNames.length;
    for (let row = 0; row < rows; row++) {
      const code = labelCodes[row]!;
      if (code < 0 || code >= labelLimit) throw bad(`label code ${code} at row ${row} outside 0..${labelLimit - 1}`);
    }
    return { table: { ...header.table, columns, labelCodes }, report: header.report, fingerprint: header.fingerprint };
  } finally {
    await handle.close();
  }
}

/**
 * sha256 over the loader version, the options that change the output, and each source file's
 * length and bytes (as stored, so a .gz is hashed compressed). Paths and mtimes do not count:
 * a copied or touched file keeps its cache.
 */
export async function fingerprintSources(paths: readonly string[], options: LoadOptions = {}): Promise<string> {
  const hash = createHash('sha256');
  const relevant = {
    loader: LOADER_VERSION,
    format: options.format ?? 'auto',
    maxRows: options.maxRows ?? null,
    infinity: options.infinity ?? 'missing',
    categories: options.categories ?? null,
    labelNames: options.labelNames ?? null,
    maxBadRowFraction: options.maxBadRowFraction ?? null,
  };
  hash.update(JSON.stringify(relevant));
  for (const path of paths) {
    let size: number;
    try {
      size = (await fs.stat(path)).size;
    } catch (cause) {
      throw new DatasetError(DatasetErrorCode.FILE_NOT_FOUND, `Dataset file not found: ${path}`, { cause });
    }
    hash.update(`\nfile ${size}\n`);
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

/**
 * loadDataset with a cache file: a cache whose fingerprint matches is read instead of the CSVs;
 * otherwise the CSVs are parsed and the cache (re)written.
 */
export async function loadDatasetCached(
  paths: readonly string[],
  options: LoadOptions & { cachePath: string },
): Promise<CachedTable & { fromCache: boolean }> {
  const { cachePath, ...loadOptions } = options;
  const fingerprint = await fingerprintSources(paths, loadOptions);
  const cached = await loadColumnarCache(cachePath, fingerprint);
  if (cached) return { ...cached, fromCache: true };
  const { table, report } = await loadDataset(paths, loadOptions);
  await saveColumnarCache(cachePath, table, report, fingerprint);
  return { table, report, fingerprint, fromCache: false };
}
