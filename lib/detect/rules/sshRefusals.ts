/**
 * Refused SSH logins, seen from outside the encryption by the sizes of the server's answers.
 * After the key exchange (the client's NEWKEYS, the one 16-byte packet sent in the clear) the
 * server's first packet accepts the ssh-userauth service. A refusal (USERAUTH_FAILURE) carries
 * the list of methods the server takes, so the refusals of one connection all have one size: an
 * answer the same size as the server's previous answer is another refusal. USERAUTH_SUCCESS is a
 * one-byte message, smaller than the service acceptance (whose payload names "ssh-userauth"), so
 * an answer smaller than that is a success, and then nothing the connection showed counts. The
 * refusals of a connection are counted when it closes (FIN or RST), so a login that succeeds after
 * a wrong key or a typo counts nothing; a connection refused a third time counts at once (and each
 * refusal after), since people seldom get three wrong before they get in.
 *
 * Seen in the lab (chacha20-poly1305): acceptance 44 bytes, the refusal of "none" and of each wrong
 * password 52, a right password 28. In axr00t's ssh_brute_force.pcap (another cipher): acceptance
 * 52, a pre-authentication banner 1,320, then six refusals of 52. The PAM failure delay is no
 * help: the lab's sshd answers wrong passwords within 15 ms. Connections are followed from their
 * SSH banner in a fixed table keyed by both ends; nothing is allocated per packet.
 */
import type { DecodedPacket } from '../../decode/packet.ts';
import { KeyedSlots } from '../keyedSlots.ts';

/** Data packets (both directions) after which a connection's authentication is over either way. */
const AUTH_PHASE_PACKETS = 40;
/** Most refusals one connection can show (sshd's MaxAuthTries is 6). */
const MAX_REFUSALS = 6;
/**
 * Refusals held back until the connection closes, in case it then succeeds; from this many on they
 * count at once (a capture may never show the close: axr00t's ssh_brute_force.pcap has no FIN).
 */
const HELD_REFUSALS = 2;
/** SSH_MSG_NEWKEYS as sent in the clear: 4 length + 1 padding length + 1 message + 10 padding. */
const NEWKEYS_BYTES = 16;

const KEY_EXCHANGE = 0;
const AUTHENTICATION = 1;
const DONE = 2;

export class SshRefusals {
  /** Key: IP version, lower end's address (4 words), higher end's address (4 words), ports. */
  private readonly connections: KeyedSlots;
  /** 1 when the server is the lower end of the key. */
  private readonly serverIsLower: Uint8Array;
  private readonly phase: Uint8Array;
  private readonly packets: Uint8Array;
  private readonly serverAnswers: Uint8Array;
  /** Size of the service acceptance (the first answer after NEWKEYS), then of the previous answer. */
  private readonly acceptBytes: Uint16Array;
  private readonly previousBytes: Uint16Array;
  /** Refusals seen and not yet counted. */
  private readonly refusals: Uint8Array;
  /** Refusals the connection showed in all (held or counted). */
  private readonly refusalsSeen: Uint8Array;
  private lowerIsSource = false;
  /** After `close`: whether the closing packet came from the server. */
  serverIsSource = false;

  constructor(capacity: number) {
    this.connections = new KeyedSlots(capacity, 10);
    const slots = this.connections.capacity;
    this.serverIsLower = new Uint8Array(slots);
    this.phase = new Uint8Array(slots);
    this.packets = new Uint8Array(slots);
    this.serverAnswers = new Uint8Array(slots);
    this.acceptBytes = new Uint16Array(slots);
    this.previousBytes = new Uint16Array(slots);
    this.refusals = new Uint8Array(slots);
    this.refusalsSeen = new Uint8Array(slots);
  }

  /** An SSH banner packet: follow its connection (sent by the server when `fromServer`). */
  follow(packet: DecodedPacket, fromServer: boolean): void {
    this.setKey(packet);
    const connections = this.connections;
    connections.nowUs = packet.timestampUs;
    const slot = connections.find();
    if (!connections.isNew) return;
    this.serverIsLower[slot] = fromServer === this.lowerIsSource ? 1 : 0;
    this.phase[slot] = KEY_EXCHANGE;
    this.packets[slot] = 0;
    this.serverAnswers[slot] = 0;
    this.acceptBytes[slot] = 0;
    this.previousBytes[slot] = 0;
    this.refusals[slot] = 0;
    this.refusalsSeen[slot] = 0;
  }

  /**
   * Any other TCP data packet: watches a followed connection's authentication. Returns the
   * refusals that count now (a connection past HELD_REFUSALS; otherwise they wait for `close`), and
   * sets serverIsSource.
   */
  observe(packet: DecodedPacket): number {
    this.setKey(packet);
    const slot = this.connections.lookup();
    if (slot < 0 || this.phase[slot] === DONE) return 0;
    const fromServer = (this.serverIsLower[slot] === 1) === this.lowerIsSource;
    this.serverIsSource = fromServer;
    const bytes = packet.payloadLength;
    if (++this.packets[slot]! >= AUTH_PHASE_PACKETS) this.phase[slot] = DONE;
    if (this.phase[slot] === KEY_EXCHANGE) {
      if (!fromServer && bytes === NEWKEYS_BYTES) this.phase[slot] = AUTHENTICATION;
      return 0;
    }
    if (!fromServer) return 0;
    const size = Math.min(bytes, 0xffff);
    const answer = ++this.serverAnswers[slot]!;
    if (answer === 1) {
      this.acceptBytes[slot] = size;
    } else if (size < this.acceptBytes[slot]!) {
      // USERAUTH_SUCCESS: the login worked; what came before was a wrong key or a typo.
      this.refusals[slot] = 0;
      this.phase[slot] = DONE;
      return 0;
    } else if (size === this.previousBytes[slot] && this.refusalsSeen[slot]! < MAX_REFUSALS) {
      this.refusals[slot]!++;
      this.refusalsSeen[slot]!++;
    }
    this.previousBytes[slot] = size;
    if (this.refusalsSeen[slot]! <= HELD_REFUSALS) return 0;
    const now = this.refusals[slot]!;
    this.refusals[slot] = 0;
    return now;
  }

  /** A FIN or RST: the refusals the connection showed (0 when it is not followed); sets serverIsSource. */
  close(packet: DecodedPacket): number {
    this.setKey(packet);
    const slot = this.connections.lookup();
    if (slot < 0) return 0;
    this.serverIsSource = (this.serverIsLower[slot] === 1) === this.lowerIsSource;
    const refused = this.refusals[slot]!;
    this.refusals[slot] = 0;
    this.phase[slot] = DONE;
    return refused;
  }

  /** The canonical key of the packet's connection (the lower port's end first). */
  private setKey(packet: DecodedPacket): void {
    const connections = this.connections;
    const src = packet.src;
    const dst = packet.dst;
    let srcLower = packet.srcPort < packet.dstPort;
    if (packet.srcPort === packet.dstPort) {
      srcLower = true;
      for (let w = 0; w < 4; w++) {
        if (src[w] !== dst[w]) {
          srcLower = src[w]! < dst[w]!;
          break;
        }
      }
    }
    this.lowerIsSource = srcLower;
    connections.key[0] = packet.ipVersion;
    connections.setKeyAddress(1, srcLower ? src : dst);
    connections.setKeyAddress(5, srcLower ? dst : src);
    connections.key[9] = srcLower ? (packet.srcPort << 16) | packet.dstPort : (packet.dstPort << 16) | packet.srcPort;
  }
}
