import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CaptureAnomaly } from './anomalies.ts';
import { createParser, detectCaptureFormat } from './captureFormat.ts';
import { CaptureError, CaptureErrorCode, notACaptureFileMessage } from './errors.ts';
import type { FrameSink, PacketSource, SourceStats } from './frame.ts';
import type { RecordParser } from './recordParser.ts';

/** Big chunks amortise the per-chunk cost; a record cut by a chunk edge is the only copy made. */
const CHUNK_SIZE = 1024 * 1024;
const PEEK_LENGTH = 8;

/**
 * Opens a pcap / pcapng file, optionally gzip-compressed (detected by magic, not by name).
 * Nothing is read until run(). run() rejects with a CaptureError when the file is missing,
 * unreadable, empty, not a capture, or corrupt gzip. A file that ends mid-record is not an
 * error: the partial record is counted as `truncated_record` (or a cut gzip stream as
 * `truncated_gzip`) and stats().truncated is set, since captures are often copied while being written.
 */
export function openCaptureFile(path: string, options: CaptureFileOptions = {}): PacketSource {
  return new CaptureFileSource(path, options);
}

export interface CaptureFileOptions {
  /**
   * Awaited after each chunk's frames went to the sink, before the next chunk is read: lets a
   * consumer pace or hand frames on asynchronously while memory stays bounded by one chunk.
   */
  afterChunk?: () => Promise<void>;
}

class CaptureFileSource implements PacketSource {
  readonly description: string;
  private parser: RecordParser | null = null;
  private stream: Readable | null = null;
  private stopRequested = false;
  private readonly extraAnomalies: Record<string, number> = {};
  private gzipTruncated = false;

  constructor(
    private readonly path: string,
    private readonly options: CaptureFileOptions,
  ) {
    this.description = `file:${basename(path)}`;
  }

  async run(sink: FrameSink): Promise<SourceStats> {
    const compressed = (await this.peek(this.path)) === 'gzip';
    const raw = createReadStream(this.path, { highWaterMark: CHUNK_SIZE });
    const stream: Readable = compressed ? raw.pipe(createGunzip({ chunkSize: CHUNK_SIZE })) : raw;
    if (compressed) raw.on('error', (error) => stream.destroy(error));
    this.stream = stream;
    let prefix: Uint8Array = new Uint8Array(0);
    // Parsers never throw, so anything thrown from push() comes from the sink: pass it on untouched.
    let sinkFailure: { error: unknown } | null = null;
    try {
      for await (const piece of stream as AsyncIterable<Buffer>) {
        if (this.stopRequested) break;
        let chunk: Uint8Array = piece;
        if (this.parser === null) {
          // Decide the format from the first decompressed bytes, however small the first chunks are.
          prefix = concat(prefix, chunk);
          if (prefix.length < PEEK_LENGTH) continue;
          this.parser = this.parserFor(prefix);
          chunk = prefix;
        }
        try {
          this.parser.push(chunk, sink);
        } catch (error) {
          sinkFailure = { error };
          break;
        }
        if (this.parser.stopped) break;
        if (this.options.afterChunk !== undefined) {
          try {
            await this.options.afterChunk();
          } catch (error) {
            sinkFailure = { error };
            break;
          }
        }
      }
    } catch (error) {
      this.handleStreamError(error, compressed);
    } finally {
      stream.destroy();
      if (compressed) raw.destroy();
    }
    if (sinkFailure !== null) throw sinkFailure.error;
    if (this.parser === null && !this.stopRequested) {
      if (prefix.length === 0) {
        throw new CaptureError(
          CaptureErrorCode.EMPTY_FILE,
          `capture file is empty${compressed ? ' after decompression' : ''}: ${this.path}`,
        );
      }
      // Shorter than PEEK_LENGTH: a valid magic gets a parser (which counts a truncated header).
      this.parser = this.parserFor(prefix);
      this.parser.push(prefix, sink);
    }
    this.parser?.end();
    return this.stats();
  }

  stop(): void {
    this.stopRequested = true;
    this.parser?.abort();
    this.stream?.destroy();
  }

