/**
 * `netguard flows`: capture file or live interface -> flow features as CSV, in the layout of
 * the dataset a model was trained on (cic2017, corrected or kdd).
 */
import { createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { type CaptureDamage, describeCaptureDamage, listInterfaces, openCaptureFile, openInterface, type PacketSource } from '../capture/index.ts';
import {
  extractFlows,
  type ExtractFlowsResult,
  featureFormats,
  FlowCsvWriter,
  formatSession,
  getFeatureFormat,
  type TextSink,
} from '../flows/index.ts';
import type { Command } from './commands.ts';
import { CAPTURE_DAMAGED_EXIT_CODE, secondsOption, UsageError, wholeNumberOption } from './usage.ts';

export const flowsHelp = `Usage:
  netguard flows <capture> [options]                 pcap / pcapng file, gzip or not
  netguard flows --interface <name> [options]        live capture (root or CAP_NET_RAW)
  netguard flows --list-interfaces

Writes one CSV row per flow with the dataset's exact header. A damaged or truncated capture
is read past the damage; a warning line on standard error says what was lost.

Exit codes: 0 ok, 1 runtime failure (missing or unreadable file, not a capture), 2 bad usage,
3 the capture was damaged (packets skipped, cut off, or given the previous packet's timestamp).

Options:
  --format <name>        ${Object.keys(featureFormats).join(' | ')} (default corrected)
  -o, --output <file>    write here instead of standard output (a file is written whole or not
                         at all; a device or FIFO such as /dev/null is written directly)
  --interface <name>     capture live from this interface
  --filter <bpf>         live: BPF filter expression, e.g. "tcp and not port 22"
  --duration <seconds>   live: stop after this long (default: until Ctrl-C)
  --utc-offset <min>     Timestamp column offset from UTC in minutes (default 0)
  --label <text>         Label column text (default NeedManualLabel / unlabelled)
  --idle-timeout <s>     end a flow after this much silence (corrected/kdd default 60)
  --active-timeout <s>   end a flow this long after it started (default 120)
  --max-flows <n>        bound on flows held at once; evictions are counted (default 65536)
  --quiet                no progress lines on standard error
  -h, --help             this text`;

/** Bytes the output stream may hold before the capture waits for it. */
const OUTPUT_HIGH_WATER_MARK = 4 * 1024 * 1024;

interface FlowsOptions {
  /** Opens the packet source; `afterChunk` (files only) is awaited between the file's chunks. */
  openSource: (afterChunk: () => Promise<void>) => PacketSource;
  sourceLabel: string;
  formatName: string;
  output: string | undefined;
  durationSeconds: number | undefined;
  live: boolean;
  quiet: boolean;
  utcOffsetMinutes: number;
  label: string | undefined;
  table: { idleTimeoutUs?: number; activeTimeoutUs?: number; maxFlows?: number };
}

function parseFlowsArgs(args: string[]): FlowsOptions | 'help' | 'list' {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      interface: { type: 'string' },
      filter: { type: 'string' },
      duration: { type: 'string' },
      'utc-offset': { type: 'string' },
      label: { type: 'string' },
      'idle-timeout': { type: 'string' },
      'active-timeout': { type: 'string' },
      'max-flows': { type: 'string' },
      'list-interfaces': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (values['list-interfaces']) return 'list';
  const formatName = values.format ?? 'corrected';
  if (!Object.hasOwn(featureFormats, formatName)) {
    throw new UsageError(`unknown --format "${formatName}"; choose ${Object.keys(featureFormats).join(', ')}`);
  }
  const live = values.interface !== undefined;
  if (live && positionals.length > 0) throw new UsageError('give either a capture file or --interface, not both');
  if (!live && positionals.length !== 1) throw new UsageError('give one capture file (or --interface NAME)');
  if (!live && (values.filter !== undefined || values.duration !== undefined)) {
    throw new UsageError('--filter and --duration apply to live capture (--interface) only');
  }
  const idle = secondsOption('idle-timeout', values['idle-timeout']);
  const active = secondsOption('active-timeout', values['active-timeout']);
  // A live source is opened here so a bad interface or filter is reported as usage; it cannot
  // wait for the output (the kernel drops what is not read), a file can.
  const liveSource = live ? openInterface({ interface: values.interface!, filter: values.filter }) : undefined;
  return {
    openSource: (afterChunk) => liveSource ?? openCaptureFile(positionals[0]!, { afterChunk }),
    sourceLabel: live ? `interface ${values.interface}` : positionals[0]!,
    formatName,
    output: values.output,
    durationSeconds: secondsOption('duration', values.duration),
    live,
    quiet: values.quiet ?? false,
    utcOffsetMinutes: wholeNumberOption('utc-offset', values['utc-offset'], -840, 840) ?? 0,
    label: values.label,
    table: {
      idleTimeoutUs: idle === undefined ? undefined : idle * 1e6,
      activeTimeoutUs: active === undefined ? undefined : active * 1e6,
      maxFlows: wholeNumberOption('max-flows', values['max-flows'], 16),
    },
  };
}

function progressLine(progress: ExtractFlowsResult, startedMs: number): string {
  const seconds = (Date.now() - startedMs) / 1000;
  const packets = progress.source.frames;
  return `${packets.toLocaleString('en-US')} packets, ${progress.table.flowsEmitted.toLocaleString('en-US')} flows, ` +
    `${Math.round(packets / Math.max(seconds, 0.001)).toLocaleString('en-US')} packets/s, ${seconds.toFixed(0)} s`;
}

async function runFlows(options: FlowsOptions): Promise<number> {
  const format = formatSession(getFeatureFormat(options.formatName));
  // A file is written beside itself and renamed into place, so it is whole or absent. A device,
  // FIFO or socket (-o /dev/null, a pipe) is written directly: renaming over it would replace it.
  const partialPath = options.output === undefined || isSpecialFile(options.output) ? undefined : `${options.output}.partial`;
  const outputPath = partialPath ?? options.output;
  // A few MiB in flight lets the disk write while the next chunk is formatted.
  const file = outputPath === undefined ? undefined : createWriteStream(outputPath, { highWaterMark: OUTPUT_HIGH_WATER_MARK });
  const sink: TextSink = file ?? process.stdout;
  const writer = new FlowCsvWriter(format, sink, { utcOffsetMinutes: options.utcOffsetMinutes, label: options.label });
  writer.writeHeader();
  // Backpressure: the capture file is read on only when the output has caught up.
  const source = options.openSource(() => writer.drained());

  const startedMs = Date.now();
  // Progress helps on large files and is the only sign of life when capturing live.
  const showProgress = !options.quiet && (options.live || statSync(options.sourceLabel).size > 50e6);
  const stop = () => source.stop();
  process.once('SIGINT', stop);
  const timer = options.durationSeconds === undefined ? undefined : setTimeout(stop, options.durationSeconds * 1000);
  try {
    const result = await extractFlows(source, format, (flow) => writer.writeFlow(flow), {
      table: options.table,
      sweepIntervalMs: options.live ? 1000 : undefined,
      onProgress: showProgress ? (progress) => process.stderr.write(`${progressLine(progress, startedMs)}\n`) : undefined,
      progressIntervalMs: 2000,
    });
    writer.flush();
    if (file !== undefined) {
      file.end();
      await once(file, 'close');
      if (partialPath !== undefined) renameSync(partialPath, options.output!);
    }
    if (!options.quiet) {
      const kernel = result.source.kernelReceived === undefined
        ? ''
        : `, kernel received ${result.source.kernelReceived} dropped ${result.source.kernelDropped ?? 0}`;
      const evicted = result.table.evictions > 0 ? `, ${result.table.evictions} flows evicted early (raise --max-flows)` : '';
      process.stderr.write(
        `${options.sourceLabel}: ${progressLine(result, startedMs)}; ${writer.rowsWritten} rows written${kernel}${evicted}\n`,
      );
    }
    return reportCaptureDamage(options.sourceLabel, describeCaptureDamage(result.source));
  } catch (error) {
    file?.destroy();
    if (partialPath !== undefined) rmSync(partialPath, { force: true });
    throw error;
  } finally {
    process.off('SIGINT', stop);
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** True for an existing path that is not a regular file or directory (a device, FIFO or socket). */
function isSpecialFile(path: string): boolean {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats !== undefined && !stats.isFile() && !stats.isDirectory();
}

/** The warning line for a damaged capture, even with --quiet (it says the output lacks packets); the exit code. */
export function reportCaptureDamage(sourceLabel: string, damage: CaptureDamage | null): number {
  if (damage === null) return 0;
  process.stderr.write(`warning: capture damaged: ${damage.summary} (${sourceLabel})\n`);
  return CAPTURE_DAMAGED_EXIT_CODE;
}

export const flowsCommand: Command = {
  help: flowsHelp,
  async run(args) {
    const options = parseFlowsArgs(args);
    if (options === 'help') {
      process.stdout.write(`${flowsHelp}\n`);
      return 0;
    }
    if (options === 'list') {
      for (const device of listInterfaces()) {
        process.stdout.write(`${device.name}\t${device.addresses.join(' ')}${device.isLoopback ? '\t(loopback)' : ''}\n`);
      }
      return 0;
    }
    return runFlows(options);
  },
};
