/**
 * Slowloris: one source holding many connections to one web service, each with an HTTP request
 * that never finishes its headers. A connection is followed from a client segment that starts
 * with a request line ("GET / HTTP/1.1 …") but holds no blank line ending the headers; it stops
 * being followed when a later client segment ends them (or runs past the snap length, so the end
 * cannot be seen — a long request, not a slow one), or FIN/RST closes the connection. A
 * connection still unfinished incompleteSeconds after its request line is **held**; when one
 * source holds `connections` of them towards one service, that is the attack.
 *
 * Time comes from the packets: request lines enter a FIFO in arrival order, and every packet (and
 * sweep, which a live capture calls about once a second) moves the ones whose time is up from the
 * FIFO into their pair's held count, so the alert comes incompleteSeconds after the attack's
 * connections opened even when the attacker is silent between its 10-second header lines.
 * Only while some connection is followed does a TCP packet cost a table lookup.
 */
import type { DecodedPacket } from '../../decode/packet.ts';
import { KeyedSlots } from '../keyedSlots.ts';
import {
  confidenceFromRatio,
  formatCount,
  formatDuration,
  type RuleDetector,
  type RuleDetectorContext,
} from '../ruleDetector.ts';
import { WindowedSlots } from '../windowedSlots.ts';
import { readServicePair, SERVICE_PAIR_KEY_WORDS } from './servicePairKey.ts';
import { hasHeaderEnd, isHttpRequest } from './payloadText.ts';
import { TcpFlag } from '../../decode/packet.ts';

const { FIN, RST } = TcpFlag;

/** Connection states. */
const FREE = 0;
const PENDING = 1;
const HELD = 2;

/** Connection key: IP version, 4 client words, 4 server words, client port << 16 | server port. */
const CONNECTION_WORDS = 10;

/** A table of followed connections that tells its owner when it forgets one. */
class ConnectionSlots extends KeyedSlots {
  onForget: (slot: number) => void = () => {};

  protected override beforeReuse(slot: number): void {
    this.onForget(slot);
  }
}

