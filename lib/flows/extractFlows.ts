import { openCaptureFile } from '../capture/fileSource.ts';
import type { Frame, PacketSource, SourceStats } from '../capture/frame.ts';
import { LinkType } from '../capture/linkTypes.ts';
import { DecodeAnomalies } from '../decode/anomalies.ts';
import { decodeFrame } from '../decode/decodeFrame.ts';
import { DecodedPacket } from '../decode/packet.ts';
import type { FeatureFormat } from './featureFormat.ts';
import { FlowTable, type FlowTableOptions, type FlowTableStats } from './flowTable.ts';
import type { FlowView } from './flowView.ts';

export interface ExtractFlowsResult {
  source: SourceStats;
  decodeAnomalies: Record<string, number>;
  table: FlowTableStats;
}

export interface ExtractFlowsOptions {
  table?: Omit<FlowTableOptions, 'mode' | 'onFlow'>;
  /**
   * Live sources: how often idle and timed-out flows are expired by the wall clock, so a flow
   * is reported even when no further packet arrives. Files expire flows by the packet clock.
   */
  sweepIntervalMs?: number;
  /** Sees every decoded IP packet before the flow table does (rule detectors); no allocation, no keeping it. */
  onPacket?: (packet: DecodedPacket) => void;
  /** Called about every `progressIntervalMs` with the counters so far. */
  onProgress?: (progress: ExtractFlowsResult) => void;
  progressIntervalMs?: number;
}

/**
 * Packet source -> decoder -> flow table in the format's flow mode. Every finished flow the
 * format accepts goes to `onFlow`; the view is valid during the call only. Remaining flows are
 * flushed when the source ends. For a stateful format (kdd) pass `formatSession(format)` and
 * read each flow with that same session, once.
 */
export async function extractFlows(
  source: PacketSource,
  format: FeatureFormat,
  onFlow: (flow: FlowView) => void,
  options: ExtractFlowsOptions = {},
): Promise<ExtractFlowsResult> {
  const table = new FlowTable({
    ...options.table,
    mode: format.flowMode,
    onFlow: (flow) => {
      if (format.accepts(flow)) onFlow(flow);
    },
  });
  const packet = new DecodedPacket();
  const anomalies = new DecodeAnomalies();
  const snapshot = (): ExtractFlowsResult => ({
    source: source.stats(),
    decodeAnomalies: anomalies.toRecord(),
    table: table.stats,
  });
  const timers: NodeJS.Timeout[] = [];
  if (options.sweepIntervalMs !== undefined) {
    timers.push(setInterval(() => table.sweep(Date.now() * 1000), options.sweepIntervalMs));
  }
  if (options.onProgress !== undefined) {
    const report = options.onProgress;
    timers.push(setInterval(() => report(snapshot()), options.progressIntervalMs ?? 1000));
  }
  try {
    const onPacket = options.onPacket;
    const sourceStats = await source.run((frame) => {
      if (!decodeFrame(frame, packet, anomalies)) return;
      onPacket?.(packet);
      table.addPacket(packet, linkTrailerLength(frame, packet));
    });
    table.flushAll();
    return { source: sourceStats, decodeAnomalies: anomalies.toRecord(), table: table.stats };
  } finally {
    for (const timer of timers) clearInterval(timer);
  }
}

/** extractFlows over a capture file (pcap / pcapng, gzip or not). */
export function extractFlowsFromFile(
  path: string,
  format: FeatureFormat,
  onFlow: (flow: FlowView) => void,
  options: ExtractFlowsOptions = {},
): Promise<ExtractFlowsResult> {
  return extractFlows(openCaptureFile(path), format, onFlow, options);
}

/**
 * Bytes captured after the IP packet in an Ethernet frame: the padding that brings short frames
 * to 60 bytes (cic2017 mode counts it as payload, as the original tool did). 0 for other link
 * types, which have no padding.
 */
export function linkTrailerLength(frame: Frame, packet: DecodedPacket): number {
  if (frame.linkType !== LinkType.EN10MB || packet.ipVersion === 0) return 0;
  const trailer = frame.capturedLength - packet.linkHeaderLength - packet.ipTotalLength;
  return trailer > 0 ? trailer : 0;
}
