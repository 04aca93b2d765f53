/**
 * Bidirectional flow table: DecodedPacket in, finished flows out through `onFlow`.
 *
 * Flows are keyed by (IP version, addresses, ports, protocol) in an open-addressing hash of
 * typed-array slots. The hash is symmetric in the two endpoints, so one probe sequence finds a
 * flow from either side; at each candidate the forward key is compared first, then the reversed
 * one, and that decides the packet's direction once (Zeek's habit). Per-flow state lives in
 * FlowStore's typed arrays; nothing is allocated per packet.
 *
 * Three intrusive lists (typed-array prev/next) order the flows by start time (active timeout),
 * by last packet (idle timeout, eviction) and by close time (corrected mode's linger), so expiry
 * only ever looks at list heads. Expiry runs on every packet with the packet clock; `sweep(now)`
 * runs it with any clock, so a live monitor emits flows without waiting for another packet.
 */
import { type DecodedPacket, IpProtocol, TcpFlag } from '../decode/packet.ts';
import { ADDR_STRIDE, Bulk, F, FlowBits, FlowStore, I, INT_STRIDE, NUM_STRIDE, Stat } from './flowStore.ts';
import { FlowEndReason, type FlowEndReasonValue, type FlowMode, FlowView } from './flowView.ts';
import { fmix32 } from './fmix32.ts';

export interface FlowTableOptions {
  /**
   * 'cic2017' reproduces the CICFlowMeter build that made CIC-IDS2017 (first FIN ends a flow,
   * RST ignored, no idle timeout, non-TCP/UDP packets folded into protocol 0).
   * 'corrected' follows Engelen et al. 2021 (RST or FIN+FIN+ACK ends a flow, SYN-ACK-first flips
   * direction, idle timeout) and is what the live monitor uses.
   */
  mode: FlowMode;
  /** Called for every finished flow; the view is only valid during the call. */
  onFlow: (flow: FlowView) => void;
  /** Flow length limit measured from the flow's first packet. Default 120 s (both tools). */
  activeTimeoutUs?: number;
  /** Gap after which a silent flow is emitted. Default 60 s in corrected mode, none in cic2017. */
  idleTimeoutUs?: number;
  /** Gap that separates Active and Idle periods inside a flow. Default 5 s (both tools). */
  activityTimeoutUs?: number;
  /**
   * corrected mode: how long a closed TCP flow keeps absorbing stray packets (retransmitted FIN,
   * RST after FIN) before it is emitted. Default 2 s; 0 emits on the closing packet.
   */
  closeLingerUs?: number;
  /** Bound on concurrent flows; when reached the least recently seen flow is evicted. Default 65,536. */
  maxFlows?: number;
  /** Hash seed; random by default. Output does not depend on it (eviction follows recency, not slots). */
  hashSeed?: number;
}

export interface FlowTableStats {
  packets: number;
  /** Packets without an IP header (decoder returned ipVersion 0); not part of any flow. */
  nonIpPackets: number;
  flowsCreated: number;
  flowsEmitted: number;
  /** Flows pushed out because the table was full. Each is still emitted. */
  evictions: number;
  activeTimeouts: number;
  idleTimeouts: number;
  activeFlows: number;
  peakActiveFlows: number;
  /** onFlow calls that threw. The table finishes its work and rethrows the first error of each call. */
  callbackErrors: number;
}

/** corrected-mode TCP teardown state (Engelen's TcpFlowState). */
const TcpClose = { OPEN: 0, BOTH_FIN: 1, CLOSED: 2 } as const;

const LIST_AGE = 0;
const LIST_RECENT = 1;
const LIST_CLOSING = 2;
const LIST_COUNT = 3;
const NONE = -1;
const EMPTY = -1;

/**
 * About 0.9 KB of typed-array state per flow: ~60 MB at the bound. It is allocated at the bound
 * up front: fresh zeroed pages take no memory until a flow first uses them, whereas growing by
 * doubling held the old and the new arrays at once (87 MB when 32,768 flows became 65,536).
 */
const DEFAULT_MAX_FLOWS = 65_536;

