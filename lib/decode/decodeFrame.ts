/**
 * Frame → DecodedPacket: link layer (Ethernet with VLAN tags, Linux cooked v1/v2, raw IP,
 * BSD loopback), IPv4/IPv6 (with extension headers and fragments), then TCP/UDP/ICMP.
 * Reads bytes straight from the Uint8Array with shifts and writes into the caller's reused
 * DecodedPacket, so decoding allocates nothing. Bad bytes never throw: a named anomaly is
 * counted and the frame is skipped (return false).
 */
import type { Frame } from '../capture/frame.ts';
import { LinkType } from '../capture/linkTypes.ts';
import type { DecodedPacket } from './packet.ts';
import { DecodeAnomaly, type DecodeAnomalies } from './anomalies.ts';

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
/** Pre-standard QinQ outer tag still sent by some switches. */
const ETHERTYPE_QINQ_OLD = 0x9100;

const ETHERNET_HEADER_LENGTH = 14;
const VLAN_TAG_LENGTH = 4;
const LINUX_SLL_HEADER_LENGTH = 16;
const LINUX_SLL2_HEADER_LENGTH = 20;
const NULL_HEADER_LENGTH = 4;

const AF_INET = 2;
/** AF_INET6 differs per OS: NetBSD/OpenBSD 24, FreeBSD/DragonFly 28, macOS/iOS 30. */
const AF_INET6_BSD = 24;
const AF_INET6_FREEBSD = 28;
const AF_INET6_DARWIN = 30;

const IPV4_MIN_HEADER_LENGTH = 20;
const IPV6_HEADER_LENGTH = 40;
const IPV4_MORE_FRAGMENTS = 0x2000;
const IPV4_FRAGMENT_OFFSET_MASK = 0x1fff;

const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const PROTO_ICMPV6 = 58;
const IPV6_HOP_BY_HOP = 0;
const IPV6_ROUTING = 43;
const IPV6_FRAGMENT = 44;
const IPV6_AUTHENTICATION = 51;
const IPV6_NO_NEXT_HEADER = 59;
const IPV6_DESTINATION_OPTIONS = 60;

const TCP_MIN_HEADER_LENGTH = 20;
const UDP_HEADER_LENGTH = 8;
const ICMP_HEADER_LENGTH = 8;

/** Network-layer protocol the link layer announced; NETWORK_BY_VERSION means "look at the nibble". */
const NETWORK_IPV4 = 4;
const NETWORK_IPV6 = 6;
const NETWORK_BY_VERSION = 0;
/** An EtherType that carries no IP packet (ARP, LLDP, ...). */
const NETWORK_NONE = -1;

/** Ethernet and Linux cooked headers name the payload by EtherType alike. */
function networkOfEtherType(etherType: number): number {
  if (etherType === ETHERTYPE_IPV4) return NETWORK_IPV4;
  if (etherType === ETHERTYPE_IPV6) return NETWORK_IPV6;
  return NETWORK_NONE;
}

function readU16(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 8) | bytes[at + 1];
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

function resetPacket(out: DecodedPacket, frame: Frame): void {
  out.timestampUs = frame.timestampUs;
  out.wireLength = frame.originalLength;
  out.linkHeaderLength = 0;
  out.ipVersion = 0;
  const src = out.src;
  const dst = out.dst;
  src[0] = src[1] = src[2] = src[3] = 0;
  dst[0] = dst[1] = dst[2] = dst[3] = 0;
  out.protocol = 0;
  out.srcPort = 0;
  out.dstPort = 0;
  out.ipHeaderLength = 0;
  out.ipTotalLength = 0;
  out.l4HeaderLength = 0;
  out.payloadLength = 0;
  out.tcpFlags = 0;
  out.tcpWindow = 0;
  out.tcpSeq = 0;
  out.tcpAck = 0;
  out.tcpUrgentPointer = 0;
  out.ttl = 0;
  out.icmpType = -1;
  out.icmpCode = -1;
  out.vlanId = -1;
  out.isFragment = false;
  out.isNonFirstFragment = false;
  out.clearPayload();
}

/**
 * Decodes one frame into `out` (every field is overwritten). Returns true when `out` holds an
 * IP packet; false for non-IP frames (counted as non_ip) and for malformed or truncated ones
 * (counted under their anomaly name).
 */
