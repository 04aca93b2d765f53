/**
 * npm run bench:soak — issue #10's live flood soak: 60 s of `hping3 --flood --rand-source -S`
 * to 127.0.0.1:80 on `lo` while the server monitors `lo` with the dashboard open in headless
 * Chromium and a Socket.IO client connected; then a small port scan that must be alerted within
 * 10 s of the flood's end, and Stop timed under a second flood. Needs root (live capture),
 * hping3 and nmap. SOAK_SECONDS overrides the flood's length. What it measures: bench/floodSoakRun.ts.
 */
import { printSoak, runFloodSoak } from './floodSoakRun.ts';

if (process.getuid?.() !== 0) {
  console.error('bench:soak needs root: live capture on lo (and hping3 --rand-source) need it');
  process.exit(1);
}
const floodSeconds = Number(process.env.SOAK_SECONDS ?? 60);
// Ctrl-C: exit through process.exit so the soak's exit hook kills hping3 and nmap.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const started = Date.now();
const result = await runFloodSoak({ floodSeconds, log: (line) => console.log(`[soak ${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`) });
printSoak(result);
console.log(`wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(result.rows.some((row) => row.verdict === 'MISSED') ? 1 : 0);
