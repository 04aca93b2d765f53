/**
 * `netguard monitor`: the dashboard's detection path without the dashboard. Live: threats as
 * they come and a stats line every 10 s until Ctrl-C. File: every threat event, then exit.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ThreatEvent } from '../detect/threatEvent.ts';
import { Monitor } from '../monitor/monitor.ts';
import type { StartRequest } from '../monitor/monitorApi.ts';
import { openStore } from '../store/index.ts';
import type { Command } from './commands.ts';
import { CAPTURE_DAMAGED_EXIT_CODE, secondsOption, UsageError } from './usage.ts';

const projectRoot = resolve(import.meta.dirname, '../..');

export const monitorHelp = `Usage:
  netguard monitor --interface <name> [--filter <bpf>] [options]   live, until Ctrl-C
  netguard monitor --file <capture> [--speed max|1] [options]      replay, exits at the end

Runs the same detection as the dashboard (flow model + rule detectors, incidents, store) and
prints each threat event. A damaged or truncated capture file is read past the damage; a
warning line on standard error says what was lost.

Exit codes: 0 ok, 1 runtime failure, 2 bad usage, 3 the capture file was damaged (packets
skipped, cut off, or given the previous packet's timestamp).

Options:
  --interface <name>   capture live (root or CAP_NET_RAW)
  --filter <bpf>       live: BPF filter expression
  --file <capture>     pcap / pcapng file, gzip or not
  --speed <max|1>      file: as fast as possible (default) or at the recorded speed
  --window <seconds>   port-scan detection window (default 10)
  --model <dir>        model directory (default trained_models/live-corrected-family)
  --db <path>          SQLite store (default data/netguard.db live, in memory for files)
  --json               one JSON object per threat event on standard output
  -h, --help           this text`;

function describe(event: ThreatEvent): string {
  const port = event.destinationPort > 0 ? `:${event.destinationPort}` : '';
  return `${new Date(event.time).toISOString()} ${event.severity.padEnd(8)} ${event.threatType.padEnd(12)} ` +
    `${event.sourceIp} -> ${event.destinationIp}${port} ${event.protocol} ${(event.confidence * 100).toFixed(1)}% ` +
    `[${event.detector}] ${event.summary}`;
}

export const monitorCommand: Command = {
  summary: 'Detect threats on an interface or in a capture file, without the dashboard',
  help: monitorHelp,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        interface: { type: 'string' },
        filter: { type: 'string' },
        file: { type: 'string' },
        speed: { type: 'string' },
        window: { type: 'string' },
        model: { type: 'string' },
        db: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(`${monitorHelp}\n`);
      return 0;
    }
    if ((values.interface === undefined) === (values.file === undefined)) throw new UsageError('give either --interface or --file');
    if (values.speed !== undefined && !['max', '1'].includes(values.speed)) throw new UsageError('--speed must be max or 1');
    if (values.interface !== undefined && values.speed !== undefined) throw new UsageError('--speed applies to --file only');
    if (values.file !== undefined && values.filter !== undefined) throw new UsageError('--filter applies to --interface only');
    const windowSeconds = secondsOption('window', values.window);
    const live = values.interface !== undefined;

    const dbPath = values.db ?? (live ? resolve(projectRoot, 'data/netguard.db') : ':memory:');
    if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true });
    const store = openStore(dbPath);
    const json = values.json ?? false;
    const monitor = await Monitor.create({
      store,
      modelDirectory: resolve(values.model ?? resolve(projectRoot, 'trained_models/live-corrected-family')),
      samplesDirectory: resolve(projectRoot, 'datasets/pcaps'),
      detectors: windowSeconds === undefined ? undefined : { portScan: { windowSeconds } },
      log: (line) => process.stderr.write(`${line}\n`),
      onEvents: (events) => {
        for (const event of events) process.stdout.write(json ? `${JSON.stringify(event)}\n` : `${describe(event)}\n`);
      },
    });
    const request: StartRequest = live
      ? { source: { kind: 'interface', name: values.interface!, filter: values.filter } }
      : { source: { kind: 'file', path: values.file!, speed: values.speed === '1' ? 'recorded' : 'max' } };

    const stop = () => void monitor.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const statsLine = () => {
      const { status, metrics } = monitor.snapshot();
      process.stderr.write(
        `[stats] ${metrics.packetsCaptured} packets, ${metrics.packetsPerSecond} packets/s, ${metrics.flows} flows, ` +
          `${metrics.totalThreats} threats (${metrics.critical} critical, ${metrics.high} high), ${status.drops} dropped\n`,
      );
    };
    const timer = setInterval(statsLine, 10_000);
    try {
      const started = await monitor.start(request);
      process.stderr.write(`monitoring ${started.source} with model ${started.modelVersion}\n`);
      const status = await monitor.finished();
      statsLine();
      if (status.error !== undefined) throw new Error(status.error);
      if (status.warning === undefined) return 0;
      process.stderr.write(`warning: capture damaged: ${status.warning} (${values.file})\n`);
      return CAPTURE_DAMAGED_EXIT_CODE;
    } finally {
      clearInterval(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      store.close();
    }
  },
};
