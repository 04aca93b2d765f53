import { ADDR_STRIDE, F, type FlowStore, I, INT_STRIDE, NUM_STRIDE, Stat } from './flowStore.ts';

export type FlowMode = 'cic2017' | 'corrected';

/** Why a flow was emitted. */
export const FlowEndReason = {
  /** cic2017: the first FIN of either side. */
  FIN: 'fin',
  /** corrected: FIN from both sides and the final ACK, or an RST, then the linger time passed. */
  CLOSED: 'closed',
  /** corrected: a new SYN reused the 5-tuple of a closed connection. */
  NEW_CONNECTION: 'new-connection',
  ACTIVE_TIMEOUT: 'active-timeout',
  IDLE_TIMEOUT: 'idle-timeout',
  /** The table was full and this was the least recently seen flow. */
  EVICTED: 'evicted',
  /** End of input. */
  FLUSH: 'flush',
} as const;
export type FlowEndReasonValue = (typeof FlowEndReason)[keyof typeof FlowEndReason];

/**
 * Read access to one flow inside the table. The table hands the SAME view to every onFlow call
 * and reuses the flow's storage right after, so read what you need inside the callback.
 */
export class FlowView {
  store: FlowStore;
  index = -1;
  readonly mode: FlowMode;
  reason: FlowEndReasonValue = FlowEndReason.FLUSH;

  constructor(store: FlowStore, mode: FlowMode) {
    this.store = store;
    this.mode = mode;
  }

  /** Value of a Float64 field (offsets from F). */
  num(fieldOffset: number): number {
    return this.store.num[this.index * NUM_STRIDE + fieldOffset]!;
  }

  /** Value of an Int32 field (offsets from I). */
  int(fieldOffset: number): number {
    return this.store.int[this.index * INT_STRIDE + fieldOffset]!;
  }

  /** One of the online statistics blocks, e.g. stat(F.FWD_LEN, Stat.MEAN). */
  stat(block: number, which: number): number {
    return this.store.num[this.index * NUM_STRIDE + block + which]!;
  }

  get ipVersion(): number {
    return this.int(I.IP_VERSION);
  }
  get protocol(): number {
    return this.int(I.PROTOCOL);
  }
  get srcPort(): number {
    return this.int(I.SRC_PORT);
  }
  get dstPort(): number {
    return this.int(I.DST_PORT);
  }
  get packets(): number {
    return this.int(I.PACKETS);
  }
  get fwdPackets(): number {
    return this.int(I.FWD_PACKETS);
  }
  get bwdPackets(): number {
    return this.int(I.BWD_PACKETS);
  }
  /** 0 for a flow's first segment; n for the n-th continuation after active-timeout splits. */
  get segment(): number {
    return this.int(I.SEGMENT);
  }
  get startUs(): number {
    return this.num(F.START);
  }
  get lastUs(): number {
    return this.num(F.LAST);
  }
  get durationUs(): number {
    return this.num(F.LAST) - this.num(F.START);
  }
  get fwdBytes(): number {
    return this.stat(F.FWD_LEN, Stat.SUM);
  }
  get bwdBytes(): number {
    return this.stat(F.BWD_LEN, Stat.SUM);
  }

  /** Copies the forward source (side 0) or destination (side 1) address words into `out`. */
  copyAddress(side: 0 | 1, out: Uint32Array): Uint32Array {
    const base = this.index * ADDR_STRIDE + side * 4;
    const addr = this.store.addr;
    out[0] = addr[base]!;
    out[1] = addr[base + 1]!;
    out[2] = addr[base + 2]!;
    out[3] = addr[base + 3]!;
    return out;
  }
}
