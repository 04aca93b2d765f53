/**
 * npm run bench:live — a ≥ 1 M-packet flood capture replayed as fast as possible through the
 * running server (a real child process) while a Socket.IO client and the dashboard in headless
 * Chromium are connected. Prints: batch interval p95, server peak RSS, detection-to-client
 * latency (flow out of the flow table -> row in a received batch), and page responsiveness.
 */
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { connect, startServer, waitFor } from '../test/server/serverProcess.ts';
import { buildReplayCapture, floodSources } from './replayCapture.ts';

const minPackets = Number(process.env.BENCH_PACKETS ?? 1_000_000);
const capture = await buildReplayCapture(join(tmpdir(), 'netguard-bench', `flood-${minPackets}.pcap`), minPackets, floodSources);
const samplesDir = mkdtempSync(join(tmpdir(), 'netguard-bench-samples-'));
symlinkSync(capture, join(samplesDir, 'flood.pcap'));

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
};
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const server = await startServer({ samplesDir });
const pid = server.process.pid!;
let peakRss = rssMb(pid);
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 100);

const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'netguard-bench-chromium-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
await page.goto(server.url);

const { socket, batches } = await connect(server.url);
const started = Date.now();
const reply = await socket.emitWithAck('monitor:start', { source: { kind: 'sample', name: 'flood.pcap', speed: 'max' } });
if (!reply.ok) throw new Error(reply.msg);
const sessionId = reply.data.sessionId;

// The page must keep answering while batches pour in: time a trivial round trip into it.
const pageRoundTrips: number[] = [];
const probe = setInterval(() => {
  const t = performance.now();
  void page.evaluate(() => 1).then(() => pageRoundTrips.push(performance.now() - t));
}, 250);

const last = await waitFor(
  'the end of the replay',
  () => {
    const mine = batches.filter((b) => b.batch.status.sessionId === sessionId);
    return mine.length >= 2 && !mine.at(-1)!.batch.status.running && !mine.at(-2)!.batch.status.running ? mine.at(-1)!.batch : undefined;
  },
  600_000,
);
const elapsedS = (Date.now() - started) / 1000;
clearInterval(probe);
clearInterval(rssTimer);
const feedRowsInPage = await page.getByTestId('feed-row').count();

const gaps = batches.slice(1).map((b, i) => b.at - batches[i]!.at);
const latencies = batches.flatMap((b) => b.batch.feed.flatMap((row) => (row.observedAt === undefined ? [] : [b.at - row.observedAt])));
const maxFeed = Math.max(...batches.map((b) => b.batch.feed.length));

socket.close();
await browser.close();
await server.stop();

const ok = (value: number, limit: number) => (value <= limit ? 'ok' : 'MISSED');
console.log(`\nflood replay: ${last.metrics.packetsCaptured.toLocaleString('en-US')} packets, ${last.metrics.flows.toLocaleString('en-US')} flows, ` +
  `${last.metrics.totalThreats.toLocaleString('en-US')} threats in ${elapsedS.toFixed(1)} s ` +
  `(${Math.round(last.metrics.packetsCaptured / elapsedS).toLocaleString('en-US')} packets/s end to end)`);
console.table([
  { figure: 'batch interval p95 (ms)', value: percentile(gaps, 0.95).toFixed(0), required: '≤ 2200', verdict: ok(percentile(gaps, 0.95), 2200) },
  { figure: 'batch interval max (ms)', value: Math.max(...gaps).toFixed(0), required: '', verdict: '' },
  { figure: 'server peak RSS (MB)', value: peakRss.toFixed(0), required: '≤ 500', verdict: ok(peakRss, 500) },
  { figure: 'flow end -> client p95 (ms)', value: percentile(latencies, 0.95).toFixed(0), required: '≤ 2500', verdict: ok(percentile(latencies, 0.95), 2500) },
  { figure: 'flow end -> client max (ms)', value: Math.max(...latencies).toFixed(0), required: '', verdict: '' },
  { figure: 'feed rows per batch (max)', value: String(maxFeed), required: '≤ 200', verdict: ok(maxFeed, 200) },
  { figure: 'feed rows in the page', value: String(feedRowsInPage), required: '≤ 500', verdict: ok(feedRowsInPage, 500) },
  { figure: 'page round trip p95 (ms)', value: percentile(pageRoundTrips, 0.95).toFixed(0), required: '', verdict: '' },
]);
process.exit(0);
