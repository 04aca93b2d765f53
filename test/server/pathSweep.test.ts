/**
 * Every way a client can name a server file, tried with files it must never read: a real
 * server (token set, as when exposed), a real Socket.IO client and real HTTP requests. Each
 * must be refused, the refusal must name the allowed folders, and no reply (ack, batch, HTTP
 * body) may hold a byte of the refused file.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, type RunningServer, samplesDirectory, sharedDataset, startServer } from './serverProcess.ts';

const TOKEN = 'path-sweep-token-0123456789';
const firstLine = (path: string) => readFileSync(path, 'latin1').split('\n')[0]!;
// Read here, as root can: the replies must not hold them.
const secrets = [firstLine('/etc/passwd'), firstLine('/etc/shadow')];

type Reply = { ok: true; data: unknown } | { ok: false; msg: string };

let server: RunningServer;
let main: Socket;
let datasets: Socket;
let extraAllowed: string;
let uploads: string;
const allReplies: string[] = [];

/** Paths a client might send, and what the refusal must say about each. */
function attempts(): { path: string; says: RegExp }[] {
  return [
    { path: '/etc/shadow', says: /\/etc\/shadow is outside the folders NetGuard may read/ },
    { path: '../../etc/passwd', says: /"\.\.\/\.\.\/etc\/passwd" is a relative path/ },
    { path: join(uploads, 'etc-link', 'passwd'), says: /leads outside the folders NetGuard may read \(through a symbolic link\)/ },
    { path: join(uploads, 'etc-link'), says: /leads outside/ },
    { path: join(uploads, '..', '..', '..', '..', '..', '..', 'etc', 'passwd'), says: /is outside the folders/ },
    { path: '/dev/zero', says: /\/dev\/zero is outside the folders/ },
    { path: join(uploads, 'zero-link'), says: /leads outside/ },
    { path: '/etc', says: /\/etc is outside the folders/ },
    { path: join(uploads, 'a-directory'), says: /a-directory is a directory, not a (capture|dataset) file/ },
    { path: join(uploads, 'a-pipe'), says: /a-pipe is a named pipe \(FIFO\), not a (capture|dataset) file/ },
  ];
}

function expectRefusal(reply: Reply, says: RegExp): void {
  allReplies.push(JSON.stringify(reply));
  expect(reply.ok).toBe(false);
  if (reply.ok) return;
  expect(reply.msg).toMatch(says);
  // The refusal says where files may be: the uploads folder and NETGUARD_ALLOWED_DIRS.
  expect(reply.msg).toContain(join(server.dataDir, 'datasets'));
  expect(reply.msg).toContain(extraAllowed);
  expect(reply.msg).toContain(join(repoRoot, 'datasets'));
  expectNoSecret(reply.msg);
}

function expectNoSecret(text: string): void {
  for (const secret of secrets) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/root:/);
  expect(text).not.toContain('\u0000');
}

const ask = (socket: Socket, event: string, ...args: unknown[]): Promise<Reply> => socket.timeout(15_000).emitWithAck(event, ...args) as Promise<Reply>;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'netguard-sweep-'));
  uploads = join(dataDir, 'datasets');
  mkdirSync(join(uploads, 'a-directory'), { recursive: true });
  symlinkSync('/etc', join(uploads, 'etc-link'));
  symlinkSync('/dev/zero', join(uploads, 'zero-link'));
  // Opening a FIFO would block until a writer comes: it must be refused from its stat alone.
  execFileSync('mkfifo', [join(uploads, 'a-pipe')]);
  extraAllowed = mkdtempSync(join(tmpdir(), 'netguard-sweep-allowed-'));
  mkdirSync(join(extraAllowed, 'captures'));
  copyFileSync(sharedDataset('pcaps/chrissanders-packets/synscan.pcapng.gz'), join(extraAllowed, 'captures', 'synscan.pcapng.gz'));
  server = await startServer({ dataDir, samplesDir: samplesDirectory([]), env: { NETGUARD_TOKEN: TOKEN, NETGUARD_ALLOWED_DIRS: extraAllowed } });
  main = io(server.url, { transports: ['websocket'], reconnection: false, auth: { token: TOKEN } });
  datasets = io(`${server.url}/datasets`, { transports: ['websocket'], reconnection: false, auth: { token: TOKEN } });
  main.on('batch', (batch: unknown) => allReplies.push(JSON.stringify(batch)));
  main.on('training:done', (state: unknown) => allReplies.push(JSON.stringify(state)));
  await Promise.all([main, datasets].map((socket) => new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  })));
}, 90_000);

afterAll(async () => {
  main?.close();
  datasets?.close();
  await server?.stop();
});

