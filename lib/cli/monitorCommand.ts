/**
 * `netguard monitor`: the dashboard's detection path without the dashboard. Live: threats as
 * they come and a stats line every 10 s until Ctrl-C. File: every threat event, then exit.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ThreatEvent } from '../detect/threatEvent.ts';
import { Monitor } from '../monitor/monitor.ts';
import type { StartRequest } from '../monitor/monitorApi.ts';
import { eveAlertLine } from '../store/eveAlert.ts';
import { openStore } from '../store/index.ts';
import type { Command } from './commands.ts';
import { CAPTURE_DAMAGED_EXIT_CODE, secondsOption, UsageError } from './usage.ts';

const projectRoot = resolve(import.meta.dirname, '../..');

export const monitorHelp = `Usage:
  netguard monitor --interface <name> [--filter <bpf>] [options]   live, until Ctrl-C
  netguard monitor --file <capture> [--speed max|1] [options]      replay, exits at the end

Runs the same detection as the dashboard (flow model + rule detectors, incidents, store) and
prints each threat event; --eve also appends each one to a file as a Suricata EVE JSON alert
line, for log shippers' Suricata modules (Filebeat, Logstash, Vector). A damaged or truncated capture file is read past the damage; a
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
  --eve <file>         append one Suricata EVE JSON "alert" line per threat event to <file>
                       (created if missing, as Suricata appends to eve.json)
  -h, --help           this text`;

function describe(event: ThreatEvent): string {
  const port = event.destinationPort > 0 ? `:${event.destinationPort}` : '';
  return `${new Date(event.time).toISOString()} ${event.severity.padEnd(8)} ${event.threatType.padEnd(12)} ` +
    `${event.sourceIp} -> ${event.destinationIp}${port} ${event.protocol} ${(event.confidence * 100).toFixed(1)}% ` +
    `[${event.detector}] ${event.summary}`;
}

export const monitorCommand: Command = {
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
        eve: { type: 'string' },
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
    if (values.eve === '') throw new UsageError('--eve needs a file name');
    const windowSeconds = secondsOption('window', values.window);
    const live = values.interface !== undefined;

    const dbPath = values.db ?? (live ? resolve(projectRoot, 'data/netguard.db') : ':memory:');
    if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true });
    // Opened before anything runs, so a path that cannot be written fails at once (exit 1).
    const eve = values.eve === undefined ? null : openEveFile(values.eve);
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
        eve?.write(events);
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
      if (eve?.error != null) throw new Error(`writing ${values.eve} failed: ${eve.error.message}`);
      if (status.warning === undefined) return 0;
      process.stderr.write(`warning: capture damaged: ${status.warning} (${values.file})\n`);
      return CAPTURE_DAMAGED_EXIT_CODE;
    } finally {
      clearInterval(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // Releases the model (and its scoring thread, which would otherwise keep the process alive).
      await monitor.close();
      store.close();
      eve?.close();
    }
  },
};

interface EveFile {
  write(events: readonly ThreatEvent[]): void;
  close(): void;
  /** The first write error; later events are not written (the run ends with exit 1). */
  readonly error: Error | null;
}

/**
 * The --eve file, opened for appending. Each batch of events is one write() of whole lines, so a
 * shipper tailing the file never reads half a record from us.
 */
function openEveFile(path: string): EveFile {
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch (error) {
    throw new Error(`cannot open the EVE file ${path}: ${(error as Error).message}`);
  }
  let error: Error | null = null;
  return {
    write(events) {
      if (error !== null || events.length === 0) return;
      let lines = '';
      for (const event of events) lines += `${eveAlertLine(event)}\n`;
      try {
        const bytes = Buffer.from(lines, 'utf8');
        for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
      } catch (failure) {
        error = failure as Error;
        process.stderr.write(`netguard monitor: writing ${path} failed: ${error.message}\n`);
      }
    },
    close() {
      closeSync(fd);
    },
    get error() {
      return error;
    },
  };
}
