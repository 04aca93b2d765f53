/**
 * POST /api/datasets/upload: multipart files streamed to disk (busboy → sha256/size meter →
 * file), never held whole in memory. Files land in <datasets>/.incoming/<id>/ and move to
 * <datasets>/<id>/files/ only when the whole request arrived under the size limit and every
 * file's format was recognised; an oversize (413), aborted or unrecognised upload is removed.
 * The custom server calls the handler first; it answers false for other paths.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { isAuthorized } from './httpAuth.ts';
import { HttpErrorCode, sendJsonError } from './httpError.ts';
import { newId, safeFileName } from '../imports/fileNames.ts';
import { fileFormatInfo } from '../imports/formatInfo.ts';
import { UPLOAD_PATH, type StagedUpload, type StoredFile } from '../imports/importContract.ts';

export const DEFAULT_UPLOAD_LIMIT_BYTES = 2 * 1024 ** 3;
const MAX_FILES_PER_UPLOAD = 32;

export interface UploadRouteOptions {
  /** <data>/datasets */
  datasetsDirectory: string;
  /** Most file bytes one request may carry (all its files together). */
  limitBytes: number;
  token?: string;
  log?: (line: string) => void;
}

/** NETGUARD_UPLOAD_LIMIT_BYTES, or the default; a bad value is an error a user can act on. */
export function uploadLimitFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.NETGUARD_UPLOAD_LIMIT_BYTES;
  if (raw === undefined || raw === '') return DEFAULT_UPLOAD_LIMIT_BYTES;
  if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1) throw new Error(`NETGUARD_UPLOAD_LIMIT_BYTES must be a positive whole number of bytes, got "${raw}"`);
  return Number(raw);
}

class TooLarge extends Error {}

/** Counts and hashes the bytes going through; fails once the request's total passes the limit. */
class UploadMeter extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;

  constructor(private readonly budget: { used: number; limit: number }) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.budget.used += chunk.length;
    if (this.budget.used > this.budget.limit) {
      callback(new TooLarge());
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }
}

const limitMessage = (limit: number) =>
  `upload larger than the limit of ${limit} bytes (${(limit / 1024 ** 2).toFixed(1)} MiB); set NETGUARD_UPLOAD_LIMIT_BYTES to allow more`;

export function createUploadRoute(options: UploadRouteOptions): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== UPLOAD_PATH) return false;
    void serveUpload(request, response, options).catch((error: Error) => {
      options.log?.(`upload failed: ${error.message}`);
      if (!response.headersSent) sendJsonError(response, 500, HttpErrorCode.INTERNAL, `upload failed: ${error.message}`);
    });
    return true;
  };
}