function mixWord(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function endpointHash(seed: number, words: Uint32Array, port: number, ipVersion: number): number {
  let h = mixWord(seed, words[0]!);
  // IPv4 keeps words 1-3 at zero; skipping them saves most of the hashing work.
  if (ipVersion === 6) {
    h = mixWord(h, words[1]!);
    h = mixWord(h, words[2]!);
    h = mixWord(h, words[3]!);
  }
  return mixWord(h, port);
}


/** Welford update of one statistics block. */
function addStat(num: Float64Array, at: number, x: number): void {
  const n = num[at + Stat.N]! + 1;
  num[at + Stat.N] = n;
  const mean = num[at + Stat.MEAN]!;
  const delta = x - mean;
  const newMean = mean + delta / n;
  num[at + Stat.MEAN] = newMean;
  num[at + Stat.M2] = num[at + Stat.M2]! + delta * (x - newMean);
  num[at + Stat.SUM] = num[at + Stat.SUM]! + x;
  if (n === 1) {
    num[at + Stat.MIN] = x;
    num[at + Stat.MAX] = x;
  } else {
    if (x < num[at + Stat.MIN]!) num[at + Stat.MIN] = x;
    if (x > num[at + Stat.MAX]!) num[at + Stat.MAX] = x;
  }
}

/**
 * The current packet's timestamp. Timestamps are not small integers, so passing one to a
 * function V8 does not inline would box it on the heap; callees read it from here instead.
 */
const packetTime = new Float64Array(1);

/** CICFlowMeter's bulk state machine for one direction (>= 4 payload packets, gaps <= 1 s). */
function updateBulk(num: Float64Array, at: number, otherAt: number, size: number): void {
  const ts = packetTime[0]!;
  if (num[otherAt + Bulk.LAST_TS]! > num[at + Bulk.HELPER_START]!) num[at + Bulk.HELPER_START] = 0;
  if (size <= 0) return;
  if (num[at + Bulk.HELPER_START] === 0) {
    num[at + Bulk.HELPER_START] = ts;
    num[at + Bulk.HELPER_PACKETS] = 1;
    num[at + Bulk.HELPER_BYTES] = size;
    num[at + Bulk.LAST_TS] = ts;
  } else if ((ts - num[at + Bulk.LAST_TS]!) / 1e6 > 1.0) {
    num[at + Bulk.HELPER_START] = ts;
    num[at + Bulk.LAST_TS] = ts;
    num[at + Bulk.HELPER_PACKETS] = 1;
    num[at + Bulk.HELPER_BYTES] = size;
  } else {
    const helperPackets = num[at + Bulk.HELPER_PACKETS]! + 1;
    num[at + Bulk.HELPER_PACKETS] = helperPackets;
    num[at + Bulk.HELPER_BYTES] = num[at + Bulk.HELPER_BYTES]! + size;
    if (helperPackets === 4) {
      num[at + Bulk.COUNT] = num[at + Bulk.COUNT]! + 1;
      num[at + Bulk.PACKETS] = num[at + Bulk.PACKETS]! + helperPackets;
      num[at + Bulk.BYTES] = num[at + Bulk.BYTES]! + num[at + Bulk.HELPER_BYTES]!;
      num[at + Bulk.DURATION] = num[at + Bulk.DURATION]! + (ts - num[at + Bulk.HELPER_START]!);
    } else if (helperPackets > 4) {
      num[at + Bulk.PACKETS] = num[at + Bulk.PACKETS]! + 1;
      num[at + Bulk.BYTES] = num[at + Bulk.BYTES]! + size;
      num[at + Bulk.DURATION] = num[at + Bulk.DURATION]! + (ts - num[at + Bulk.LAST_TS]!);
    }
    num[at + Bulk.LAST_TS] = ts;
  }
}

export class FlowTable {
  readonly mode: FlowMode;
  readonly stats: FlowTableStats = {
    packets: 0,
    nonIpPackets: 0,
    flowsCreated: 0,
    flowsEmitted: 0,
    evictions: 0,
    activeTimeouts: 0,
    idleTimeouts: 0,
    activeFlows: 0,
    peakActiveFlows: 0,
    callbackErrors: 0,
  };

  private readonly onFlow: (flow: FlowView) => void;
  private readonly activeTimeoutUs: number;
  private readonly idleTimeoutUs: number;
  private readonly activityTimeoutUs: number;
  private readonly closeLingerUs: number;
  private readonly maxFlows: number;
  private readonly cic2017: boolean;
  /** Random per table so crafted 5-tuples cannot aim at one probe chain (Zeek seeds its hashes too). */
  private readonly hashSeed: number;

  private readonly store: FlowStore;
  private readonly view: FlowView;
  private readonly slots: Int32Array;
  private readonly slotHashes: Uint32Array;
  private readonly slotMask: number;
  /** prev/next per list per flow: links[(flow * LIST_COUNT + list) * 2 + 0|1]. */
  private links: Int32Array;
  private readonly heads = new Int32Array(LIST_COUNT).fill(NONE);
  private readonly tails = new Int32Array(LIST_COUNT).fill(NONE);
  private freeList: Int32Array;
  private freeCount = 0;
  private nextUnused = 0;
  private clockUs = -Infinity;
  /**
   * No flow can expire before this time: list heads hold the earliest start / last-seen times and
   * later appends only add later ones, so expiry is a single comparison per packet until then.
   */
  private nextExpiryUs = -Infinity;
  private hasCallbackError = false;
  private callbackError: unknown = undefined;

  constructor(options: FlowTableOptions) {
    if (options.mode !== 'cic2017' && options.mode !== 'corrected') {
      throw new Error(`unknown flow mode "${String(options.mode)}"; expected "cic2017" or "corrected"`);
    }
    this.mode = options.mode;
    this.cic2017 = options.mode === 'cic2017';
    this.onFlow = options.onFlow;
    this.activeTimeoutUs = options.activeTimeoutUs ?? 120_000_000;
    this.idleTimeoutUs = options.idleTimeoutUs ?? (this.cic2017 ? Infinity : 60_000_000);
    this.activityTimeoutUs = options.activityTimeoutUs ?? 5_000_000;
    this.closeLingerUs = options.closeLingerUs ?? 2_000_000;
    this.maxFlows = options.maxFlows ?? DEFAULT_MAX_FLOWS;
    this.hashSeed = options.hashSeed ?? (Math.random() * 0x100000000) | 0;
    if (!(this.activeTimeoutUs > 0)) throw new Error('activeTimeoutUs must be > 0');
    if (!(this.idleTimeoutUs > 0)) throw new Error('idleTimeoutUs must be > 0');
    if (!(this.closeLingerUs >= 0)) throw new Error('closeLingerUs must be >= 0');
    if (!(Number.isInteger(this.maxFlows) && this.maxFlows >= 1)) throw new Error('maxFlows must be an integer >= 1');

    let slotCount = 16;
    while (slotCount < this.maxFlows * 2) slotCount *= 2;
    this.slots = new Int32Array(slotCount).fill(EMPTY);
    this.slotHashes = new Uint32Array(slotCount);
    this.slotMask = slotCount - 1;

    const capacity = this.maxFlows;
    this.store = new FlowStore(capacity);
    this.links = new Int32Array(capacity * LIST_COUNT * 2).fill(NONE);
    this.freeList = new Int32Array(capacity);
    this.view = new FlowView(this.store, this.mode);
  }

  /**
   * Adds one decoded packet. Non-IP packets are counted and skipped.
   * `linkTrailerLength`: bytes the frame carries after the IP packet (Ethernet padding of short
   * frames). Only cic2017 mode uses it: jnetpcap counted them as TCP payload, which is why
   * CIC-IDS2017's SYN-scan rows show 2-byte SYNs and 6-byte RSTs.
   */
  addPacket(p: DecodedPacket, linkTrailerLength = 0): void {
    this.ingest(p, linkTrailerLength);
    if (this.hasCallbackError) this.throwCallbackError();
  }

  /** Emits flows whose active, idle or linger time has run out at `nowUs` (packet or wall clock). */
  sweep(nowUs: number): void {
    this.expire(nowUs);
    if (this.hasCallbackError) this.throwCallbackError();
  }

  /** Emits every flow still in the table, oldest first, and empties the table. */
  flushAll(): void {
    for (let index = this.heads[LIST_AGE]!; index !== NONE; index = this.heads[LIST_AGE]!) {
      this.emitAndRemove(index, FlowEndReason.FLUSH);
    }
    if (this.hasCallbackError) this.throwCallbackError();
  }

  private ingest(p: DecodedPacket, linkTrailerLength: number): void {
    this.stats.packets++;
    if (p.ipVersion === 0) {
      this.stats.nonIpPackets++;
      return;
    }
    const ts = p.timestampUs;
    packetTime[0] = ts;
    if (ts > this.clockUs) this.clockUs = ts;
    if (this.clockUs > this.nextExpiryUs) this.expire(this.clockUs);

    let protocol = p.protocol;
    const hasPorts = (protocol === IpProtocol.TCP || protocol === IpProtocol.UDP) && !p.isNonFirstFragment;
    const isTcp = hasPorts && protocol === IpProtocol.TCP;
    let srcPort = 0;
    let dstPort = 0;
    if (hasPorts) {
      srcPort = p.srcPort;
      dstPort = p.dstPort;
    } else if (this.cic2017) {
      // jnetpcap-based CICFlowMeter made such packets protocol 0 with ports 0.
      protocol = 0;
    }
    const flags = isTcp ? p.tcpFlags : 0;

    const hash = fmix32(
      (endpointHash(this.hashSeed, p.src, srcPort, p.ipVersion) +
        endpointHash(this.hashSeed, p.dst, dstPort, p.ipVersion) +
        Math.imul(protocol | (p.ipVersion << 8), 0x27d4eb2d)) |
        0,
    ) >>> 0;
    const store = this.store;
    const int = store.int;
    const addr = store.addr;
    const src = p.src;
    const dst = p.dst;
    const mask = this.slotMask;
    let slot = hash & mask;
    let index = EMPTY;
    let forward = true;
    for (;;) {
      const candidate = this.slots[slot]!;
      if (candidate === EMPTY) break;
      if (this.slotHashes[slot] === hash) {
        const ib = candidate * INT_STRIDE;
        if (int[ib + I.PROTOCOL] === protocol && int[ib + I.IP_VERSION] === p.ipVersion) {
          const ab = candidate * ADDR_STRIDE;
          if (
            int[ib + I.SRC_PORT] === srcPort &&
            int[ib + I.DST_PORT] === dstPort &&
            addr[ab] === src[0] &&
            addr[ab + 1] === src[1] &&
            addr[ab + 2] === src[2] &&
            addr[ab + 3] === src[3] &&
            addr[ab + 4] === dst[0] &&
            addr[ab + 5] === dst[1] &&
            addr[ab + 6] === dst[2] &&
            addr[ab + 7] === dst[3]
          ) {
            index = candidate;
            forward = true;
            break;
          }
          if (
            int[ib + I.SRC_PORT] === dstPort &&
            int[ib + I.DST_PORT] === srcPort &&
            addr[ab] === dst[0] &&
            addr[ab + 1] === dst[1] &&
            addr[ab + 2] === dst[2] &&
            addr[ab + 3] === dst[3] &&
            addr[ab + 4] === src[0] &&
            addr[ab + 5] === src[1] &&
            addr[ab + 6] === src[2] &&
            addr[ab + 7] === src[3]
          ) {
            index = candidate;
            forward = false;
            break;
          }
        }
      }
      slot = (slot + 1) & mask;
    }

    let payload = hasPorts ? p.payloadLength : 0;
    if (this.cic2017 && isTcp && linkTrailerLength > 0) payload += linkTrailerLength;
    const header = hasPorts ? p.l4HeaderLength : 0;
    const window = isTcp ? p.tcpWindow : -1;

    if (index === EMPTY) {
      // A SYN-ACK seen first means we missed the SYN: the sender is the server (corrected mode).
      const reversed =
        !this.cic2017 && isTcp && (flags & (TcpFlag.SYN | TcpFlag.ACK)) === (TcpFlag.SYN | TcpFlag.ACK);
      index = this.createFlow(p, protocol, srcPort, dstPort, hash, reversed);
      this.update(index, p, !reversed, true, payload, header, window, flags);
      if (!this.cic2017 && isTcp) this.advanceTcpClose(index, flags);
      return;
    }

    const ib = index * INT_STRIDE;
    if (this.cic2017) {
      // The original compares source addresses only, so a flow between two ports of one host is all forward.
      if ((int[ib + I.BITS]! & FlowBits.SAME_ADDRESS) !== 0) forward = true;
      if (int[ib + I.PACKETS] === 0) {
        // First packet of a segment restarted by the active timeout: the original counts it forward.
        this.update(index, p, true, true, payload, header, window, flags);
        this.touchStart(index);
        this.touchRecent(index);
        return;
      }
      if ((flags & TcpFlag.FIN) !== 0) {
        this.update(index, p, forward, false, payload, header, window, flags);
        this.emitAndRemove(index, FlowEndReason.FIN);
        return;
      }
      this.updateActiveIdle(index);
      this.update(index, p, forward, false, payload, header, window, flags);
      this.touchRecent(index);
      return;
    }

    // corrected mode
    if (int[ib + I.TCP_STATE] === TcpClose.CLOSED && (flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN) {
      this.emitAndRemove(index, FlowEndReason.NEW_CONNECTION);
      index = this.createFlow(p, protocol, srcPort, dstPort, hash, false);
      this.update(index, p, true, true, payload, header, window, flags);
      return;
    }
    if (int[ib + I.PACKETS] === 0) {
      const num = store.num;
      const nb = index * NUM_STRIDE;
      if (isTcp) {
        // Same connection continuing after an active-timeout split: keep its orientation and
        // carry the silent gap into Total TCP Flow Time.
        num[nb + F.TCP_CARRIED_TIME] = num[nb + F.TCP_CARRIED_TIME]! + (ts - num[nb + F.PREVIOUS_SEGMENT_LAST]!);
      } else if (!forward) {
        this.swapOrientation(index);
        forward = true;
      }
      this.update(index, p, forward, true, payload, header, window, flags);
      this.touchStart(index);
    } else {
      this.updateActiveIdle(index);
      this.update(index, p, forward, false, payload, header, window, flags);
    }
    this.touchRecent(index);
    if (isTcp) this.advanceTcpClose(index, flags);
  }

  /**
   * corrected mode's teardown (Engelen's TcpFlowState): FIN seen from both sides, then an ACK,
   * closes the flow; any RST closes it at once. A closed flow lingers to absorb stray packets.
   */
  private advanceTcpClose(index: number, flags: number): void {
    const int = this.store.int;
    const ib = index * INT_STRIDE;
    const state = int[ib + I.TCP_STATE]!;
    let next = state;
    if ((flags & TcpFlag.RST) !== 0) next = TcpClose.CLOSED;
    else if ((flags & TcpFlag.FIN) !== 0) {
      const nb = index * NUM_STRIDE;
      const num = this.store.num;
      if (state === TcpClose.OPEN && num[nb + F.FWD_FIN]! > 0 && num[nb + F.BWD_FIN]! > 0) next = TcpClose.BOTH_FIN;
    } else if ((flags & TcpFlag.ACK) !== 0 && state === TcpClose.BOTH_FIN) next = TcpClose.CLOSED;

    if (next === TcpClose.CLOSED && state !== TcpClose.CLOSED) {
      int[ib + I.TCP_STATE] = next;
      if (this.closeLingerUs === 0) {
        this.emitAndRemove(index, FlowEndReason.CLOSED);
        return;
      }
      this.listAppend(LIST_CLOSING, index);
      int[ib + I.BITS] = int[ib + I.BITS]! | FlowBits.IN_CLOSING_LIST;
      return;
    }
    int[ib + I.TCP_STATE] = next;
    if ((int[ib + I.BITS]! & FlowBits.IN_CLOSING_LIST) !== 0) {
      this.listRemove(LIST_CLOSING, index);
      this.listAppend(LIST_CLOSING, index);
    }
  }

  private expire(nowUs: number): void {
    const num = this.store.num;
    const int = this.store.int;
    // Closed and idle flows first, so a flow that qualifies for several ends is reported by the
    // most specific reason and is not split into an empty active-timeout segment.
    for (let index = this.heads[LIST_CLOSING]!; index !== NONE; index = this.heads[LIST_CLOSING]!) {
      if (!(nowUs - num[index * NUM_STRIDE + F.LAST]! > this.closeLingerUs)) break;
      this.emitAndRemove(index, FlowEndReason.CLOSED);
    }
    for (let index = this.heads[LIST_RECENT]!; index !== NONE; index = this.heads[LIST_RECENT]!) {
      if (!(nowUs - num[index * NUM_STRIDE + F.LAST]! > this.idleTimeoutUs)) break;
      if (int[index * INT_STRIDE + I.PACKETS] !== 0) {
        this.stats.idleTimeouts++;
        this.emit(index, FlowEndReason.IDLE_TIMEOUT);
      }
      this.removeFlow(index);
    }
    for (let index = this.heads[LIST_AGE]!; index !== NONE; index = this.heads[LIST_AGE]!) {
      if (!(nowUs - num[index * NUM_STRIDE + F.START]! > this.activeTimeoutUs)) break;
      if (int[index * INT_STRIDE + I.PACKETS] === 0) {
        this.removeFlow(index);
        continue;
      }
      this.stats.activeTimeouts++;
      this.emit(index, FlowEndReason.ACTIVE_TIMEOUT);
      this.restartSegment(index, nowUs);
    }
    let next = Infinity;
    let head = this.heads[LIST_CLOSING]!;
    if (head !== NONE) next = Math.min(next, num[head * NUM_STRIDE + F.LAST]! + this.closeLingerUs);
    head = this.heads[LIST_RECENT]!;
    if (head !== NONE) next = Math.min(next, num[head * NUM_STRIDE + F.LAST]! + this.idleTimeoutUs);
    head = this.heads[LIST_AGE]!;
    if (head !== NONE) next = Math.min(next, num[head * NUM_STRIDE + F.START]! + this.activeTimeoutUs);
    this.nextExpiryUs = next;
  }

  private emit(index: number, reason: FlowEndReasonValue): void {
    if (this.store.int[index * INT_STRIDE + I.PACKETS] === 0) return;
    this.stats.flowsEmitted++;
    this.view.index = index;
    this.view.reason = reason;
    // A throwing consumer must not leave a flow half-removed or drop the packet being added:
    // finish the table's work, then hand the first error to the caller of the public method.
    try {
      this.onFlow(this.view);
    } catch (error) {
      this.stats.callbackErrors++;
      if (!this.hasCallbackError) {
        this.hasCallbackError = true;
        this.callbackError = error;
      }
    }
  }

  private throwCallbackError(): void {
    const error = this.callbackError;
    this.hasCallbackError = false;
    this.callbackError = undefined;
    throw error;
  }

  private emitAndRemove(index: number, reason: FlowEndReasonValue): void {
    this.emit(index, reason);
    this.removeFlow(index);
  }

  /**
   * Empties a timed-out flow but keeps its key and orientation, so the connection's next packet
   * starts a new segment of the same flow (both tools keep src/dst across a timeout split).
   */
  private restartSegment(index: number, nowUs: number): void {
    const num = this.store.num;
    const int = this.store.int;
    const nb = index * NUM_STRIDE;
    const ib = index * INT_STRIDE;
    const carried = num[nb + F.TCP_CARRIED_TIME]! + (num[nb + F.LAST]! - num[nb + F.START]!);
    const previousLast = num[nb + F.LAST]!;
    this.resetNumbers(index);
    num[nb + F.TCP_CARRIED_TIME] = carried;
    num[nb + F.PREVIOUS_SEGMENT_LAST] = previousLast;
    // Placeholder start so the age list stays ordered until the segment's first packet.
    num[nb + F.START] = nowUs;
    num[nb + F.LAST] = previousLast;
    int[ib + I.PACKETS] = 0;
    int[ib + I.FWD_PACKETS] = 0;
    int[ib + I.BWD_PACKETS] = 0;
    int[ib + I.TCP_STATE] = TcpClose.OPEN;
    int[ib + I.SEGMENT] = int[ib + I.SEGMENT]! + 1;
    if ((int[ib + I.BITS]! & FlowBits.IN_CLOSING_LIST) !== 0) this.listRemove(LIST_CLOSING, index);
    int[ib + I.BITS] = int[ib + I.BITS]! & ~FlowBits.IN_CLOSING_LIST;
    this.touchStart(index);
  }

  private resetNumbers(index: number): void {
    const num = this.store.num;
    const nb = index * NUM_STRIDE;
    num.fill(0, nb, nb + NUM_STRIDE);
    num[nb + F.FWD_MIN_HEADER] = -1;
    num[nb + F.FWD_INIT_WINDOW] = -1;
    num[nb + F.BWD_INIT_WINDOW] = -1;
    num[nb + F.BWD_LAST_WINDOW] = -1;
    num[nb + F.ICMP_TYPE] = -1;
    num[nb + F.ICMP_CODE] = -1;
    num[nb + F.PREVIOUS_SEGMENT_LAST] = -1;
  }

  private createFlow(
    p: DecodedPacket,
    protocol: number,
    srcPort: number,
    dstPort: number,
    hash: number,
    reversed: boolean,
  ): number {
    if (this.stats.activeFlows >= this.maxFlows) {
      const victim = this.heads[LIST_RECENT]!;
      this.stats.evictions++;
      this.emitAndRemove(victim, FlowEndReason.EVICTED);
    }
    const index = this.allocate();
    const store = this.store;
    const int = store.int;
    const addr = store.addr;
    const ib = index * INT_STRIDE;
    const ab = index * ADDR_STRIDE;
    const a = reversed ? p.dst : p.src;
    const b = reversed ? p.src : p.dst;
    addr[ab] = a[0]!;
    addr[ab + 1] = a[1]!;
    addr[ab + 2] = a[2]!;
    addr[ab + 3] = a[3]!;
    addr[ab + 4] = b[0]!;
    addr[ab + 5] = b[1]!;
    addr[ab + 6] = b[2]!;
    addr[ab + 7] = b[3]!;
    int[ib + I.IP_VERSION] = p.ipVersion;
    int[ib + I.PROTOCOL] = protocol;
    int[ib + I.SRC_PORT] = reversed ? dstPort : srcPort;
    int[ib + I.DST_PORT] = reversed ? srcPort : dstPort;
    int[ib + I.HASH] = hash | 0;
    int[ib + I.PACKETS] = 0;
    int[ib + I.FWD_PACKETS] = 0;
    int[ib + I.BWD_PACKETS] = 0;
    int[ib + I.TCP_STATE] = TcpClose.OPEN;
    int[ib + I.SEGMENT] = 0;
    const same = a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
    int[ib + I.BITS] = same ? FlowBits.SAME_ADDRESS : 0;
    this.resetNumbers(index);

    let slot = hash & this.slotMask;
    while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.slotMask;
    this.slots[slot] = index;
    this.slotHashes[slot] = hash;

    this.listAppend(LIST_AGE, index);
    this.listAppend(LIST_RECENT, index);
    this.stats.flowsCreated++;
    this.stats.activeFlows++;
    if (this.stats.activeFlows > this.stats.peakActiveFlows) this.stats.peakActiveFlows = this.stats.activeFlows;
    return index;
  }

  private swapOrientation(index: number): void {
    const int = this.store.int;
    const addr = this.store.addr;
    const ib = index * INT_STRIDE;
    const ab = index * ADDR_STRIDE;
    for (let w = 0; w < 4; w++) {
      const t = addr[ab + w]!;
      addr[ab + w] = addr[ab + 4 + w]!;
      addr[ab + 4 + w] = t;
    }
    const port = int[ib + I.SRC_PORT]!;
    int[ib + I.SRC_PORT] = int[ib + I.DST_PORT]!;
    int[ib + I.DST_PORT] = port;
  }

  private allocate(): number {
    if (this.freeCount > 0) return this.freeList[--this.freeCount]!;
    // Never past the store: createFlow evicts before allocating once maxFlows are active.
    return this.nextUnused++;
  }

  private removeFlow(index: number): void {
    const int = this.store.int;
    const ib = index * INT_STRIDE;
    const hash = int[ib + I.HASH]! >>> 0;
    const mask = this.slotMask;
    let slot = hash & mask;
    while (this.slots[slot] !== index) slot = (slot + 1) & mask;
    // Backward-shift deletion keeps probe chains intact without tombstones.
    let hole = slot;
    this.slots[hole] = EMPTY;
    let next = (hole + 1) & mask;
    while (this.slots[next] !== EMPTY) {
      const home = this.slotHashes[next]! & mask;
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        this.slots[hole] = this.slots[next]!;
        this.slotHashes[hole] = this.slotHashes[next]!;
        this.slots[next] = EMPTY;
        hole = next;
      }
      next = (next + 1) & mask;
    }
    this.listRemove(LIST_AGE, index);
    this.listRemove(LIST_RECENT, index);
    if ((int[ib + I.BITS]! & FlowBits.IN_CLOSING_LIST) !== 0) this.listRemove(LIST_CLOSING, index);
    int[ib + I.BITS] = 0;
    int[ib + I.PACKETS] = 0;
    this.freeList[this.freeCount++] = index;
    this.stats.activeFlows--;
  }

  private touchStart(index: number): void {
    this.listRemove(LIST_AGE, index);
    this.listAppend(LIST_AGE, index);
  }

  private touchRecent(index: number): void {
    if (this.tails[LIST_RECENT] === index) return;
    this.listRemove(LIST_RECENT, index);
    this.listAppend(LIST_RECENT, index);
  }

  private listAppend(list: number, index: number): void {
    const links = this.links;
    const at = (index * LIST_COUNT + list) * 2;
    const tail = this.tails[list]!;
    links[at] = tail;
    links[at + 1] = NONE;
    if (tail === NONE) {
      // A new head may expire sooner than the cached bound (e.g. a closed flow with a short linger).
      this.nextExpiryUs = -Infinity;
      this.heads[list] = index;
    }
    else links[(tail * LIST_COUNT + list) * 2 + 1] = index;
    this.tails[list] = index;
  }

  private listRemove(list: number, index: number): void {
    const links = this.links;
    const at = (index * LIST_COUNT + list) * 2;
    const prev = links[at]!;
    const next = links[at + 1]!;
    if (prev === NONE) this.heads[list] = next;
    else links[(prev * LIST_COUNT + list) * 2 + 1] = next;
    if (next === NONE) this.tails[list] = prev;
    else links[(next * LIST_COUNT + list) * 2] = prev;
    links[at] = NONE;
    links[at + 1] = NONE;
  }

  /** Active/Idle split as both tools do it: a gap above the activity timeout closes an active period. */
  private updateActiveIdle(index: number): void {
    const ts = packetTime[0]!;
    const num = this.store.num;
    const nb = index * NUM_STRIDE;
    const end = num[nb + F.ACTIVE_END]!;
    if (ts - end > this.activityTimeoutUs) {
      const start = num[nb + F.ACTIVE_START]!;
      if (end - start > 0) addStat(num, nb + F.ACTIVE, end - start);
      addStat(num, nb + F.IDLE, ts - end);
      num[nb + F.ACTIVE_START] = ts;
      num[nb + F.ACTIVE_END] = ts;
    } else {
      num[nb + F.ACTIVE_END] = ts;
    }
  }

  private update(
    index: number,
    p: DecodedPacket,
    forward: boolean,
    first: boolean,
    payload: number,
    header: number,
    window: number,
    flags: number,
  ): void {
    const num = this.store.num;
    const int = this.store.int;
    const nb = index * NUM_STRIDE;
    const ib = index * INT_STRIDE;
    const ts = packetTime[0]!;
    if (first) {
      num[nb + F.START] = ts;
      num[nb + F.LAST] = ts;
      num[nb + F.ACTIVE_START] = ts;
      num[nb + F.ACTIVE_END] = ts;
      num[nb + F.FIRST_FLAGS] = flags;
      num[nb + F.FIRST_PAYLOAD] = payload;
      num[nb + F.ICMP_TYPE] = p.icmpType;
      num[nb + F.ICMP_CODE] = p.icmpCode;
    } else {
      addStat(num, nb + F.FLOW_IAT, ts - num[nb + F.LAST]!);
      num[nb + F.LAST] = ts;
    }
    addStat(num, nb + F.ALL_LEN, payload);
    if (forward) {
      const fwdPackets = int[ib + I.FWD_PACKETS]! + 1;
      int[ib + I.FWD_PACKETS] = fwdPackets;
      if (!first && payload >= 1) num[nb + F.FWD_DATA_PACKETS] = num[nb + F.FWD_DATA_PACKETS]! + 1;
      addStat(num, nb + F.FWD_LEN, payload);
      num[nb + F.FWD_HEADER_BYTES] = num[nb + F.FWD_HEADER_BYTES]! + header;
      if (fwdPackets > 1) addStat(num, nb + F.FWD_IAT, ts - num[nb + F.FWD_LAST]!);
      num[nb + F.FWD_LAST] = ts;
      const minHeader = num[nb + F.FWD_MIN_HEADER]!;
      if (minHeader < 0 || header < minHeader) num[nb + F.FWD_MIN_HEADER] = header;
      if (fwdPackets === 1) num[nb + F.FWD_INIT_WINDOW] = window;
      if (flags !== 0) {
        if ((flags & TcpFlag.PSH) !== 0) num[nb + F.FWD_PSH] = num[nb + F.FWD_PSH]! + 1;
        if ((flags & TcpFlag.URG) !== 0) num[nb + F.FWD_URG] = num[nb + F.FWD_URG]! + 1;
        if ((flags & TcpFlag.RST) !== 0) num[nb + F.FWD_RST] = num[nb + F.FWD_RST]! + 1;
        if ((flags & TcpFlag.FIN) !== 0) num[nb + F.FWD_FIN] = num[nb + F.FWD_FIN]! + 1;
        num[nb + F.FWD_FLAGS_SEEN] = num[nb + F.FWD_FLAGS_SEEN]! | flags;
      }
      updateBulk(num, nb + F.FWD_BULK, nb + F.BWD_BULK, payload);
    } else {
      const bwdPackets = int[ib + I.BWD_PACKETS]! + 1;
      int[ib + I.BWD_PACKETS] = bwdPackets;
      addStat(num, nb + F.BWD_LEN, payload);
      num[nb + F.BWD_HEADER_BYTES] = num[nb + F.BWD_HEADER_BYTES]! + header;
      if (bwdPackets > 1) addStat(num, nb + F.BWD_IAT, ts - num[nb + F.BWD_LAST]!);
      num[nb + F.BWD_LAST] = ts;
      if (bwdPackets === 1) num[nb + F.BWD_INIT_WINDOW] = window;
      num[nb + F.BWD_LAST_WINDOW] = window;
      if (flags !== 0) {
        if ((flags & TcpFlag.PSH) !== 0) num[nb + F.BWD_PSH] = num[nb + F.BWD_PSH]! + 1;
        if ((flags & TcpFlag.URG) !== 0) num[nb + F.BWD_URG] = num[nb + F.BWD_URG]! + 1;
        if ((flags & TcpFlag.RST) !== 0) num[nb + F.BWD_RST] = num[nb + F.BWD_RST]! + 1;
        if ((flags & TcpFlag.FIN) !== 0) num[nb + F.BWD_FIN] = num[nb + F.BWD_FIN]! + 1;
        num[nb + F.BWD_FLAGS_SEEN] = num[nb + F.BWD_FLAGS_SEEN]! | flags;
      }
      updateBulk(num, nb + F.BWD_BULK, nb + F.FWD_BULK, payload);
    }
    int[ib + I.PACKETS] = int[ib + I.PACKETS]! + 1;
    if (p.isFragment) num[nb + F.FRAGMENTS] = num[nb + F.FRAGMENTS]! + 1;
    if (flags !== 0) {
      const fc = nb + F.FLAG_COUNTS;
      if ((flags & 0x01) !== 0) num[fc] = num[fc]! + 1;
      if ((flags & 0x02) !== 0) num[fc + 1] = num[fc + 1]! + 1;
      if ((flags & 0x04) !== 0) num[fc + 2] = num[fc + 2]! + 1;
      if ((flags & 0x08) !== 0) num[fc + 3] = num[fc + 3]! + 1;
      if ((flags & 0x10) !== 0) num[fc + 4] = num[fc + 4]! + 1;
      if ((flags & 0x20) !== 0) num[fc + 5] = num[fc + 5]! + 1;
      if ((flags & 0x40) !== 0) num[fc + 6] = num[fc + 6]! + 1;
      if ((flags & 0x80) !== 0) num[fc + 7] = num[fc + 7]! + 1;
    }
  }
}
