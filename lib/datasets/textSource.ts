/**
 * Opens a dataset file as a UTF-8 text stream, gunzipping when the first bytes are the gzip magic
 * (not trusting the extension), and counts raw bytes read for progress reporting.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { DatasetError, DatasetErrorCode } from './errors.ts';

export interface TextSource {
  /** String chunks (setEncoding('utf8')), so a multi-byte character never splits across chunks. */
  text: Readable;
  /** Size of the file on disk (compressed size for .gz). */
  fileBytes: number;
  isGzip: boolean;
  /** Raw bytes read from disk so far. */
  bytesRead(): number;
  /** Stops reading and releases the file. */
  close(): void;
  /** Set when the file or gunzip stream failed; the text stream ends with an error too. */
  failure(): DatasetError | null;
}

export async function openTextSource(path: string): Promise<TextSource> {
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DatasetError(DatasetErrorCode.FILE_NOT_FOUND, `Dataset file not found: ${path}`, { cause });
    throw new DatasetError(DatasetErrorCode.FILE_UNREADABLE, `Cannot read dataset file ${path}: ${String(cause)}`, { cause });
  }
  if (!stat.isFile()) throw new DatasetError(DatasetErrorCode.FILE_UNREADABLE, `Not a regular file: ${path}`);
  if (stat.size === 0) throw new DatasetError(DatasetErrorCode.EMPTY_FILE, `Dataset file is empty (0 bytes): ${path}`);

  const isGzip = await startsWithGzipMagic(path);
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  raw.on('data', (chunk: Buffer | string) => { bytes += chunk.length; });

  let failure: DatasetError | null = null;
  // After close() the premature-close errors of the torn-down pipeline are ours, not the file's.
  let closed = false;
  let text: Readable;
  if (isGzip) {
    const gunzip = createGunzip({ chunkSize: 128 * 1024 });
    const out = new PassThrough();
    // pipeline destroys every stage on error; `out` then ends with the error for the parser.
    pipeline(raw, gunzip, out, (error) => {
      if (!error || failure || closed) return;
      const nodeCode = (error as NodeJS.ErrnoException).code ?? '';
      failure = nodeCode.startsWith('Z_') || /gzip|unexpected end|incorrect header|invalid/i.test(error.message)
        ? new DatasetError(DatasetErrorCode.CORRUPT_GZIP, `Corrupt gzip data in ${path} after ${bytes} bytes: ${error.message}`, { cause: error })
        : new DatasetError(DatasetErrorCode.FILE_UNREADABLE, `Error reading ${path}: ${error.message}`, { cause: error });
    });
    text = out;
  } else {
    raw.on('error', (error) => {
      if (closed) return;
      failure ??= new DatasetError(DatasetErrorCode.FILE_UNREADABLE, `Error reading ${path}: ${error.message}`, { cause: error });
    });
    text = raw;
  }
  text.setEncoding('utf8');

  return {
    text,
    fileBytes: stat.size,
    isGzip,
    bytesRead: () => bytes,
    close: () => {
      closed = true;
      raw.destroy();
      if (text !== raw) text.destroy();
    },
    failure: () => failure,
  };
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await fs.open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * The first non-blank line of a (possibly gzipped) text file, without its line ending; '' if the
 * file has none. Blank lines are skipped because the loader skips them too.
 */
export async function readFirstLine(path: string, maxChars = 1 << 20): Promise<string> {
  const source = await openTextSource(path);
  let buffered = '';
  try {
    for await (const chunk of source.text) {
      buffered += chunk as string;
      for (;;) {
        const end = buffered.search(/\r\n|\n|\r/);
        if (end < 0) break;
        const line = buffered.slice(0, end);
        if (line.trim() !== '') return line;
        buffered = buffered.slice(end + (buffered.startsWith('\r\n', end) ? 2 : 1));
      }
      if (buffered.length > maxChars) return buffered.slice(0, maxChars);
    }
  } catch (cause) {
    throw source.failure() ?? new DatasetError(DatasetErrorCode.FILE_UNREADABLE, `Error reading ${path}: ${String(cause)}`, { cause });
  } finally {
    source.close();
  }
  const failed = source.failure();
  if (failed) throw failed;
  return buffered.trim() === '' ? '' : buffered;
}
