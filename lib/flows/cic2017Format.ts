/**
 * CIC-IDS2017 "GeneratedLabelledFlows" layout (85 columns) with the values the 2017/2018
 * CICFlowMeter (ahlashkari/CICFlowMeter @ eaa853d) actually wrote, bugs included, so features
 * computed here line up with models trained on that dataset. Each quirk is checked against the
 * tool's own output for test.pcap (test/flows/cic2017Parity.test.ts) and listed in README.md.
 */
import { TcpFlag } from '../decode/packet.ts';
import { cic2017Timestamp } from './cellText.ts';
import {
  type ColumnKind,
  columnsFromHeader,
  type FeatureFormat,
  flowAddressText,
  sampleStd,
  type TextContext,
} from './featureFormat.ts';
import { ADDR_STRIDE, F, NUM_STRIDE, Stat } from './flowStore.ts';
import type { FlowView } from './flowView.ts';
import { writeActivityStats, writeIatStats, writeLengthStats } from './statColumns.ts';

export const CIC2017_HEADER_LINE =
  'Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp, Flow Duration, ' +
  'Total Fwd Packets, Total Backward Packets,Total Length of Fwd Packets, Total Length of Bwd Packets, ' +
  'Fwd Packet Length Max, Fwd Packet Length Min, Fwd Packet Length Mean, Fwd Packet Length Std,' +
  'Bwd Packet Length Max, Bwd Packet Length Min, Bwd Packet Length Mean, Bwd Packet Length Std,' +
  'Flow Bytes/s, Flow Packets/s, Flow IAT Mean, Flow IAT Std, Flow IAT Max, Flow IAT Min,' +
  'Fwd IAT Total, Fwd IAT Mean, Fwd IAT Std, Fwd IAT Max, Fwd IAT Min,' +
  'Bwd IAT Total, Bwd IAT Mean, Bwd IAT Std, Bwd IAT Max, Bwd IAT Min,' +
  'Fwd PSH Flags, Bwd PSH Flags, Fwd URG Flags, Bwd URG Flags, Fwd Header Length, Bwd Header Length,' +
  'Fwd Packets/s, Bwd Packets/s, Min Packet Length, Max Packet Length, Packet Length Mean, Packet Length Std, ' +
  'Packet Length Variance,FIN Flag Count, SYN Flag Count, RST Flag Count, PSH Flag Count, ACK Flag Count, ' +
  'URG Flag Count, CWE Flag Count, ECE Flag Count, Down/Up Ratio, Average Packet Size, Avg Fwd Segment Size, ' +
  'Avg Bwd Segment Size, Fwd Header Length,Fwd Avg Bytes/Bulk, Fwd Avg Packets/Bulk, Fwd Avg Bulk Rate, ' +
  'Bwd Avg Bytes/Bulk, Bwd Avg Packets/Bulk,Bwd Avg Bulk Rate,Subflow Fwd Packets, Subflow Fwd Bytes, ' +
  'Subflow Bwd Packets, Subflow Bwd Bytes,Init_Win_bytes_forward, Init_Win_bytes_backward, act_data_pkt_fwd, ' +
  'min_seg_size_forward,Active Mean, Active Std, Active Max, Active Min,Idle Mean, Idle Std, Idle Max, Idle Min, Label';

const T: ColumnKind = 'text';
const N: ColumnKind = 'integer';
const R: ColumnKind = 'real';
// prettier-ignore
const KINDS: ColumnKind[] = [
  T, T, N, T, N, N, T, N, N, N, // Flow ID .. Total Backward Packets
  R, R, R, R, R, R, R, R, R, R, // Total Length .. Bwd Packet Length Std
  R, R, R, R, R, R, // Flow Bytes/s .. Flow IAT Min
  R, R, R, R, R, R, R, R, R, R, // Fwd IAT .., Bwd IAT ..
  N, N, N, N, N, N, // PSH/URG flags, header lengths
  R, R, R, R, R, R, R, // Fwd/Bwd Packets/s, packet length stats
  N, N, N, N, N, N, N, N, // flag counts
  R, R, R, R, N, // Down/Up .. Avg Bwd Segment Size, Fwd Header Length.1
  N, N, N, N, N, N, // bulk
  N, N, N, N, // subflow
  N, N, N, N, // init windows, act_data_pkt_fwd, min_seg_size_forward
  R, R, R, R, R, R, R, R, // active, idle
  T, // Label
];

