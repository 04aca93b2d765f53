import { openCaptureFile } from '../capture/fileSource.ts';
import type { Frame, SourceStats } from '../capture/frame.ts';
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

/**
 * Capture file -> decoder -> flow table in the format's flow mode; every finished flow the
 * format accepts goes to `onFlow` (the view is valid during the call only). Remaining flows are
 * flushed at the end of the file.
 */
export async function extractFlowsFromFile(
  path: string,
  format: FeatureFormat,
  onFlow: (flow: FlowView) => void,
  tableOptions: Omit<FlowTableOptions, 'mode' | 'onFlow'> = {},
): Promise<ExtractFlowsResult> {
  const table = new FlowTable({
    ...tableOptions,
    mode: format.flowMode,
    onFlow: (flow) => {
      if (format.accepts(flow)) onFlow(flow);
    },
  });
  const packet = new DecodedPacket();
  const anomalies = new DecodeAnomalies();
  const source = openCaptureFile(path);
  const sourceStats = await source.run((frame) => {
    if (decodeFrame(frame, packet, anomalies)) table.addPacket(packet, linkTrailerLength(frame, packet));
  });
  table.flushAll();
  return { source: sourceStats, decodeAnomalies: anomalies.toRecord(), table: table.stats };
}

const ETHERNET_HEADER_LENGTH = 14;
const VLAN_TAG_LENGTH = 4;

/**
 * Bytes captured after the IP packet in an Ethernet frame: the padding that brings short frames
 * to 60 bytes. Assumes at most one VLAN tag (the decoder reports only the outermost); 0 for other
 * link types, which have no padding.
 */
export function linkTrailerLength(frame: Frame, packet: DecodedPacket): number {
  if (frame.linkType !== LinkType.EN10MB || packet.ipVersion === 0) return 0;
  const ipStart = ETHERNET_HEADER_LENGTH + (packet.vlanId >= 0 ? VLAN_TAG_LENGTH : 0);
  const trailer = frame.capturedLength - ipStart - packet.ipTotalLength;
  return trailer > 0 ? trailer : 0;
}
