/**
 * Per-flow state kept as struct-of-arrays in typed arrays: flow `i` owns
 * `num[i * NUM_STRIDE ...]`, `int[i * INT_STRIDE ...]` and `addr[i * 8 ...]`.
 * A flow costs ~1 KB and the per-packet update is a handful of float writes, with no object
 * per flow for the garbage collector to trace. Arrays are sized for the table's bound at once (untouched pages cost nothing).
 */

/** Layout of one online-statistics block (Welford): count, mean, M2, sum, min, max. */
export const Stat = { N: 0, MEAN: 1, M2: 2, SUM: 3, MIN: 4, MAX: 5 } as const;
const STAT_SIZE = 6;

/** Bulk helper block of one direction (CICFlowMeter's bulk state machine). */
export const Bulk = {
  DURATION: 0,
  PACKETS: 1,
  BYTES: 2,
  COUNT: 3,
  HELPER_PACKETS: 4,
  HELPER_START: 5,
  HELPER_BYTES: 6,
  LAST_TS: 7,
} as const;
const BULK_SIZE = 8;

let nextField = 0;
function field(size = 1): number {
  const at = nextField;
  nextField += size;
  return at;
}

/** Offsets into a flow's Float64 block. Times are microseconds since the epoch. */
export const F = {
  START: field(),
  LAST: field(),
  FWD_LAST: field(),
  BWD_LAST: field(),
  ACTIVE_START: field(),
  ACTIVE_END: field(),
  /** Payload bytes per packet, by direction and for all packets. */
  FWD_LEN: field(STAT_SIZE),
  BWD_LEN: field(STAT_SIZE),
  ALL_LEN: field(STAT_SIZE),
  /** Inter-arrival times: any direction, forward only, backward only. */
  FLOW_IAT: field(STAT_SIZE),
  FWD_IAT: field(STAT_SIZE),
  BWD_IAT: field(STAT_SIZE),
  ACTIVE: field(STAT_SIZE),
  IDLE: field(STAT_SIZE),
  FWD_HEADER_BYTES: field(),
  BWD_HEADER_BYTES: field(),
  /** Smallest transport header seen forward; -1 until the first forward packet. */
  FWD_MIN_HEADER: field(),
  FWD_PSH: field(),
  BWD_PSH: field(),
  FWD_URG: field(),
  BWD_URG: field(),
  FWD_RST: field(),
  BWD_RST: field(),
  FWD_FIN: field(),
  BWD_FIN: field(),
  /** Packets carrying each TCP flag, both directions: 8 counters in wire-bit order FIN..CWR. */
  FLAG_COUNTS: field(8),
  FIRST_FLAGS: field(),
  /** OR of every TCP flag bit each direction sent (KDD connection state). */
  FWD_FLAGS_SEEN: field(),
  BWD_FLAGS_SEEN: field(),
  /** Packets that were IP fragments (KDD wrong_fragment). */
  FRAGMENTS: field(),
  FIRST_PAYLOAD: field(),
  /** -1 until seen. */
  FWD_INIT_WINDOW: field(),
  BWD_INIT_WINDOW: field(),
  BWD_LAST_WINDOW: field(),
  /** Forward packets with payload >= 1, not counting the flow's first packet (as both tools do). */
  FWD_DATA_PACKETS: field(),
  FWD_BULK: field(BULK_SIZE),
  BWD_BULK: field(BULK_SIZE),
  ICMP_TYPE: field(),
  ICMP_CODE: field(),
  /** TCP connection time carried over from earlier segments of a timed-out connection. */
  TCP_CARRIED_TIME: field(),
  /** Last packet time of the previous segment of this connection; -1 for a fresh flow. */
  PREVIOUS_SEGMENT_LAST: field(),
} as const;
export const NUM_STRIDE = nextField;

/** Offsets into a flow's Int32 block. */
export const I = {
  IP_VERSION: 0,
  PROTOCOL: 1,
  SRC_PORT: 2,
  DST_PORT: 3,
  HASH: 4,
  PACKETS: 5,
  FWD_PACKETS: 6,
  BWD_PACKETS: 7,
  /** TcpClose state, see flowTable.ts. */
  TCP_STATE: 8,
  /** FlowBits. */
  BITS: 9,
  /** Segments emitted before this one for the same connection (active-timeout splits). */
  SEGMENT: 10,
} as const;
export const INT_STRIDE = 11;
export const ADDR_STRIDE = 8;

export const FlowBits = {
  /** Source and destination addresses are equal (cic2017 then calls every packet forward). */
  SAME_ADDRESS: 1,
  IN_CLOSING_LIST: 2,
} as const;

export class FlowStore {
  readonly num: Float64Array;
  readonly int: Int32Array;
  /** src words 0-3, dst words 4-7 (IPv4 uses words 0 and 4). */
  readonly addr: Uint32Array;

  /** Room for `capacity` flows; pages take memory only once a flow uses them. */
  constructor(readonly capacity: number) {
    this.num = new Float64Array(capacity * NUM_STRIDE);
    this.int = new Int32Array(capacity * INT_STRIDE);
    this.addr = new Uint32Array(capacity * ADDR_STRIDE);
  }

}
