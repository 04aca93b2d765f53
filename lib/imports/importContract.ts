/**
 * What the dataset import page and the server say to each other: the upload route's answer,
 * the '/datasets' Socket.IO namespace events, and the catalogue entry both sides show.
 *
 * HTTP
 *   POST /api/datasets/upload   multipart/form-data, one or more file parts, streamed to disk
 *        201 { upload: StagedUpload }   files stored, format detected (not parsed yet)
 *        413 { error }                  over NETGUARD_UPLOAD_LIMIT_BYTES; nothing kept
 * Socket.IO namespace '/datasets' (client -> server, answered with Ack<T>)
 *   'datasets:list'    -> Ack<CatalogueEntry[]>
 *   'datasets:samples' -> Ack<SampleFile[]>                 shipped samples (repo datasets/)
 *   'datasets:detect'  ImportSource -> Ack<DetectedSource>   the format, before any parsing
 *   'datasets:import'  { requestId, source } -> Ack<CatalogueEntry>   answered when the parse ends;
 *                      'datasets:progress' (ImportProgress with the same requestId) meanwhile
 *   'datasets:remove'  { id } -> Ack<{ id }>
 */

/** Socket.IO acknowledgement of every event, here and on the main namespace (lib/realtime/contract.ts re-exports it). */
export type Ack<T> = { ok: true; data: T } | { ok: false; msg: string };

export const UPLOAD_PATH = '/api/datasets/upload';
export const DATASETS_NAMESPACE = '/datasets';

export interface FileFormatInfo {
  /** File name as stored (or the sample / server path's base name). */
  name: string;
  bytes: number;
  /** Detected dataset format, or null with `error` when the first line matches none. */
  format: string | null;
  variant: string | null;
  columns: number;
  error: string | null;
}

export interface StoredFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface StagedUpload {
  uploadId: string;
  files: StoredFile[];
  detected: FileFormatInfo[];
}

export type ImportSource =
  | { kind: 'upload'; uploadId: string }
  | { kind: 'sample'; name: string }
  /** An absolute path inside the server's allowed folders (lib/config ServerPaths), else refused. */
  | { kind: 'path'; path: string };

export interface DetectedSource {
  files: FileFormatInfo[];
}

export interface SampleFile {
  name: string;
  bytes: number;
}

export interface ImportProgress {
  requestId: string;
  bytesRead: number;
  totalBytes: number;
  /** 0..100, of the on-disk (compressed) bytes. */
  percent: number;
  rows: number;
  rowsPerSecond: number;
  /** Seconds left at the current byte rate, null until it can be estimated. */
  etaSeconds: number | null;
  file: string;
}

export interface RejectedRowSample {
  reason: string;
  file: string;
  line: number;
  column: string | null;
  detail: string;
}

export interface CatalogueEntry {
  id: string;
  name: string;
  source: 'upload' | 'sample' | 'path';
  /** Absolute paths of the files the table was read from. */
  files: string[];
  sourceFormat: string;
  variant: string;
  featureFormat: string | null;
  rows: number;
  columns: number;
  labelCounts: Record<string, number>;
  rowsRejected: number;
  rejectedByReason: Record<string, number>;
  /** The first few rejected rows, over all reasons. */
  rejectedSamples: RejectedRowSample[];
  /** lib/datasets columnar cache (.ngtable) holding the table and its LoadReport. */
  cachePath: string;
  importedAt: number;
  elapsedMs: number;
}

export interface DatasetsClientEvents {
  'datasets:list': (ack: (reply: Ack<CatalogueEntry[]>) => void) => void;
  'datasets:samples': (ack: (reply: Ack<SampleFile[]>) => void) => void;
  'datasets:detect': (source: ImportSource, ack: (reply: Ack<DetectedSource>) => void) => void;
  'datasets:import': (request: { requestId: string; source: ImportSource }, ack: (reply: Ack<CatalogueEntry>) => void) => void;
  'datasets:remove': (request: { id: string }, ack: (reply: Ack<{ id: string }>) => void) => void;
}

export interface DatasetsServerEvents {
  'datasets:progress': (progress: ImportProgress) => void;
}
