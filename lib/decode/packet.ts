/**
 * The decoder's output: one reused record of plain numbers, overwritten for every packet.
 * Addresses are kept as 32-bit words so the flow table can hash and compare them without
 * building strings; IPv4 uses word 0 only (words 1-3 are zero).
 */
export class DecodedPacket {
  timestampUs = 0;
  /** Length of the frame on the wire (pcap orig_len). */
  wireLength = 0;
  /**
   * Bytes before the IP header (Ethernet and its VLAN tags, cooked or loopback header; 0 for raw
   * IP). Link-layer padding after the IP packet is capturedLength - linkHeaderLength - ipTotalLength.
   */
  linkHeaderLength = 0;
  /** 4 or 6; 0 when the frame carries no IP packet. */
  ipVersion = 0;
  /** Source/destination address words, network order packed big-endian into uint32. */
  readonly src = new Uint32Array(4);
  readonly dst = new Uint32Array(4);
  /** IP protocol number of the transport header (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...). */
  protocol = 0;
  srcPort = 0;
  dstPort = 0;
  /** IPv4 header length or IPv6 fixed header plus extension headers, in bytes. */
  ipHeaderLength = 0;
  /**
   * Total length the IP header claims (IPv4 total length, IPv6 40 + payload length), limited to
   * the bytes on the wire, and taken from the frame when the header says 0 (segmentation offload).
   */
  ipTotalLength = 0;
  /** TCP header with options, UDP 8, ICMP 8; 0 for others. */
  l4HeaderLength = 0;
  /** Transport payload bytes as the IP lengths state them (not limited by the snap length). */
  payloadLength = 0;
  /** TCP flag bits as on the wire: FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 URG 0x20 ECE 0x40 CWR 0x80. */
  tcpFlags = 0;
  tcpWindow = 0;
  tcpSeq = 0;
  tcpAck = 0;
  tcpUrgentPointer = 0;
  /** IPv4 TTL or IPv6 hop limit. */
  ttl = 0;
  /** ICMP/ICMPv6 type and code; -1 when not ICMP. */
  icmpType = -1;
  icmpCode = -1;
  /** Outermost 802.1Q VLAN id; -1 when untagged. */
  vlanId = -1;
  /** True for any fragment of a fragmented IPv4/IPv6 datagram. */
  isFragment = false;
  /** True for a fragment other than the first: it has no transport header, so ports are 0. */
  isNonFirstFragment = false;

  // The payload's captured bytes, as a window onto the frame's own buffer (no copy, no subarray
  // per packet). Private fields behind getters: they say where bytes are, not what the packet
  // is, so they stay out of the record's enumerable fields (a snapshot `{ ...packet }` of a
  // snap-cut frame equals the full frame's).
  #frameBytes: Uint8Array = EMPTY_BYTES;
  #payloadOffset = 0;
  #payloadCapturedLength = 0;

  /**
   * The buffer the frame was read into (the capture source reuses it: valid only until the next
   * packet). The transport payload's captured bytes are
   * frameBytes[payloadOffset, payloadOffset + payloadCapturedLength).
   */
  get frameBytes(): Uint8Array {
    return this.#frameBytes;
  }

  /** Index in frameBytes of the transport payload's first byte (0 when there is none). */
  get payloadOffset(): number {
    return this.#payloadOffset;
  }

  /**
   * Payload bytes actually captured: at most payloadLength, fewer when the snap length cut the
   * frame (live capture keeps 512 bytes of frame, the lab 256), 0 for non-first fragments and
   * protocols without a parsed transport header. Parsers must work from the first bytes.
   */
  get payloadCapturedLength(): number {
    return this.#payloadCapturedLength;
  }

  /** No payload bytes (the decoder's reset; frameBytes keeps its last buffer, which nothing reads at length 0). */
  clearPayload(): void {
    this.#payloadOffset = 0;
    this.#payloadCapturedLength = 0;
  }

  /** Set by the decoder; anyone else only to replay stored bytes (tests, benchmarks). */
  setPayload(frameBytes: Uint8Array, payloadOffset: number, payloadCapturedLength: number): void {
    this.#frameBytes = frameBytes;
    this.#payloadOffset = payloadOffset;
    this.#payloadCapturedLength = payloadCapturedLength;
  }
}

const EMPTY_BYTES = new Uint8Array(0);

export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

export const IpProtocol = {
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  ICMPV6: 58,
} as const;
