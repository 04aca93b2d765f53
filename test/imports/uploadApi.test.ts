import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, CatalogueEntry, DatasetsClientEvents, DatasetsServerEvents, DetectedSource, ImportProgress, StagedUpload } from '../../lib/imports/importContract.ts';
import { type RunningServer, samplesDirectory, sharedDataset, startServer, waitFor } from '../server/serverProcess.ts';

const NSL_20 = sharedDataset('nsl-kdd/KDDTrain+_20Percent.txt.gz');
const CIC_BOTNET = sharedDataset('cic-ids2017/improved-cicids2017-rnd5000/Botnet_736.csv.gz');
const LIMIT = 1_000_000; // above each real file, below three copies of KDDTrain+ 20% (410 KB)

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function upload(url: string, files: { name: string; bytes: Buffer }[]): Promise<{ status: number; body: { upload?: StagedUpload; error?: { message: string; code: string; status: number } } }> {
  const form = new FormData();
  for (const file of files) form.append('files', new Blob([new Uint8Array(file.bytes)]), file.name);
  const response = await fetch(`${url}/api/datasets/upload`, { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as never };
}

/** A multipart body sent chunked (no Content-Length), so the server must count while streaming. */
function chunkedUpload(url: string, name: string, bytes: Buffer, options: { abortAfter?: number } = {}): Promise<{ status: number; text: string } | 'aborted'> {
  const boundary = '----netguardtest';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/api/datasets/upload`, { method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', (error) => (options.abortAfter !== undefined ? resolve('aborted') : reject(error)));
    req.write(head);
    const step = 16 * 1024;
    let offset = 0;
    const pump = () => {
      if (options.abortAfter !== undefined && offset >= options.abortAfter) {
        req.destroy();
        resolve('aborted');
        return;
      }
      if (offset >= bytes.length) {
        req.end(tail);
        return;
      }
      const ok = req.write(bytes.subarray(offset, offset + step));
      offset += step;
      if (ok) setTimeout(pump, 2);
      else req.once('drain', pump);
    };
    pump();
  });
}

/** Dataset folders the server holds (anything but the catalogue), and what is mid-upload. */
function leftovers(dataDir: string): { datasets: string[]; incoming: string[] } {
  const root = join(dataDir, 'datasets');
  const datasets = readdirSync(root).filter((n) => n !== 'catalogue.json' && n !== '.incoming');
  let incoming: string[] = [];
  try {
    incoming = readdirSync(join(root, '.incoming'));
  } catch {
    /* none yet */
  }
  return { datasets, incoming };
}

type DatasetsSocket = Socket<DatasetsServerEvents, DatasetsClientEvents>;

describe('dataset upload API (server child process)', () => {
  let server: RunningServer;
  let socket: DatasetsSocket;
  const nsl = readFileSync(NSL_20);
  const botnet = readFileSync(CIC_BOTNET);

  beforeAll(async () => {
    expect(nsl.length).toBeLessThan(LIMIT);
    server = await startServer({ samplesDir: samplesDirectory([]), env: { NETGUARD_UPLOAD_LIMIT_BYTES: String(LIMIT) } });
    socket = io(`${server.url}/datasets`, { transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
  }, 90_000);

  afterAll(async () => {
    socket?.disconnect();
    await server?.stop();
  });

  const importUpload = (uploadId: string, progress: ImportProgress[] = []) =>
    new Promise<Ack<CatalogueEntry>>((resolve) => {
      const requestId = `r-${uploadId}`;
      const onProgress = (p: ImportProgress) => p.requestId === requestId && progress.push(p);
      socket.on('datasets:progress', onProgress);
      socket.emit('datasets:import', { requestId, source: { kind: 'upload', uploadId } }, (reply) => {
        socket.off('datasets:progress', onProgress);
        resolve(reply);
      });
    });

  it('refuses an upload over NETGUARD_UPLOAD_LIMIT_BYTES with 413 and keeps nothing, declared or streamed', async () => {
    const tooBig = Buffer.concat([nsl, nsl, nsl]); // real bytes, 3 × 410 KB > 1 MB
    expect(tooBig.length).toBeGreaterThan(LIMIT);
    const declared = await upload(server.url, [{ name: 'KDDTrain+_20Percent.txt.gz', bytes: tooBig }]);
    expect(declared.status).toBe(413);
    expect(declared.body.error).toMatchObject({ code: 'payload_too_large', status: 413 });
    expect(declared.body.error!.message).toMatch(/NETGUARD_UPLOAD_LIMIT_BYTES/);

    const streamed = await chunkedUpload(server.url, 'KDDTrain+_20Percent.txt.gz', tooBig);
    expect(streamed).not.toBe('aborted');
    expect((streamed as { status: number }).status).toBe(413);
    expect(JSON.parse((streamed as { text: string }).text).error.code).toBe('payload_too_large');
    await waitFor('partial upload removed', () => leftovers(server.dataDir).incoming.length === 0, 10_000);
    expect(leftovers(server.dataDir)).toEqual({ datasets: [], incoming: [] });
  });

  it('a cancelled upload leaves nothing behind', async () => {
    const result = await chunkedUpload(server.url, 'KDDTrain+_20Percent.txt.gz', nsl, { abortAfter: 128 * 1024 });
    expect(result).toBe('aborted');
    await waitFor('cancelled upload removed', () => leftovers(server.dataDir).incoming.length === 0 && leftovers(server.dataDir).datasets.length === 0, 10_000);
  });

  it('two concurrent uploads of real files both land intact (sha256), then import with progress to the row counts of SOURCES.md', async () => {
    const [a, b] = await Promise.all([
      upload(server.url, [{ name: 'KDDTrain+_20Percent.txt.gz', bytes: nsl }]),
      upload(server.url, [{ name: 'Botnet_736.csv.gz', bytes: botnet }]),
    ]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    const checks: [StagedUpload, Buffer, string][] = [
      [a.body.upload!, nsl, 'nsl-kdd'],
      [b.body.upload!, botnet, 'cic2017-improved'],
    ];
    for (const [staged, source, format] of checks) {
      expect(staged.files).toHaveLength(1);
      expect(staged.files[0]!.sha256).toBe(sha256(source));
      expect(staged.files[0]!.bytes).toBe(source.length);
      const onDisk = readFileSync(join(server.dataDir, 'datasets', staged.uploadId, 'files', staged.files[0]!.name));
      expect(sha256(onDisk)).toBe(sha256(source));
      expect(staged.detected[0]!.format).toBe(format);
    }

    const progress: ImportProgress[] = [];
    const nslImport = await importUpload(a.body.upload!.uploadId, progress);
    expect(nslImport.ok).toBe(true);
    const entry = (nslImport as { data: CatalogueEntry }).data;
    expect(entry.rows).toBe(25_192); // SOURCES.md
    expect(entry.columns).toBe(41);
    expect(entry.labelCounts['normal']).toBe(13_449);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.percent).toBe(100);
    expect(progress.at(-1)!.rows).toBe(25_192);

    const cicImport = await importUpload(b.body.upload!.uploadId);
    expect(cicImport.ok && cicImport.data.labelCounts).toEqual({ Botnet: 736 });

    const listed = await new Promise<Ack<CatalogueEntry[]>>((resolve) => socket.emit('datasets:list', resolve));
    expect(listed.ok && listed.data.map((e) => e.id).sort()).toEqual([a.body.upload!.uploadId, b.body.upload!.uploadId].sort());
    const catalogue = JSON.parse(readFileSync(join(server.dataDir, 'datasets', 'catalogue.json'), 'utf8')) as { datasets: CatalogueEntry[] };
    expect(catalogue.datasets).toHaveLength(2);
    for (const dataset of catalogue.datasets) expect(readFileSync(dataset.cachePath).subarray(0, 8).toString()).toBe('NGTABLE1');
  }, 40_000);

  it('malformed KDDTrain+ rows: a cut line is rejected by line number; binary garbage fails naming the line; the catalogue is untouched', async () => {
    const lines = gunzipSync(readFileSync(sharedDataset('nsl-kdd/KDDTrain+.txt.gz'))).toString('latin1').split('\n').slice(0, 50);
    const before = readFileSync(join(server.dataDir, 'datasets', 'catalogue.json'), 'utf8');

    const cut = [...lines];
    cut[19] = cut[19]!.slice(0, 40); // line 20 cut short
    const cutUpload = await upload(server.url, [{ name: 'KDDTrain_first50_cut.txt', bytes: Buffer.from(cut.join('\n') + '\n', 'latin1') }]);
    expect(cutUpload.status).toBe(201);
    const cutImport = await importUpload(cutUpload.body.upload!.uploadId);
    expect(cutImport.ok).toBe(true);
    const cutEntry = (cutImport as { data: CatalogueEntry }).data;
    expect(cutEntry.rows).toBe(49);
    expect(cutEntry.rejectedSamples[0]).toMatchObject({ reason: 'wrong-field-count', line: 20 });

    // Real binary bytes (the gzip of KDDTest+) spliced in after line 20: garbage rows, not a dataset.
    const garbage = readFileSync(sharedDataset('nsl-kdd/KDDTest+.txt.gz')).subarray(0, 4000);
    const spliced = Buffer.concat([Buffer.from(lines.slice(0, 20).join('\n') + '\n', 'latin1'), garbage, Buffer.from('\n' + lines.slice(20).join('\n') + '\n', 'latin1')]);
    const badUpload = await upload(server.url, [{ name: 'KDDTrain_first50_garbage.txt', bytes: spliced }]);
    expect(badUpload.status).toBe(201);
    const badImport = await importUpload(badUpload.body.upload!.uploadId);
    expect(badImport.ok).toBe(false);
    const message = (badImport as { msg: string }).msg;
    expect(message).toMatch(/line 21\b/);
    expect(message).toContain('KDDTrain_first50_garbage.txt');
    expect(message).not.toContain(server.dataDir);
    // The failed upload is gone; the catalogue only gained the good import.
    expect(leftovers(server.dataDir).datasets).not.toContain(badUpload.body.upload!.uploadId);
    const after = JSON.parse(readFileSync(join(server.dataDir, 'datasets', 'catalogue.json'), 'utf8')) as { datasets: CatalogueEntry[] };
    expect(after.datasets.length).toBe((JSON.parse(before) as { datasets: unknown[] }).datasets.length + 1);
  }, 30_000);

  it('lists the shipped samples and imports one by name; a relative server path is refused', async () => {
    const samples = await new Promise<Ack<{ name: string; bytes: number }[]>>((resolve) => socket.emit('datasets:samples', resolve));
    expect(samples.ok && samples.data.map((s) => s.name)).toEqual(['cic-ids2017-improved/improved_first30_per_class.csv.gz', 'nsl-kdd/KDDTest+_first500.txt.gz']);
    const detected = await new Promise<Ack<DetectedSource>>((resolve) => socket.emit('datasets:detect', { kind: 'sample', name: 'nsl-kdd/KDDTest+_first500.txt.gz' }, resolve));
    expect(detected.ok && detected.data.files[0]!.format).toBe('nsl-kdd');
    const imported = await new Promise<Ack<CatalogueEntry>>((resolve) =>
      socket.emit('datasets:import', { requestId: 'sample', source: { kind: 'sample', name: 'nsl-kdd/KDDTest+_first500.txt.gz' } }, resolve),
    );
    expect(imported.ok && imported.data.rows).toBe(500);
    const removed = await new Promise<Ack<{ id: string }>>((resolve) => socket.emit('datasets:remove', { id: (imported as { data: CatalogueEntry }).data.id }, resolve));
    expect(removed.ok).toBe(true);
    const relative = await new Promise<Ack<DetectedSource>>((resolve) => socket.emit('datasets:detect', { kind: 'path', path: 'datasets/x.csv' }, resolve));
    expect(relative.ok ? '' : relative.msg).toMatch(/absolute path/);
  });

  it('binary garbage, wrong columns and an empty file are refused at upload with 422 and a message; nothing is kept', async () => {
    const before = leftovers(server.dataDir).datasets.length;
    const binary = await upload(server.url, [{ name: 'capture.pcap.gz', bytes: readFileSync(sharedDataset('nsl-kdd/KDDTest+.txt.gz')).subarray(100, 20_000) }]);
    expect(binary.status).toBe(422);
    expect(binary.body.error!.message).toMatch(/capture\.pcap\.gz/);
    // Wrong columns: a real improved CIC-IDS2017 file whose header lost its Label column name.
    const heartbleed = gunzipSync(readFileSync(sharedDataset('cic-ids2017/improved-cicids2017-rnd5000/Heartbleed_11.csv.gz'))).toString('latin1');
    expect(heartbleed).toContain(',Label,');
    const renamed = await upload(server.url, [{ name: 'Heartbleed_renamed.csv', bytes: Buffer.from(heartbleed.replace(',Label,', ',Class,'), 'latin1') }]);
    expect(renamed.status).toBe(422);
    expect(renamed.body.error!.message).toMatch(/Heartbleed_renamed\.csv.*(Label|Class)/);
    const empty = await upload(server.url, [{ name: 'empty.csv', bytes: Buffer.alloc(0) }]);
    expect(empty.status).toBe(422);
    expect(empty.body.error!.message).toMatch(/empty/i);
    expect(leftovers(server.dataDir).datasets.length).toBe(before);
    expect(leftovers(server.dataDir).incoming).toEqual([]);
  });
});