async function serveUpload(request: IncomingMessage, response: ServerResponse, options: UploadRouteOptions): Promise<void> {
  const refuse = (status: number, code: Parameters<typeof sendJsonError>[2], message: string) => {
    // Read and drop the rest of the body, so the client sees the answer instead of a reset.
    request.resume();
    sendJsonError(response, status, code, message);
  };
  if (request.method !== 'POST') {
    response.setHeader('Allow', 'POST');
    return refuse(405, HttpErrorCode.METHOD_NOT_ALLOWED, `${request.method} is not allowed; use POST with multipart/form-data`);
  }
  if (!isAuthorized(request, options.token)) return refuse(401, HttpErrorCode.UNAUTHORIZED, 'a valid token is required (Authorization: Bearer <token> or ?token=)');
  if (!(request.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    return refuse(400, HttpErrorCode.BAD_REQUEST, 'send the files as multipart/form-data (one part per file)');
  }
  const declared = Number(request.headers['content-length'] ?? NaN);
  // Multipart framing adds a few hundred bytes per part; anything far beyond the limit is refused unread.
  if (Number.isFinite(declared) && declared > options.limitBytes + 64 * 1024) return refuse(413, HttpErrorCode.PAYLOAD_TOO_LARGE, limitMessage(options.limitBytes));

  const uploadId = newId('u');
  const incoming = join(options.datasetsDirectory, '.incoming', uploadId);
  await fs.mkdir(incoming, { recursive: true });
  const removeIncoming = () => fs.rm(incoming, { recursive: true, force: true });

  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: request.headers, limits: { files: MAX_FILES_PER_UPLOAD, fields: 20, fileSize: options.limitBytes + 1 } });
  } catch (error) {
    await removeIncoming();
    return refuse(400, HttpErrorCode.BAD_REQUEST, `not a valid multipart request: ${(error as Error).message}`);
  }

  const budget = { used: 0, limit: options.limitBytes };
  const taken = new Set<string>();
  const writes: Promise<StoredFile>[] = [];
  const streams: { destroy(): unknown }[] = [];
  let tooManyFiles = false;
  let signalTooLarge: () => void = () => undefined;
  const overLimit = new Promise<'too-large'>((resolve) => (signalTooLarge = () => resolve('too-large')));

  parser.on('file', (_field, stream, info) => {
    if (info.filename === undefined || info.filename === '') {
      stream.resume();
      return;
    }
    const name = safeFileName(info.filename, taken);
    const meter = new UploadMeter(budget);
    const out = createWriteStream(join(incoming, name), { flags: 'wx' });
    streams.push(stream, meter, out);
    const write = pipeline(stream, meter, out).then(() => ({ name, bytes: meter.bytes, sha256: meter.hash.digest('hex') }));
    write.catch((error: unknown) => {
      if (error instanceof TooLarge) signalTooLarge();
    });
    writes.push(write);
  });
  parser.on('filesLimit', () => (tooManyFiles = true));

  // The body ends (close), breaks (busboy error), passes the limit, or the client goes away.
  const bodyEnded = new Promise<'ok' | 'aborted' | Error>((resolve) => {
    parser.on('close', () => resolve('ok'));
    parser.on('error', (error: Error) => resolve(error));
    request.on('close', () => {
      if (!request.complete) resolve('aborted');
    });
  });
  request.pipe(parser);
  const ended = await Promise.race([bodyEnded, overLimit]);
  const stopWriting = async () => {
    // The file streams would otherwise wait for bytes that never come.
    request.unpipe(parser);
    for (const stream of streams) stream.destroy();
    await Promise.allSettled(writes);
    await removeIncoming();
  };
  if (ended === 'aborted') {
    await stopWriting();
    options.log?.(`upload ${uploadId} cancelled by the client; removed`);
    return;
  }
  // The body may also end normally just before the meter's refusal is seen: check both.
  const results = ended === 'too-large' ? [] : await Promise.allSettled(writes);
  if (ended === 'too-large' || budget.used > budget.limit || results.some((r) => r.status === 'rejected' && r.reason instanceof TooLarge)) {
    await stopWriting();
    return refuse(413, HttpErrorCode.PAYLOAD_TOO_LARGE, limitMessage(options.limitBytes));
  }
  if (ended instanceof Error) {
    await removeIncoming();
    return refuse(400, HttpErrorCode.BAD_REQUEST, `the upload was cut or malformed: ${ended.message}`);
  }
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) {
    await removeIncoming();
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  if (tooManyFiles) {
    await removeIncoming();
    return refuse(400, HttpErrorCode.BAD_REQUEST, `at most ${MAX_FILES_PER_UPLOAD} files per upload`);
  }
  const files = results.map((r) => (r as PromiseFulfilledResult<StoredFile>).value);
  if (files.length === 0) {
    await removeIncoming();
    return refuse(400, HttpErrorCode.BAD_REQUEST, 'no file in the upload: add at least one file part');
  }

  const detected = await Promise.all(files.map((file) => fileFormatInfo(join(incoming, file.name))));
  const unrecognised = detected.filter((d) => d.error !== null);
  if (unrecognised.length > 0) {
    await removeIncoming();
    // The reasons describe what was expected, never the bytes received (lib/imports/formatInfo.ts).
    const message = unrecognised.map((d) => (d.error!.startsWith(d.name) ? d.error! : `${d.name}: ${d.error}`)).join('; ');
    return refuse(422, HttpErrorCode.UNPROCESSABLE, `not a dataset NetGuard can read (nothing was kept): ${message}`);
  }

  const finalDirectory = join(options.datasetsDirectory, uploadId);
  await fs.mkdir(finalDirectory, { recursive: true });
  await fs.rename(incoming, join(finalDirectory, 'files'));
  const body: { upload: StagedUpload } = { upload: { uploadId, files, detected } };
  const text = JSON.stringify(body);
  response.statusCode = 201;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.end(text);
}