export function createSlowlorisDetector({ config, emit }: RuleDetectorContext): RuleDetector {
  const settings = config.slowloris;
  const incompleteUs = settings.incompleteSeconds * 1e6;

  const connections = new ConnectionSlots(settings.slots, CONNECTION_WORDS);
  const connectionCapacity = connections.capacity;
  const state = new Uint8Array(connectionCapacity);
  const requestStartUs = new Float64Array(connectionCapacity);
  let followed = 0;
  // Packet time of the current call, in a typed array: a double passed as an argument to a call
  // that is not inlined is boxed, one allocation per call.
  const clock = new Float64Array(1);

  // Request lines in arrival order: (connection slot, request time); stale entries are skipped.
  const queueSize = connectionCapacity * 2;
  const queueSlot = new Int32Array(queueSize);
  const queueUs = new Float64Array(queueSize);
  let queueHead = 0;
  let queueLength = 0;

  // Per (client, server, port): held connections now and at the episode's peak.
  const pairs = new WindowedSlots(1024, SERVICE_PAIR_KEY_WORDS, settings.windowSeconds, config.reportIntervalSeconds, (slot) => report(slot, pairs.lastEvidenceUs[slot]));
  const held = new Float64Array(pairs.capacity);
  const episodePeak = new Float64Array(pairs.capacity);
  const addressScratch = new Uint32Array(4);

  function report(slot: number, timeUs: number): void {
    const { port, client: source, server: target } = readServicePair(pairs, slot, addressScratch);
    const peak = episodePeak[slot];
    emit({
      timeUs,
      sourceIp: source,
      destinationIp: target,
      destinationPort: port,
      protocol: 'TCP',
      threatType: 'DoS',
      category: 'Application',
      confidence: confidenceFromRatio(pairs.peakRatio[slot]),
      detector: 'rule:slowloris',
      summary:
        `Slowloris: ${formatCount(peak)} connections from ${source} to ${target}:${port} holding unfinished HTTP requests ` +
        `for ${formatDuration(incompleteUs)} or more (seen for ${formatDuration(timeUs - pairs.episodeStartUs[slot] + incompleteUs)})`,
      incidentKey: `rule:slowloris|${source}->${target}:${port}`,
      attackers: [{ ip: source, count: peak }],
      distinctSources: 1,
      targets: [`${target}:${port}`],
    });
  }

  /** The pair of a connection slot, looked up (claimed at clock[0] when `claim`); -1 if absent. */
  function pairOf(connection: number, claim: boolean): number {
    const base = connection * CONNECTION_WORDS;
    const keys = connections.keys;
    pairs.key[0] = keys[base] | ((keys[base + 9] & 0xffff) << 8);
    for (let w = 1; w < 9; w++) pairs.key[w] = keys[base + w];
    if (!claim) return pairs.lookup();
    pairs.nowUs = clock[0];
    const slot = pairs.touch();
    if (pairs.isNew) held[slot] = 0;
    if (pairs.episodeRestarted) episodePeak[slot] = 0;
    return slot;
  }

  /** Evidence for the connection's pair at clock[0]: its held count against the threshold. */
  function judge(connection: number): void {
    const slot = pairOf(connection, true);
    pairs.noteEvidence(slot);
    if (held[slot] > episodePeak[slot]) episodePeak[slot] = held[slot];
    const ratio = held[slot] / settings.connections;
    if (ratio < 1) return;
    if (ratio > pairs.peakRatio[slot]) pairs.peakRatio[slot] = ratio;
    if (pairs.overThreshold(slot)) report(slot, clock[0]);
  }

  /** Stops following a connection (finished, closed or forgotten). */
  function release(connection: number): void {
    if (state[connection] === HELD) {
      const slot = pairOf(connection, false);
      if (slot >= 0 && held[slot] > 0) held[slot]--;
    }
    if (state[connection] !== FREE) followed--;
    state[connection] = FREE;
  }
  connections.onForget = release;

  /** Moves every request line older than incompleteSeconds (at clock[0]) out of the FIFO; the unfinished ones are held. */
  function promoteDue(): void {
    const nowUs = clock[0];
    while (queueLength > 0 && queueUs[queueHead] + incompleteUs <= nowUs) {
      const connection = queueSlot[queueHead];
      const requestUs = queueUs[queueHead];
      queueHead = (queueHead + 1) % queueSize;
      queueLength--;
      if (state[connection] !== PENDING || requestStartUs[connection] !== requestUs) continue;
      state[connection] = HELD;
      const slot = pairOf(connection, true);
      held[slot]++;
      judge(connection);
    }
  }

  function writeConnectionKey(packet: DecodedPacket, fromClient: boolean): void {
    const key = connections.key;
    key[0] = packet.ipVersion;
    connections.setKeyAddress(1, fromClient ? packet.src : packet.dst);
    connections.setKeyAddress(5, fromClient ? packet.dst : packet.src);
    // An int32 (a client port ≥ 32768 makes it negative): the Uint32Array stores the same bits, and
    // an unsigned value above 2^31 would be a heap number, one allocation per packet.
    key[9] = fromClient ? (packet.srcPort << 16) | packet.dstPort : (packet.dstPort << 16) | packet.srcPort;
  }

  return {
    name: 'slowloris',
    observePacket(packet: DecodedPacket): void {
      if (packet.protocol !== 6 || packet.ipVersion === 0) return;
      const nowUs = packet.timestampUs;
      clock[0] = nowUs;
      if (queueLength > 0 && queueUs[queueHead] + incompleteUs <= nowUs) promoteDue();
      const length = packet.payloadCapturedLength;
      const bytes = packet.frameBytes;
      const start = packet.payloadOffset;
      const isRequest = length > 0 && isHttpRequest(bytes, start, length);

      if (isRequest) {
        writeConnectionKey(packet, true);
        connections.nowUs = nowUs;
        if (hasHeaderEnd(bytes, start, length)) {
          // Finished in this segment.
          const connection = connections.lookup();
          if (connection >= 0 && state[connection] !== FREE) {
            release(connection);
            connections.used[connection] = 0;
          }
          return;
        }
        // Unfinished, or cut by the snap length before its end: followed until the end of the
        // headers shows up, the server answers (a response means the request was finished) or
        // the connection closes.
        const connection = connections.find();
        if (!connections.isNew && state[connection] !== FREE) return;
        state[connection] = PENDING;
        requestStartUs[connection] = nowUs;
        followed++;
        if (queueLength === queueSize) {
          // Full: the oldest entry is dropped (its connection stays unheld).
          queueHead = (queueHead + 1) % queueSize;
          queueLength--;
        }
        const tail = (queueHead + queueLength) % queueSize;
        queueSlot[tail] = connection;
        queueUs[tail] = nowUs;
        queueLength++;
        return;
      }
      if (followed === 0) return;

      // A packet of a connection that may be followed: more client headers, a server answer, or a close.
      const closing = (packet.tcpFlags & (FIN | RST)) !== 0;
      if (!closing && packet.payloadLength === 0) return;
      writeConnectionKey(packet, true);
      let connection = connections.lookup();
      let fromClient = true;
      if (connection < 0) {
        writeConnectionKey(packet, false);
        connection = connections.lookup();
        fromClient = false;
        if (connection < 0) return;
      }
      if (state[connection] === FREE) return;
      if (closing || !fromClient || hasHeaderEnd(bytes, start, length)) {
        const wasHeld = state[connection] === HELD;
        release(connection);
        connections.used[connection] = 0;
        if (wasHeld) judge(connection);
        return;
      }
      // Another header line of an unfinished request: the attack goes on.
      connections.lastSeenUs[connection] = nowUs;
      if (state[connection] === HELD) judge(connection);
    },
    sweep(nowUs: number): void {
      // At the end of input (Infinity) an unfinished request has not been held for any known time.
      clock[0] = nowUs;
      if (Number.isFinite(nowUs)) promoteDue();
      // Connections silent for a whole window (closed without a FIN we saw) stop counting.
      const idleBeforeUs = nowUs - settings.windowSeconds * 1e6;
      for (let connection = 0; connection < connectionCapacity; connection++) {
        if (connections.used[connection] === 1 && connections.lastSeenUs[connection] < idleBeforeUs) {
          release(connection);
          connections.used[connection] = 0;
        }
      }
      pairs.sweep(nowUs);
    },
  };
}
