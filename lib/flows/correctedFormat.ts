/**
 * The improved CIC-IDS2017 layout (Engelen et al., 91 columns) with Engelen's fixed feature
 * definitions: per-packet flag counts in both directions (incl. Fwd/Bwd RST), each packet counted
 * once, real Down/Up ratio, working bulk statistics, first-packet Init windows, ICMP type/code,
 * Total TCP Flow Time. Where the fixed tool still has a quirk that shaped the published data
 * (subflow values), we keep it so the monitor's features match what models were trained on;
 * README.md lists each such choice.
 */
import { IpProtocol } from '../decode/packet.ts';
import { isoMicrosTimestamp } from './cellText.ts';
import { type ByteLine, writeFlowAddress, writeIsoMicrosTimestamp } from './csvBytes.ts';
import type { ByteTextCells } from './csvWriter.ts';
import {
  type ColumnKind,
  columnsFromHeader,
  type FeatureFormat,
  flowAddressText,
  sampleStd,
  sampleVariance,
  type TextContext,
} from './featureFormat.ts';
import { Bulk, F, NUM_STRIDE, Stat } from './flowStore.ts';
import type { FlowView } from './flowView.ts';
import { writeActivityStats, writeIatStats, writeLengthStats } from './statColumns.ts';

export const CORRECTED_HEADER_LINE =
  'id,Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Total Fwd Packet,Total Bwd packets,' +
  'Total Length of Fwd Packet,Total Length of Bwd Packet,Fwd Packet Length Max,Fwd Packet Length Min,' +
  'Fwd Packet Length Mean,Fwd Packet Length Std,Bwd Packet Length Max,Bwd Packet Length Min,Bwd Packet Length Mean,' +
  'Bwd Packet Length Std,Flow Bytes/s,Flow Packets/s,Flow IAT Mean,Flow IAT Std,Flow IAT Max,Flow IAT Min,' +
  'Fwd IAT Total,Fwd IAT Mean,Fwd IAT Std,Fwd IAT Max,Fwd IAT Min,Bwd IAT Total,Bwd IAT Mean,Bwd IAT Std,' +
  'Bwd IAT Max,Bwd IAT Min,Fwd PSH Flags,Bwd PSH Flags,Fwd URG Flags,Bwd URG Flags,Fwd RST Flags,Bwd RST Flags,' +
  'Fwd Header Length,Bwd Header Length,Fwd Packets/s,Bwd Packets/s,Packet Length Min,Packet Length Max,' +
  'Packet Length Mean,Packet Length Std,Packet Length Variance,FIN Flag Count,SYN Flag Count,RST Flag Count,' +
  'PSH Flag Count,ACK Flag Count,URG Flag Count,CWR Flag Count,ECE Flag Count,Down/Up Ratio,Average Packet Size,' +
  'Fwd Segment Size Avg,Bwd Segment Size Avg,Fwd Bytes/Bulk Avg,Fwd Packet/Bulk Avg,Fwd Bulk Rate Avg,' +
  'Bwd Bytes/Bulk Avg,Bwd Packet/Bulk Avg,Bwd Bulk Rate Avg,Subflow Fwd Packets,Subflow Fwd Bytes,' +
  'Subflow Bwd Packets,Subflow Bwd Bytes,FWD Init Win Bytes,Bwd Init Win Bytes,Fwd Act Data Pkts,' +
  'Fwd Seg Size Min,Active Mean,Active Std,Active Max,Active Min,Idle Mean,Idle Std,Idle Max,Idle Min,' +
  'ICMP Code,ICMP Type,Total TCP Flow Time,Label,Attempted Category';

const T: ColumnKind = 'text';
const N: ColumnKind = 'integer';
const R: ColumnKind = 'real';
// Kinds follow how the improved dataset prints each column (e.g. "35" for a length max, "35.0" for its mean).
// prettier-ignore
const KINDS: ColumnKind[] = [
  T, T, T, N, T, N, N, T, N, N, N, // id .. Total Bwd packets
  N, N, N, N, R, R, N, N, R, R, // lengths
  R, R, R, R, N, N, // Flow Bytes/s .. Flow IAT Min
  N, R, R, N, N, N, R, R, N, N, // Fwd IAT, Bwd IAT
  N, N, N, N, N, N, N, N, // PSH, URG, RST flags, header lengths
  R, R, N, N, R, R, R, // Fwd/Bwd Packets/s, packet length stats
  N, N, N, N, N, N, N, N, // flag counts
  R, R, R, R, // Down/Up .. Bwd Segment Size Avg
  N, N, N, N, N, N, // bulk
  N, N, N, N, // subflow
  N, N, N, N, // init windows, act data, seg size min
  R, R, N, N, R, R, N, N, // active, idle
  N, N, N, // ICMP Code, ICMP Type, Total TCP Flow Time
  T, N, // Label, Attempted Category
];

