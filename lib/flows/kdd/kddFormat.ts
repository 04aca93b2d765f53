/**
 * NSL-KDD connection records (41 features) from `corrected` flows: a flow is a connection.
 * Basic features come from the headers, the 19 traffic features from TrafficWindows. The 13
 * content features (hot ... is_guest_login) need payload inspection of login sessions and are
 * written as 0; README.md lists them. A model trained on NSL-KDD therefore sees live rows
 * whose content features are always 0.
 */
import { IpProtocol, TcpFlag } from '../../decode/packet.ts';
import { isoMicrosTimestamp } from '../cellText.ts';
import { correctedFlowId } from '../correctedFormat.ts';
import { type ColumnKind, type FeatureFormat, flowAddressText, type TextContext } from '../featureFormat.ts';
import { F, NUM_STRIDE } from '../flowStore.ts';
import type { FlowView } from '../flowView.ts';
import { isRejectError, isSynError, kddConnectionState } from './connectionState.ts';
import { kddProtocolType, kddService } from './services.ts';
import { TrafficWindows, trafficFeatureNames, type WindowConnection } from './trafficWindows.ts';

/** The 41 feature names in dataset order (NSL-KDD "Field Names.csv"). */
export const KDD_FEATURE_NAMES = [
  'duration', 'protocol_type', 'service', 'flag', 'src_bytes', 'dst_bytes', 'land', 'wrong_fragment',
  'urgent', 'hot', 'num_failed_logins', 'logged_in', 'num_compromised', 'root_shell', 'su_attempted',
  'num_root', 'num_file_creations', 'num_shells', 'num_access_files', 'num_outbound_cmds',
  'is_host_login', 'is_guest_login', ...trafficFeatureNames,
] as const;

/** Content features that need payload inspection; always 0 here. */
export const KDD_CONTENT_FEATURES = KDD_FEATURE_NAMES.slice(9, 22);

const IDENTIFIER_NAMES = ['Flow ID', 'Src IP', 'Src Port', 'Dst IP', 'Dst Port', 'Protocol', 'Timestamp'];
const COLUMN_NAMES = [...IDENTIFIER_NAMES, ...KDD_FEATURE_NAMES, 'label'];
export const KDD_HEADER_LINE = COLUMN_NAMES.join(',');

const FIRST_FEATURE = IDENTIFIER_NAMES.length;
const TEXT_COLUMNS = new Set([0, 1, 3, 6, FIRST_FEATURE + 1, FIRST_FEATURE + 2, FIRST_FEATURE + 3, COLUMN_NAMES.length - 1]);
const RATE_COLUMNS = new Set(
  trafficFeatureNames.flatMap((name, i) => (name.endsWith('_rate') ? [FIRST_FEATURE + 22 + i] : [])),
);
const COLUMNS = COLUMN_NAMES.map((name, i) => ({
  name,
  kind: (TEXT_COLUMNS.has(i) ? 'text' : RATE_COLUMNS.has(i) ? 'real' : 'integer') as ColumnKind,
}));

const scratchWords = new Uint32Array(8);

/** The basic (header) part of a connection, kept for the text cells of the same flow. */
interface BasicFeatures {
  protocolType: string;
  service: string;
  state: string;
}

function sameEndpoints(flow: FlowView): boolean {
  if (flow.srcPort !== flow.dstPort) return false;
  flow.copyAddress(0, scratchWords.subarray(0, 4));
  flow.copyAddress(1, scratchWords.subarray(4, 8));
  for (let i = 0; i < 4; i++) if (scratchWords[i] !== scratchWords[i + 4]) return false;
  return true;
}

class KddSession implements FeatureFormat {
  readonly name = 'kdd';
  readonly description = 'NSL-KDD 41-feature connection records (content features 0), from corrected flows';
  readonly flowMode = 'corrected' as const;
  readonly columns = COLUMNS;
  readonly headerLine = KDD_HEADER_LINE;
  readonly defaultLabel = 'unlabelled';
  private readonly windows = new TrafficWindows();
  private readonly last: BasicFeatures = { protocolType: '', service: '', state: '' };

  accepts(flow: FlowView): boolean {
    return flow.packets > 0;
  }

  fillRow(flow: FlowView, row: Float64Array): void {
    const num = flow.store.num;
    const b = flow.index * NUM_STRIDE;
    const protocol = flow.protocol;
    const forwardFlags = num[b + F.FWD_FLAGS_SEEN]!;
    const backwardFlags = num[b + F.BWD_FLAGS_SEEN]!;
    const state = kddConnectionState(protocol, {
      forwardFlags,
      backwardFlags,
      forwardSyn: (forwardFlags & TcpFlag.SYN) !== 0,
      backwardSynAck: (backwardFlags & TcpFlag.SYN) !== 0 && (backwardFlags & TcpFlag.ACK) !== 0,
      backwardPackets: flow.bwdPackets,
    });
    const icmp = protocol === IpProtocol.ICMP || protocol === IpProtocol.ICMPV6;
    const service = kddService(icmp ? IpProtocol.ICMP : protocol, flow.dstPort, num[b + F.ICMP_TYPE]!);
    this.last.protocolType = kddProtocolType(protocol);
    this.last.service = service;
    this.last.state = state;

    row.fill(0);
    for (const c of TEXT_COLUMNS) row[c] = NaN;
    row[2] = flow.srcPort;
    row[4] = flow.dstPort;
    row[5] = protocol;
    const f = FIRST_FEATURE;
    row[f] = Math.floor(flow.durationUs / 1e6);
    row[f + 4] = flow.fwdBytes;
    row[f + 5] = flow.bwdBytes;
    row[f + 6] = sameEndpoints(flow) ? 1 : 0;
    row[f + 7] = num[b + F.FRAGMENTS]!;
    row[f + 8] = num[b + F.FWD_URG]! + num[b + F.BWD_URG]!;

    const connection: WindowConnection = {
      endUs: flow.lastUs,
      dstHost: flowAddressText(flow, 1),
      service,
      srcPort: flow.srcPort,
      synError: isSynError(state),
      rejectError: isRejectError(state),
    };
    this.windows.observe(connection, row, f + 22);
  }

  text(flow: FlowView, column: number, context: TextContext): string {
    switch (column) {
      case 0:
        return correctedFlowId(flow);
      case 1:
        return flowAddressText(flow, 0);
      case 3:
        return flowAddressText(flow, 1);
      case 6:
        return isoMicrosTimestamp(flow.startUs, context.utcOffsetMinutes);
      case FIRST_FEATURE + 1:
        return this.last.protocolType;
      case FIRST_FEATURE + 2:
        return this.last.service;
      case FIRST_FEATURE + 3:
        return this.last.state;
      case COLUMN_NAMES.length - 1:
        return context.label;
      default:
        throw new Error(`kdd column ${column} is not a text column`);
    }
  }

  /** The categorical features of the flow last passed to fillRow, by feature name. */
  categories(): Readonly<Record<'protocol_type' | 'service' | 'flag', string>> {
    return { protocol_type: this.last.protocolType, service: this.last.service, flag: this.last.state };
  }

  createSession(): KddSession {
    return new KddSession();
  }
}

/** The registry's entry; every extraction works on its own session (see createSession). */
export const kddFormat: FeatureFormat = new KddSession();