const COLUMNS = columnsFromHeader(CIC2017_HEADER_LINE, KINDS);

/**
 * The tool wrote its flag counters by iterating a Java HashMap<String, _>, whose order is fixed
 * by the keys' hash codes: RST, PSH, ECE, SYN, ACK, FIN, URG, CWR. So the column headed
 * "FIN Flag Count" holds RST, "SYN Flag Count" holds PSH, and so on.
 */
const FLAG_COLUMNS_IN_HASHMAP_ORDER = [
  TcpFlag.RST,
  TcpFlag.PSH,
  TcpFlag.ECE,
  TcpFlag.SYN,
  TcpFlag.ACK,
  TcpFlag.FIN,
  TcpFlag.URG,
  TcpFlag.CWR,
] as const;

function fillCic2017Row(flow: FlowView, row: Float64Array): void {
  const num = flow.store.num;
  const b = flow.index * NUM_STRIDE;
  const fwdPackets = flow.fwdPackets;
  const bwdPackets = flow.bwdPackets;
  const packets = flow.packets;
  const duration = num[b + F.LAST]! - num[b + F.START]!;
  const fwdBytes = num[b + F.FWD_LEN + Stat.SUM]!;
  const bwdBytes = num[b + F.BWD_LEN + Stat.SUM]!;
  const firstFlags = num[b + F.FIRST_FLAGS]!;
  let c = 0;
  row[c++] = NaN; // Flow ID
  row[c++] = NaN; // Source IP
  row[c++] = flow.srcPort;
  row[c++] = NaN; // Destination IP
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
  // Java double division: 0/0 is NaN and x/0 is Infinity, written as such in the dataset.
  row[c++] = (fwdBytes + bwdBytes) / (duration / 1e6);
  row[c++] = packets / (duration / 1e6);
  const iat = b + F.FLOW_IAT;
  row[c++] = num[iat + Stat.MEAN]!;
  row[c++] = sampleStd(num[iat + Stat.N]!, num[iat + Stat.M2]!);
  row[c++] = num[iat + Stat.MAX]!;
  row[c++] = num[iat + Stat.MIN]!;
  c = writeIatStats(num, b + F.FWD_IAT, fwdPackets > 1, row, c);
  c = writeIatStats(num, b + F.BWD_IAT, bwdPackets > 1, row, c);
  // PSH/URG were only counted for the first packet, which the tool always files as forward.
  row[c++] = (firstFlags & TcpFlag.PSH) !== 0 ? 1 : 0;
  row[c++] = 0;
  row[c++] = (firstFlags & TcpFlag.URG) !== 0 ? 1 : 0;
  row[c++] = 0;
  row[c++] = num[b + F.FWD_HEADER_BYTES]!;
  row[c++] = num[b + F.BWD_HEADER_BYTES]!;
  row[c++] = duration > 0 ? fwdPackets / (duration / 1e6) : 0;
  row[c++] = duration > 0 ? bwdPackets / (duration / 1e6) : 0;
  // The first packet's payload entered the all-packet statistics twice.
  const all = b + F.ALL_LEN;
  const first = num[b + F.FIRST_PAYLOAD]!;
  const n = num[all + Stat.N]! + 1;
  const mean = num[all + Stat.MEAN]!;
  const delta = first - mean;
  const newMean = mean + delta / n;
  const m2 = num[all + Stat.M2]! + delta * (first - newMean);
  row[c++] = num[all + Stat.MIN]!;
  row[c++] = num[all + Stat.MAX]!;
  row[c++] = newMean;
  row[c++] = sampleStd(n, m2);
  row[c++] = n > 1 ? m2 / (n - 1) : 0;
  // Flags were only checked on the first packet.
  for (let i = 0; i < 8; i++) row[c++] = (firstFlags & FLAG_COLUMNS_IN_HASHMAP_ORDER[i]!) !== 0 ? 1 : 0;
  row[c++] = fwdPackets > 0 ? Math.floor(bwdPackets / fwdPackets) : 0; // integer division in Java
  row[c++] = packets > 0 ? (num[all + Stat.SUM]! + first) / packets : 0;
  row[c++] = fwdPackets > 0 ? fwdBytes / fwdPackets : 0;
  row[c++] = bwdPackets > 0 ? bwdBytes / bwdPackets : 0;
  row[c++] = num[b + F.FWD_HEADER_BYTES]!;
  // Bulk state only ever saw the first packet, so no bulk (>= 4 packets) was ever completed.
  for (let i = 0; i < 6; i++) row[c++] = 0;
  // The subflow counter was bumped once, on the first packet, so each subflow value is the total.
  row[c++] = fwdPackets;
  row[c++] = fwdBytes;
  row[c++] = bwdPackets;
  row[c++] = bwdBytes;
  row[c++] = num[b + F.FWD_INIT_WINDOW]!;
  row[c++] = num[b + F.BWD_LAST_WINDOW]!; // the LAST backward window, despite the name
  row[c++] = num[b + F.FWD_DATA_PACKETS]!;
  row[c++] = Math.max(0, num[b + F.FWD_MIN_HEADER]!);
  c = writeActivityStats(num, b + F.ACTIVE, row, c);
  c = writeActivityStats(num, b + F.IDLE, row, c);
  row[c++] = NaN; // Label
}