export function decodeFrame(frame: Frame, out: DecodedPacket, anomalies: DecodeAnomalies): boolean {
  resetPacket(out, frame);
  const bytes = frame.buffer;
  const start = frame.offset;
  const end = start + frame.capturedLength;
  if (!(start >= 0 && end >= start && end <= bytes.length)) {
    anomalies.add(DecodeAnomaly.BAD_FRAME_BOUNDS);
    return false;
  }

  let at = start;
  let network = NETWORK_BY_VERSION;
  switch (frame.linkType) {
    case LinkType.EN10MB: {
      if (end - at < ETHERNET_HEADER_LENGTH) {
        anomalies.add(DecodeAnomaly.TRUNCATED_ETHERNET);
        return false;
      }
      let etherType = readU16(bytes, at + 12);
      at += ETHERNET_HEADER_LENGTH;
      while (etherType === ETHERTYPE_VLAN || etherType === ETHERTYPE_QINQ || etherType === ETHERTYPE_QINQ_OLD) {
        if (end - at < VLAN_TAG_LENGTH) {
          anomalies.add(DecodeAnomaly.TRUNCATED_VLAN);
          return false;
        }
        if (out.vlanId < 0) out.vlanId = readU16(bytes, at) & 0x0fff;
        etherType = readU16(bytes, at + 2);
        at += VLAN_TAG_LENGTH;
      }
      network = networkOfEtherType(etherType);
      if (network === NETWORK_NONE) {
        anomalies.add(DecodeAnomaly.NON_IP);
        return false;
      }
      break;
    }
    case LinkType.LINUX_SLL:
    case LinkType.LINUX_SLL2: {
      const isVersion2 = frame.linkType === LinkType.LINUX_SLL2;
      const headerLength = isVersion2 ? LINUX_SLL2_HEADER_LENGTH : LINUX_SLL_HEADER_LENGTH;
      if (end - at < headerLength) {
        anomalies.add(isVersion2 ? DecodeAnomaly.TRUNCATED_LINUX_SLL2 : DecodeAnomaly.TRUNCATED_LINUX_SLL);
        return false;
      }
      const protocol = readU16(bytes, isVersion2 ? at : at + 14);
      at += headerLength;
      network = networkOfEtherType(protocol);
      if (network === NETWORK_NONE) {
        anomalies.add(DecodeAnomaly.NON_IP);
        return false;
      }
      break;
    }
    case LinkType.RAW:
    case LinkType.RAW_BSD12:
    case LinkType.RAW_BSD14:
      break;
    case LinkType.IPV4:
      network = NETWORK_IPV4;
      break;
    case LinkType.IPV6:
      network = NETWORK_IPV6;
      break;
    case LinkType.NULL:
    case LinkType.LOOP: {
      if (end - at < NULL_HEADER_LENGTH) {
        anomalies.add(DecodeAnomaly.TRUNCATED_NULL_HEADER);
        return false;
      }
      // NULL stores the family in the capturing host's byte order, LOOP in network order.
      // Families are small numbers, so two leading zero bytes mean big-endian (as Wireshark does).
      const family =
        bytes[at] === 0 && bytes[at + 1] === 0
          ? readU32(bytes, at)
          : (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
      at += NULL_HEADER_LENGTH;
      if (family === AF_INET) network = NETWORK_IPV4;
      else if (family === AF_INET6_BSD || family === AF_INET6_FREEBSD || family === AF_INET6_DARWIN) {
        network = NETWORK_IPV6;
      } else {
        anomalies.add(DecodeAnomaly.NON_IP);
        return false;
      }
      break;
    }
    default:
      anomalies.add(DecodeAnomaly.UNSUPPORTED_LINK_TYPE);
      return false;
  }

  if (network === NETWORK_BY_VERSION) {
    if (end - at < 1) {
      // A raw link with no byte at all: nothing tells IPv4 from IPv6, call it a short IPv4 header.
      anomalies.add(DecodeAnomaly.TRUNCATED_IPV4);
      return false;
    }
    const version = bytes[at] >> 4;
    if (version === 4) network = NETWORK_IPV4;
    else if (version === 6) network = NETWORK_IPV6;
    else {
      anomalies.add(DecodeAnomaly.BAD_IP_VERSION);
      return false;
    }
  }

  out.linkHeaderLength = at - start;
  // Bytes the IP packet had on the wire: the link header is always fully captured by now.
  const wireLength = frame.originalLength > frame.capturedLength ? frame.originalLength : frame.capturedLength;
  const ipWireLength = wireLength - (at - start);
  return network === NETWORK_IPV4
    ? decodeIpv4(bytes, at, end, ipWireLength, out, anomalies)
    : decodeIpv6(bytes, at, end, ipWireLength, out, anomalies);
}

function decodeIpv4(
  bytes: Uint8Array,
  at: number,
  end: number,
  ipWireLength: number,
  out: DecodedPacket,
  anomalies: DecodeAnomalies,
): boolean {
  if (end - at < IPV4_MIN_HEADER_LENGTH) {
    anomalies.add(DecodeAnomaly.TRUNCATED_IPV4);
    return false;
  }
  const versionAndLength = bytes[at];
  if (versionAndLength >> 4 !== 4) {
    anomalies.add(DecodeAnomaly.BAD_IP_VERSION);
    return false;
  }
  const headerLength = (versionAndLength & 0x0f) << 2;
  if (headerLength < IPV4_MIN_HEADER_LENGTH) {
    anomalies.add(DecodeAnomaly.BAD_IPV4_HEADER_LENGTH);
    return false;
  }
  if (end - at < headerLength) {
    anomalies.add(DecodeAnomaly.TRUNCATED_IPV4);
    return false;
  }
  let totalLength = readU16(bytes, at + 2);
  if (totalLength === 0) {
    anomalies.add(DecodeAnomaly.IPV4_ZERO_TOTAL_LENGTH);
    totalLength = ipWireLength;
  }
  if (totalLength < headerLength) {
    anomalies.add(DecodeAnomaly.BAD_IPV4_TOTAL_LENGTH);
    return false;
  }
  if (totalLength > ipWireLength) {
    // Seen in real files whose payloads were cut out afterwards; like tshark, trust the wire.
    anomalies.add(DecodeAnomaly.IP_LENGTH_EXCEEDS_FRAME);
    totalLength = ipWireLength;
  }
  const fragmentField = readU16(bytes, at + 6);
  const fragmentOffset = fragmentField & IPV4_FRAGMENT_OFFSET_MASK;

  out.ipVersion = 4;
  out.ipHeaderLength = headerLength;
  out.ipTotalLength = totalLength;
  out.ttl = bytes[at + 8];
  out.protocol = bytes[at + 9];
  out.src[0] = readU32(bytes, at + 12);
  out.dst[0] = readU32(bytes, at + 16);
  out.isFragment = fragmentOffset !== 0 || (fragmentField & IPV4_MORE_FRAGMENTS) !== 0;
  if (fragmentOffset !== 0) return acceptNonFirstFragment(out, totalLength - headerLength, anomalies);
  return decodeTransport(bytes, at + headerLength, end, totalLength - headerLength, out, anomalies);
}

function decodeIpv6(
  bytes: Uint8Array,
  at: number,
  end: number,
  ipWireLength: number,
  out: DecodedPacket,
  anomalies: DecodeAnomalies,
): boolean {
  if (end - at < IPV6_HEADER_LENGTH) {
    anomalies.add(DecodeAnomaly.TRUNCATED_IPV6);
    return false;
  }
  if (bytes[at] >> 4 !== 6) {
    anomalies.add(DecodeAnomaly.BAD_IP_VERSION);
    return false;
  }
  let nextHeader = bytes[at + 6];
  const payloadLength = readU16(bytes, at + 4);
  let totalLength = IPV6_HEADER_LENGTH + payloadLength;
  if (payloadLength === 0 && nextHeader !== IPV6_NO_NEXT_HEADER) {
    anomalies.add(DecodeAnomaly.IPV6_ZERO_PAYLOAD_LENGTH);
    totalLength = ipWireLength;
  }
  if (totalLength > ipWireLength) {
    anomalies.add(DecodeAnomaly.IP_LENGTH_EXCEEDS_FRAME);
    totalLength = ipWireLength;
  }
  out.ipVersion = 6;
  out.ipTotalLength = totalLength;
  out.ttl = bytes[at + 7];
  for (let word = 0; word < 4; word++) {
    out.src[word] = readU32(bytes, at + 8 + 4 * word);
    out.dst[word] = readU32(bytes, at + 24 + 4 * word);
  }

  const packetEnd = at + totalLength;
  let cursor = at + IPV6_HEADER_LENGTH;
  let nonFirstFragment = false;
  // Each extension header is at least 8 bytes and must fit in the stated length, so this ends.
  for (;;) {
    let extensionLength: number;
    if (nextHeader === IPV6_HOP_BY_HOP || nextHeader === IPV6_ROUTING || nextHeader === IPV6_DESTINATION_OPTIONS) {
      if (end - cursor < 2) {
        anomalies.add(DecodeAnomaly.TRUNCATED_IPV6_EXTENSION);
        return false;
      }
      extensionLength = (bytes[cursor + 1] + 1) << 3;
    } else if (nextHeader === IPV6_AUTHENTICATION) {
      if (end - cursor < 2) {
        anomalies.add(DecodeAnomaly.TRUNCATED_IPV6_EXTENSION);
        return false;
      }
      extensionLength = (bytes[cursor + 1] + 2) << 2;
    } else if (nextHeader === IPV6_FRAGMENT) {
      if (end - cursor < 8) {
        anomalies.add(DecodeAnomaly.TRUNCATED_IPV6_EXTENSION);
        return false;
      }
      extensionLength = 8;
      const offsetAndFlags = readU16(bytes, cursor + 2);
      // An "atomic" fragment header (offset 0, no more fragments) does not fragment anything.
      if ((offsetAndFlags & 0xfff9) !== 0) out.isFragment = true;
      if ((offsetAndFlags & 0xfff8) !== 0) nonFirstFragment = true;
    } else {
      break;
    }
    if (packetEnd - cursor < extensionLength) {
      anomalies.add(DecodeAnomaly.BAD_IPV6_EXTENSION_LENGTH);
      return false;
    }
    nextHeader = bytes[cursor];
    cursor += extensionLength;
    if (nonFirstFragment) break;
  }

  const headerLength = cursor - at;
  out.ipHeaderLength = headerLength;
  out.protocol = nextHeader;
  if (nonFirstFragment) return acceptNonFirstFragment(out, totalLength - headerLength, anomalies);
  return decodeTransport(bytes, cursor, end, totalLength - headerLength, out, anomalies);
}

function acceptNonFirstFragment(out: DecodedPacket, fragmentLength: number, anomalies: DecodeAnomalies): boolean {
  anomalies.add(DecodeAnomaly.IP_NON_FIRST_FRAGMENT);
  out.isNonFirstFragment = true;
  out.payloadLength = fragmentLength;
  return true;
}

/**
 * Points the packet at its payload's captured bytes: from `at` to the end of the capture or of the
 * payload, whichever comes first (link-layer padding after the IP packet is not payload).
 */
function setCapturedPayload(out: DecodedPacket, bytes: Uint8Array, at: number, end: number): void {
  const captured = end - at;
  const length = captured < out.payloadLength ? captured : out.payloadLength;
  out.setPayload(bytes, at, length > 0 ? length : 0);
}

/** `segmentLength` is what the IP header says follows it; `end` is where the captured bytes stop. */
function decodeTransport(
  bytes: Uint8Array,
  at: number,
  end: number,
  segmentLength: number,
  out: DecodedPacket,
  anomalies: DecodeAnomalies,
): boolean {
  const captured = end - at;
  switch (out.protocol) {
    case PROTO_TCP: {
      if (captured < TCP_MIN_HEADER_LENGTH || segmentLength < TCP_MIN_HEADER_LENGTH) {
        anomalies.add(DecodeAnomaly.TRUNCATED_TCP);
        return false;
      }
      const headerLength = (bytes[at + 12] >> 4) << 2;
      if (headerLength < TCP_MIN_HEADER_LENGTH || headerLength > segmentLength) {
        anomalies.add(DecodeAnomaly.BAD_TCP_HEADER_LENGTH);
        return false;
      }
      out.srcPort = readU16(bytes, at);
      out.dstPort = readU16(bytes, at + 2);
      out.tcpSeq = readU32(bytes, at + 4);
      out.tcpAck = readU32(bytes, at + 8);
      out.tcpFlags = bytes[at + 13];
      out.tcpWindow = readU16(bytes, at + 14);
      out.tcpUrgentPointer = readU16(bytes, at + 18);
      out.l4HeaderLength = headerLength;
      out.payloadLength = segmentLength - headerLength;
      setCapturedPayload(out, bytes, at + headerLength, end);
      return true;
    }
    case PROTO_UDP: {
      if (captured < UDP_HEADER_LENGTH || segmentLength < UDP_HEADER_LENGTH) {
        anomalies.add(DecodeAnomaly.TRUNCATED_UDP);
        return false;
      }
      out.srcPort = readU16(bytes, at);
      out.dstPort = readU16(bytes, at + 2);
      out.l4HeaderLength = UDP_HEADER_LENGTH;
      out.payloadLength = segmentLength - UDP_HEADER_LENGTH;
      setCapturedPayload(out, bytes, at + UDP_HEADER_LENGTH, end);
      return true;
    }
    case PROTO_ICMP:
    case PROTO_ICMPV6: {
      // ICMP inside IPv6 or ICMPv6 inside IPv4 (nmap -sO sends these, empty) is just a number.
      if ((out.protocol === PROTO_ICMP) !== (out.ipVersion === 4)) {
        out.payloadLength = segmentLength;
        return true;
      }
      if (captured < ICMP_HEADER_LENGTH || segmentLength < ICMP_HEADER_LENGTH) {
        anomalies.add(DecodeAnomaly.TRUNCATED_ICMP);
        return false;
      }
      out.icmpType = bytes[at];
      out.icmpCode = bytes[at + 1];
      out.l4HeaderLength = ICMP_HEADER_LENGTH;
      out.payloadLength = segmentLength - ICMP_HEADER_LENGTH;
      setCapturedPayload(out, bytes, at + ICMP_HEADER_LENGTH, end);
      return true;
    }
    default:
      out.payloadLength = segmentLength;
      return true;
  }
}
