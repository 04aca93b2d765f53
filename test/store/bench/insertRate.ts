/**
 * Inserts/s of insertThreats in batches of 500 under WAL with synchronous NORMAL and FULL, on
 * real events (the attack captures' flows, replayed to `rows`). Fresh store per run, runs
 * alternate between the modes so machine load hits both alike. Reports wall and CPU rates (on a
 * loaded machine the CPU rate is the fair one) and the wall time of single-event commits, which
 * is where FULL's per-commit fsync of the WAL shows.
 *   npx tsx test/store/bench/insertRate.ts [rows=100000] [runs=3] [dir=os.tmpdir()]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertThreats } from '../../../lib/store/insertThreats.ts';
import { openStore } from '../../../lib/store/openStore.ts';
import { startSession } from '../../../lib/store/startSession.ts';
import type { SynchronousMode } from '../../../lib/store/store.ts';
import { attackCaptures } from '../attackCaptures.ts';
import { threatsFromCapture } from '../realEvents.ts';
import { replayEvents } from '../replayEvents.ts';

const rows = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 3);
const baseDir = process.argv[4] ?? tmpdir();
const BATCH = 500;

const real = [];
for (const { capture, label } of attackCaptures) real.push(...(await threatsFromCapture(capture, label)));
const events = replayEvents(real, rows);

function run(mode: SynchronousMode, batch: number, count: number): { perSecond: number; cpuPerSecond: number; batchMs: number[] } {
  const dir = mkdtempSync(join(baseDir, 'netguard-store-bench-'));
  const store = openStore(join(dir, 'bench.sqlite'), { synchronous: mode });
  try {
    const session = startSession(store, { source: 'bench' });
    const batchMs: number[] = [];
    const started = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < count; i += batch) {
      const t0 = process.hrtime.bigint();
      insertThreats(store, session.id, events.slice(i, i + batch));
      batchMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    return { perSecond: count / seconds, cpuPerSecond: count / ((cpu.user + cpu.system) / 1e6), batchMs };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

console.log(`${events.length} rows from ${real.length} real events, batches of ${BATCH}, dir ${baseDir}`);
for (let r = 0; r < runs; r++) {
  for (const mode of ['NORMAL', 'FULL'] as const) {
    const { perSecond, cpuPerSecond, batchMs } = run(mode, BATCH, events.length);
    console.log(
      `${mode.padEnd(6)} run ${r + 1}: ${Math.round(perSecond).toLocaleString('en')} rows/s wall, ` +
        `${Math.round(cpuPerSecond).toLocaleString('en')} rows/s CPU; ` +
        `batch ms median ${quantile(batchMs, 0.5).toFixed(2)}, p99 ${quantile(batchMs, 0.99).toFixed(2)}, max ${Math.max(...batchMs).toFixed(2)}`,
    );
  }
}
for (const mode of ['NORMAL', 'FULL'] as const) {
  const { batchMs } = run(mode, 1, 300);
  console.log(
    `${mode.padEnd(6)} 300 single-event commits: ms median ${quantile(batchMs, 0.5).toFixed(2)}, ` +
      `p90 ${quantile(batchMs, 0.9).toFixed(2)}, max ${Math.max(...batchMs).toFixed(2)}`,
  );
}
