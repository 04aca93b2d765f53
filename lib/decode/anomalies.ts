/**
 * Named decode anomalies (Zeek "weirds"): the decoder never throws on bad bytes, it bumps one
 * of these counters and moves on. Codes index a Float64Array so counting costs one store and
 * a long-running live capture cannot overflow a counter.
 */
export const DecodeAnomaly = {
  /** ARP, LLDP, 802.3/LLC, an AF family other than inet/inet6, ...: not an error, just not ours. */
  NON_IP: 0,
  UNSUPPORTED_LINK_TYPE: 1,
  /** offset/capturedLength point outside frame.buffer: a reader bug, not a packet problem. */
  BAD_FRAME_BOUNDS: 2,
  TRUNCATED_ETHERNET: 3,
  TRUNCATED_VLAN: 4,
  TRUNCATED_LINUX_SLL: 5,
  TRUNCATED_LINUX_SLL2: 6,
  TRUNCATED_NULL_HEADER: 7,
  /** The IP version nibble disagrees with the link layer, or is neither 4 nor 6 on a raw link. */
  BAD_IP_VERSION: 8,
  TRUNCATED_IPV4: 9,
  BAD_IPV4_HEADER_LENGTH: 10,
  /** IPv4 total length smaller than its own header. */
  BAD_IPV4_TOTAL_LENGTH: 11,
  /** Decoded anyway: total length 0 is what segmentation offload (TSO) writes; frame length used. */
  IPV4_ZERO_TOTAL_LENGTH: 12,
  /** Decoded anyway: the IP lengths claim more bytes than the frame had on the wire; the wire wins. */
  IP_LENGTH_EXCEEDS_FRAME: 13,
  TRUNCATED_IPV6: 14,
  TRUNCATED_IPV6_EXTENSION: 15,
  /** An IPv6 extension header runs past the IPv6 payload length. */
  BAD_IPV6_EXTENSION_LENGTH: 16,
  /** Decoded anyway: payload length 0 is a jumbogram or a GSO capture; frame length used. */
  IPV6_ZERO_PAYLOAD_LENGTH: 17,
  /** Decoded anyway (ports 0, no transport header): counted so fragment floods are visible. */
  IP_NON_FIRST_FRAGMENT: 18,
  TRUNCATED_TCP: 19,
  /** TCP data offset below 5 words or beyond the segment. */
  BAD_TCP_HEADER_LENGTH: 20,
  TRUNCATED_UDP: 21,
  TRUNCATED_ICMP: 22,
} as const;

export type DecodeAnomalyCode = (typeof DecodeAnomaly)[keyof typeof DecodeAnomaly];

/** Report names, indexed by code. */
export const decodeAnomalyNames: readonly string[] = [
  'non_ip',
  'unsupported_link_type',
  'bad_frame_bounds',
  'truncated_ethernet',
  'truncated_vlan',
  'truncated_linux_sll',
  'truncated_linux_sll2',
  'truncated_null_header',
  'bad_ip_version',
  'truncated_ipv4',
  'bad_ipv4_header_length',
  'bad_ipv4_total_length',
  'ipv4_zero_total_length',
  'ip_length_exceeds_frame',
  'truncated_ipv6',
  'truncated_ipv6_extension',
  'bad_ipv6_extension_length',
  'ipv6_zero_payload_length',
  'ip_non_first_fragment',
  'truncated_tcp',
  'bad_tcp_header_length',
  'truncated_udp',
  'truncated_icmp',
];

/**
 * Anomalies after which the packet is still decoded and decodeFrame returns true; every other
 * anomaly means the frame was skipped.
 */
export const decodedDespiteAnomaly: ReadonlySet<DecodeAnomalyCode> = new Set<DecodeAnomalyCode>([
  DecodeAnomaly.IPV4_ZERO_TOTAL_LENGTH,
  DecodeAnomaly.IP_LENGTH_EXCEEDS_FRAME,
  DecodeAnomaly.IPV6_ZERO_PAYLOAD_LENGTH,
  DecodeAnomaly.IP_NON_FIRST_FRAGMENT,
]);

export class DecodeAnomalies {
  readonly counts = new Float64Array(decodeAnomalyNames.length);

  add(code: DecodeAnomalyCode): void {
    this.counts[code]++;
  }

  get(code: DecodeAnomalyCode): number {
    return this.counts[code];
  }

  /** Sum of every counter, NON_IP included. */
  total(): number {
    let sum = 0;
    for (let i = 0; i < this.counts.length; i++) sum += this.counts[i];
    return sum;
  }

  reset(): void {
    this.counts.fill(0);
  }

  /** Non-zero counters by name, e.g. { non_ip: 4, truncated_tcp: 1 }. */
  toRecord(): Record<string, number> {
    const record: Record<string, number> = {};
    for (let i = 0; i < this.counts.length; i++) {
      if (this.counts[i] !== 0) record[decodeAnomalyNames[i]] = this.counts[i];
    }
    return record;
  }
}