describe('client-given server paths', () => {
  it("monitor:start { kind: 'file' } refuses each at both speeds, and the monitor stays idle", async () => {
    for (const { path, says } of attempts()) {
      for (const speed of ['max', 'recorded']) expectRefusal(await ask(main, 'monitor:start', { source: { kind: 'file', path, speed } }), says);
    }
    const sample = await ask(main, 'monitor:start', { source: { kind: 'sample', name: '../../etc/passwd', speed: 'max' } });
    expect(sample.ok).toBe(false);
    expectNoSecret(JSON.stringify(sample));
    const stopped = await ask(main, 'monitor:stop');
    expect(stopped.ok && (stopped.data as { running: boolean }).running).toBe(false);
  }, 60_000);

  it('datasets:detect and datasets:import { kind: path } refuse each; sample names and upload ids cannot walk out either', async () => {
    for (const { path, says } of attempts()) {
      expectRefusal(await ask(datasets, 'datasets:detect', { kind: 'path', path }), says);
      expectRefusal(await ask(datasets, 'datasets:import', { requestId: 'sweep', source: { kind: 'path', path } }), says);
    }
    for (const source of [{ kind: 'sample', name: '../../etc/passwd' }, { kind: 'upload', uploadId: '../../etc' }, { kind: 'upload', uploadId: 'u-../../etc' }]) {
      for (const event of ['datasets:detect', 'datasets:import']) {
        const reply = await ask(datasets, event, event === 'datasets:detect' ? source : { requestId: 'sweep', source });
        allReplies.push(JSON.stringify(reply));
        expect(reply.ok).toBe(false);
        expectNoSecret(JSON.stringify(reply));
      }
    }
    // The shipped samples folder is allowed: a path into it still works.
    const shipped = await ask(datasets, 'datasets:detect', { kind: 'path', path: join(repoRoot, 'datasets', 'nsl-kdd', 'KDDTest+_first500.txt.gz') });
    expect(shipped.ok && (shipped.data as { files: { format: string }[] }).files[0]!.format).toBe('nsl-kdd');
    const listed = await ask(datasets, 'datasets:list');
    expect(listed.ok && listed.data).toEqual([]);
  }, 60_000);

  it('models:compare refuses each (alone or among other datasets) before evaluating anything', async () => {
    const models = await ask(main, 'models:list');
    if (!models.ok) throw new Error(models.msg);
    const id = (models.data as { id: string }[])[0]!.id;
    for (const { path, says } of attempts()) {
      expectRefusal(await ask(main, 'models:compare', { a: id, b: id, dataset: path }), says);
      expectRefusal(await ask(main, 'models:compare', { a: id, b: id, dataset: [join(repoRoot, 'datasets', 'nsl-kdd', 'KDDTest+_first500.txt.gz'), path] }), says);
    }
  }, 60_000);

  it('training:start refuses each dataset path and starts no job', async () => {
    for (const { path, says } of attempts()) {
      expectRefusal(await ask(main, 'training:start', { datasets: [path], target: 'binary', trees: 1, maxDepth: 1 }), says);
    }
    const status = await ask(main, 'training:status');
    expect(status.ok).toBe(true);
    expectNoSecret(JSON.stringify(status));
  }, 60_000);

  it("HTTP: an upload of /etc/passwd's bytes under a traversal name is refused with 422 without echoing them; the report route takes no path", async () => {
    const form = new FormData();
    form.append('files', new Blob([readFileSync('/etc/passwd')]), '../../etc/passwd');
    const uploaded = await fetch(`${server.url}/api/datasets/upload`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${TOKEN}` } });
    const text = await uploaded.text();
    allReplies.push(text);
    expect(uploaded.status).toBe(422);
    const body = JSON.parse(text) as { error: { message: string; code: string; status: number } };
    expect(body.error).toMatchObject({ code: 'unprocessable', status: 422 });
    expect(body.error.message).toMatch(/passwd: the first line matches no dataset layout NetGuard knows; expected NSL-KDD/);
    expectNoSecret(text);

    for (const query of ['session=/etc/shadow', 'session=../../etc/passwd', 'from=/dev/zero']) {
      const report = await fetch(`${server.url}/api/report.csv?${query}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      const reportText = await report.text();
      allReplies.push(reportText);
      expectNoSecret(reportText);
    }
  }, 30_000);

  it('no batch, broadcast or reply of the whole sweep held a byte of a refused file, and the server still serves', async () => {
    const sources = await ask(main, 'monitor:sources');
    expect(sources.ok).toBe(true);
    // The capture-file picker lists the capture in an allowed folder, and nothing behind the links to /etc or /dev.
    const files = (sources as { ok: true; data: { captureFiles: { path: string; bytes: number }[] } }).data.captureFiles;
    const mine = files.find((file) => file.path === join(extraAllowed, 'captures', 'synscan.pcapng.gz'));
    expect(mine?.bytes).toBeGreaterThan(1000);
    for (const file of files) {
      expect([join(repoRoot, 'datasets'), uploads, extraAllowed].some((folder) => file.path.startsWith(`${folder}/`)), file.path).toBe(true);
      expect(file.path).toMatch(/\.(pcap|pcapng|cap)(\.gz)?$/);
    }
    expect(allReplies.length).toBeGreaterThanOrEqual(80);
    for (const reply of allReplies) expectNoSecret(reply);
    expectNoSecret(server.output());
  });
});