const COLUMNS = columnsFromHeader(CORRECTED_HEADER_LINE, KINDS);

const FIN = 0;
const SYN = 1;
const RST = 2;
const PSH = 3;
const ACK = 4;
const URG = 5;
const ECE = 6;
const CWR = 7;

function fillCorrectedRow(flow: FlowView, row: Float64Array): void {
  const num = flow.store.num;
  const b = flow.index * NUM_STRIDE;
  const fwdPackets = flow.fwdPackets;
  const bwdPackets = flow.bwdPackets;
  const packets = flow.packets;
  const duration = num[b + F.LAST]! - num[b + F.START]!;
  const fwdBytes = num[b + F.FWD_LEN + Stat.SUM]!;
  const bwdBytes = num[b + F.BWD_LEN + Stat.SUM]!;
  let c = 0;
  row[c++] = NaN; // id
  row[c++] = NaN; // Flow ID
  row[c++] = NaN; // Src IP
  row[c++] = flow.srcPort;
  row[c++] = NaN; // Dst IP
  row[c++] = flow.dstPort;
  row[c++] = flow.protocol;
  row[c++] = NaN; // Timestamp
  row[c++] = duration;
  row[c++] = fwdPackets;
  row[c++] = bwdPackets;
  row[c++] = fwdBytes;
  row[c++] = bwdBytes;
  c = writeLengthStats(num, b + F.FWD_LEN, row, c);
  c = writeLengthStats(num, b + F.BWD_LEN, row, c);
  // A one-packet flow has no duration; 0 instead of Java's NaN/Infinity keeps the rates usable as features.
  row[c++] = duration > 0 ? (fwdBytes + bwdBytes) / (duration / 1e6) : 0;
  row[c++] = duration > 0 ? packets / (duration / 1e6) : 0;
  c = writeActivityStats(num, b + F.FLOW_IAT, row, c);
  c = writeIatStats(num, b + F.FWD_IAT, fwdPackets > 1, row, c);
  c = writeIatStats(num, b + F.BWD_IAT, bwdPackets > 1, row, c);
  row[c++] = num[b + F.FWD_PSH]!;
  row[c++] = num[b + F.BWD_PSH]!;
  row[c++] = num[b + F.FWD_URG]!;
  row[c++] = num[b + F.BWD_URG]!;
  row[c++] = num[b + F.FWD_RST]!;
  row[c++] = num[b + F.BWD_RST]!;
  row[c++] = num[b + F.FWD_HEADER_BYTES]!;
  row[c++] = num[b + F.BWD_HEADER_BYTES]!;
  row[c++] = duration > 0 ? fwdPackets / (duration / 1e6) : 0;
  row[c++] = duration > 0 ? bwdPackets / (duration / 1e6) : 0;
  const all = b + F.ALL_LEN;
  const allN = num[all + Stat.N]!;
  row[c++] = allN > 0 ? num[all + Stat.MIN]! : 0;
  row[c++] = allN > 0 ? num[all + Stat.MAX]! : 0;
  row[c++] = allN > 0 ? num[all + Stat.MEAN]! : 0;
  row[c++] = sampleStd(allN, num[all + Stat.M2]!);
  row[c++] = sampleVariance(allN, num[all + Stat.M2]!);
  const flags = b + F.FLAG_COUNTS;
  row[c++] = num[flags + FIN]!;
  row[c++] = num[flags + SYN]!;
  row[c++] = num[flags + RST]!;
  row[c++] = num[flags + PSH]!;
  row[c++] = num[flags + ACK]!;
  row[c++] = num[flags + URG]!;
  row[c++] = num[flags + CWR]!;
  row[c++] = num[flags + ECE]!;
  row[c++] = fwdPackets > 0 ? bwdPackets / fwdPackets : 0;
  row[c++] = packets > 0 ? num[all + Stat.SUM]! / packets : 0;
  row[c++] = fwdPackets > 0 ? fwdBytes / fwdPackets : 0;
  row[c++] = bwdPackets > 0 ? bwdBytes / bwdPackets : 0;
  c = writeBulk(num, b + F.FWD_BULK, row, c);
  c = writeBulk(num, b + F.BWD_BULK, row, c);
  // Engelen's tool still bumps the subflow counter on every packet (an operator-precedence slip),
  // so each "subflow" value is total / packet count in integer division. The published data shows
  // it (e.g. 70 fwd bytes over 4 packets -> 17); we keep it so features match trained models.
  row[c++] = packets > 0 ? Math.floor(fwdPackets / packets) : 0;
  row[c++] = packets > 0 ? Math.floor(fwdBytes / packets) : 0;
  row[c++] = packets > 0 ? Math.floor(bwdPackets / packets) : 0;
  row[c++] = packets > 0 ? Math.floor(bwdBytes / packets) : 0;
  row[c++] = Math.max(0, num[b + F.FWD_INIT_WINDOW]!);
  row[c++] = Math.max(0, num[b + F.BWD_INIT_WINDOW]!);
  row[c++] = num[b + F.FWD_DATA_PACKETS]!;
  row[c++] = Math.max(0, num[b + F.FWD_MIN_HEADER]!);
  c = writeActivityStats(num, b + F.ACTIVE, row, c);
  c = writeActivityStats(num, b + F.IDLE, row, c);
  const protocol = flow.protocol;
  const icmp = protocol === IpProtocol.ICMP || protocol === IpProtocol.ICMPV6;
  row[c++] = icmp ? num[b + F.ICMP_CODE]! : -1;
  row[c++] = icmp ? num[b + F.ICMP_TYPE]! : -1;
  row[c++] = protocol === IpProtocol.TCP ? num[b + F.TCP_CARRIED_TIME]! + duration : 0;
  row[c++] = NaN; // Label
  row[c++] = -1; // Attempted Category: -1 in every row of the improved dataset
}