/**
 * The tool's Flow ID: "lower-higher-lowerPort-higherPort-proto", where lower/higher compares the
 * address bytes as Java's SIGNED bytes, so 10.x sorts after 188.x (-68 < 10).
 */
export function cic2017FlowId(flow: FlowView): string {
  const addr = flow.store.addr;
  const base = flow.index * ADDR_STRIDE;
  const byteCount = flow.ipVersion === 6 ? 16 : 4;
  let keep = true;
  for (let i = 0; i < byteCount; i++) {
    const word = i >> 2;
    const shift = 24 - (i & 3) * 8;
    const a = (((addr[base + word]! >>> shift) & 0xff) << 24) >> 24;
    const b = (((addr[base + 4 + word]! >>> shift) & 0xff) << 24) >> 24;
    if (a !== b) {
      keep = a < b;
      break;
    }
  }
  const src = flowAddressText(flow, 0);
  const dst = flowAddressText(flow, 1);
  return keep
    ? `${src}-${dst}-${flow.srcPort}-${flow.dstPort}-${flow.protocol}`
    : `${dst}-${src}-${flow.dstPort}-${flow.srcPort}-${flow.protocol}`;
}

function cic2017Text(flow: FlowView, column: number, context: TextContext): string {
  switch (column) {
    case 0:
      return cic2017FlowId(flow);
    case 1:
      return flowAddressText(flow, 0);
    case 3:
      return flowAddressText(flow, 1);
    case 6:
      return cic2017Timestamp(flow.startUs, context.utcOffsetMinutes);
    case 84:
      return context.label;
    default:
      throw new Error(`cic2017 column ${column} is not a text column`);
  }
}

export const cic2017Format: FeatureFormat = {
  name: 'cic2017',
  description: 'CIC-IDS2017 GeneratedLabelledFlows (85 columns), values as the 2017 CICFlowMeter wrote them',
  flowMode: 'cic2017',
  columns: COLUMNS,
  headerLine: CIC2017_HEADER_LINE,
  defaultLabel: 'NeedManualLabel',
  accepts: (flow) => flow.packets > 1,
  fillRow: fillCic2017Row,
  text: cic2017Text,
};