  stats(): SourceStats {
    const parser = this.parser;
    const anomalies: Record<string, number> = { ...this.extraAnomalies, ...(parser?.anomalies ?? {}) };
    return {
      frames: parser?.frames ?? 0,
      bytes: parser?.bytes ?? 0,
      anomalies,
      truncated: (parser?.truncated ?? false) || this.gzipTruncated,
      ...(parser !== null && parser.firstDamageOffset >= 0 ? { firstDamageOffset: parser.firstDamageOffset } : {}),
    };
  }

  private parserFor(prefix: Uint8Array): RecordParser {
    const format = detectCaptureFormat(prefix);
    if (format === 'pcap' || format === 'pcapng') return createParser(format);
    // The decompressed start of a gzip: its size is not known yet, its bytes are never shown.
    const detail = format === 'gzip' ? 'gzip inside gzip' : 'inside its gzip';
    throw notACaptureFile(this.path, null, detail);
  }

  private handleStreamError(error: unknown, compressed: boolean): void {
    if (error instanceof CaptureError) throw error;
    if (this.stopRequested) return;
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (compressed && code === 'Z_BUF_ERROR') {
      // zlib's "unexpected end of file": the gzip was cut short; keep what was decoded.
      this.gzipTruncated = true;
      this.extraAnomalies[CaptureAnomaly.TRUNCATED_GZIP] = 1;
      return;
    }
    if (compressed && typeof code === 'string' && code.startsWith('Z_')) {
      throw new CaptureError(
        CaptureErrorCode.CORRUPT_GZIP,
        `corrupt gzip data in ${this.path} (${(error as Error).message}); re-download or re-compress the file`,
        { cause: error },
      );
    }
    throw fileError(this.path, error);
  }

  /** Reads the first bytes to choose between gzip and plain, turning open errors into CaptureErrors. */
  private async peek(path: string): Promise<'gzip' | 'plain'> {
    let handle;
    try {
      handle = await open(path, 'r');
      const bytes = new Uint8Array(PEEK_LENGTH);
      const { bytesRead } = await handle.read(bytes, 0, PEEK_LENGTH, 0);
      const head = bytes.subarray(0, bytesRead);
      if (bytesRead === 0) {
        throw new CaptureError(CaptureErrorCode.EMPTY_FILE, `capture file is empty (0 bytes): ${path}`);
      }
      const format = detectCaptureFormat(head);
      if (format === 'gzip') return 'gzip';
      if (format === null) throw notACaptureFile(path, (await handle.stat()).size, null);
      return 'plain';
    } catch (error) {
      if (error instanceof CaptureError) throw error;
      throw fileError(path, error);
    } finally {
      await handle?.close();
    }
  }
}

/** NOT_A_CAPTURE_FILE: what was expected and the size, never the file's own bytes (errors.ts). */
function notACaptureFile(path: string, sizeBytes: number | null, detail: string | null): CaptureError {
  const message = sizeBytes === null
    ? `not a pcap, pcapng or gzip file: ${path} (${detail}) does not start with a capture file's magic number; `
      + 'expected a1b2c3d4/d4c3b2a1 or a1b23c4d/4d3cb2a1 (pcap), 0a0d0d0a (pcapng) or 1f8b (gzip)'
    : notACaptureFileMessage(path, sizeBytes);
  return new CaptureError(CaptureErrorCode.NOT_A_CAPTURE_FILE, message);
}

function fileError(path: string, error: unknown): CaptureError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') {
    return new CaptureError(CaptureErrorCode.FILE_NOT_FOUND, `capture file not found: ${path} (check the path)`, {
      cause: error,
    });
  }
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied; check the file mode or run as a user who can read it'
      : code === 'EISDIR'
        ? 'it is a directory; give a .pcap/.pcapng(.gz) file'
        : (error as Error).message;
  return new CaptureError(CaptureErrorCode.FILE_UNREADABLE, `cannot read capture file ${path}: ${reason}`, {
    cause: error,
  });
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  if (first.length === 0) return second;
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}