/** Avg bytes per bulk, avg packets per bulk, bulk rate (bytes per bulk-second), as Java longs. */
function writeBulk(num: Float64Array, at: number, row: Float64Array, c: number): number {
  const count = num[at + Bulk.COUNT]!;
  const duration = num[at + Bulk.DURATION]!;
  row[c] = count > 0 ? Math.floor(num[at + Bulk.BYTES]! / count) : 0;
  row[c + 1] = count > 0 ? Math.floor(num[at + Bulk.PACKETS]! / count) : 0;
  row[c + 2] = duration > 0 ? Math.floor(num[at + Bulk.BYTES]! / (duration / 1e6)) : 0;
  return c + 3;
}

/**
 * The forward orientation written out, "src-dst-srcPort-dstPort-protocol" (Engelen's fwdFlowId),
 * for addresses already formatted: the corrected and kdd Flow ID, and model evidence's flowId.
 */
export function flowIdText(sourceIp: string, destinationIp: string, sourcePort: number, destinationPort: number, protocol: number): string {
  return `${sourceIp}-${destinationIp}-${sourcePort}-${destinationPort}-${protocol}`;
}

export function correctedFlowId(flow: FlowView): string {
  return flowIdText(flowAddressText(flow, 0), flowAddressText(flow, 1), flow.srcPort, flow.dstPort, flow.protocol);
}

function correctedText(flow: FlowView, column: number, context: TextContext): string {
  switch (column) {
    case 0:
      return String(context.rowNumber);
    case 1:
      return correctedFlowId(flow);
    case 2:
      return flowAddressText(flow, 0);
    case 4:
      return flowAddressText(flow, 1);
    case 7:
      return isoMicrosTimestamp(flow.startUs, context.utcOffsetMinutes);
    case 89:
      return context.label;
    default:
      throw new Error(`corrected column ${column} is not a text column`);
  }
}

export const correctedFormat: FeatureFormat & ByteTextCells = {
  name: 'corrected',
  description: 'Improved CIC-IDS2017 layout (91 columns, Engelen et al.) with corrected flow features',
  flowMode: 'corrected',
  columns: COLUMNS,
  headerLine: CORRECTED_HEADER_LINE,
  defaultLabel: 'NeedManualLabel',
  accepts: (flow) => flow.packets > 0,
  fillRow: fillCorrectedRow,
  text: correctedText,
  writeText(flow: FlowView, column: number, context: TextContext, out: ByteLine): void {
    switch (column) {
      case 0:
        out.long(context.rowNumber);
        return;
      case 1:
        writeFlowAddress(out, flow, 0);
        out.byte(0x2d);
        writeFlowAddress(out, flow, 1);
        out.byte(0x2d);
        out.long(flow.srcPort);
        out.byte(0x2d);
        out.long(flow.dstPort);
        out.byte(0x2d);
        out.long(flow.protocol);
        return;
      case 2:
        writeFlowAddress(out, flow, 0);
        return;
      case 4:
        writeFlowAddress(out, flow, 1);
        return;
      case 7:
        writeIsoMicrosTimestamp(out, flow.startUs, context.utcOffsetMinutes);
        return;
      default:
        out.text(correctedText(flow, column, context));
    }
  },
};
