/**
 * Address words (as DecodedPacket stores them) → text. Used when a flow is emitted, never per
 * packet. IPv6 follows RFC 5952 exactly as glibc's inet_ntop (and therefore tshark) prints it:
 * lowercase hex, no leading zeros, the longest run of two or more zero groups (the first on a
 * tie) as "::", and the last 32 bits dotted for IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible
 * (::a.b.c.d) addresses.
 */
export function formatAddress(words: Uint32Array, ipVersion: number): string {
  return ipVersion === 6 ? formatIpv6(words) : formatIpv4(words[0]);
}

export function formatIpv4(word: number): string {
  return `${word >>> 24}.${(word >>> 16) & 0xff}.${(word >>> 8) & 0xff}.${word & 0xff}`;
}

function formatIpv6(words: Uint32Array): string {
  const groups = [
    words[0] >>> 16, words[0] & 0xffff,
    words[1] >>> 16, words[1] & 0xffff,
    words[2] >>> 16, words[2] & 0xffff,
    words[3] >>> 16, words[3] & 0xffff,
  ];
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  // A single zero group is written as "0", not "::" (RFC 5952 section 4.2.2).
  if (bestLength < 2) bestStart = -1;

  let text = '';
  for (let i = 0; i < 8; i++) {
    if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLength) {
      if (i === bestStart) text += ':';
      continue;
    }
    if (i !== 0) text += ':';
    if (i === 6 && bestStart === 0 && (bestLength === 6 || (bestLength === 5 && groups[5] === 0xffff))) {
      text += formatIpv4(words[3]);
      break;
    }
    text += groups[i].toString(16);
  }
  if (bestStart >= 0 && bestStart + bestLength === 8) text += ':';
  return text;
}
