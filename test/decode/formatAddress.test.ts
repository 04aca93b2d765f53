import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAddress } from '../../lib/decode/index.ts';

/** glibc's inet_ntop (what tshark calls) through Python, as the reference printer. */
function referenceFormat(hexAddresses: readonly string[]): string[] {
  const script = [
    'import socket, sys',
    'for line in sys.stdin.read().split():',
    '    raw = bytes.fromhex(line)',
    '    print(socket.inet_ntop(socket.AF_INET6 if len(raw) == 16 else socket.AF_INET, raw))',
  ].join('\n');
  const out = execFileSync('python3', ['-c', script], { input: hexAddresses.join('\n'), encoding: 'utf8' });
  return out.trim().split('\n');
}

function toWords(hex: string): Uint32Array {
  const words = new Uint32Array(4);
  for (let i = 0; i < hex.length / 8; i++) words[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  return words;
}

// Groups drawn mostly from 0 and a few typical values so zero runs of every length and position appear.
const group = fc.oneof(
  { arbitrary: fc.constant(0), weight: 6 },
  { arbitrary: fc.constantFrom(1, 0xffff, 0x2001, 0xdb8, 0xfe80, 0xa), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 0xffff }), weight: 2 },
);
const ipv6Hex = fc.array(group, { minLength: 8, maxLength: 8 }).map((groups) => groups.map((g) => g.toString(16).padStart(4, '0')).join(''));

describe('formatAddress', () => {
  it('prints IPv6 exactly like glibc inet_ntop (RFC 5952 compression, dotted IPv4-mapped/compatible)', () => {
    const addresses = fc.sample(ipv6Hex, { numRuns: 5000, seed: 42 });
    // Edge cases named in RFC 5952 and inet_ntop's IPv4 special cases.
    addresses.push(
      '00000000000000000000000000000000', '00000000000000000000000000000001', '20010db8000000000001000000000001',
      '20010db8000000000000000000000001', '20010db8000000010000000000000001', '00000000000000000000ffffc0a80001',
      '000000000000000000000000c0a80001', '00000000000000000000ffff00000000', 'fe800000000000000000000000000000',
      '20010db800000000000000010000ffff', '0000000000000000ffff000000000000', '20010db8000000000000000000000000',
    );
    const expected = referenceFormat(addresses);
    const actual = addresses.map((hex) => formatAddress(toWords(hex), 6));
    const differences = actual.flatMap((text, i) => (text === expected[i] ? [] : [`${addresses[i]}: ${text} vs ${expected[i]}`]));
    expect(differences.slice(0, 10)).toEqual([]);
    expect(expected).toHaveLength(addresses.length);
  });

  it('prints IPv4 dotted from word 0', () => {
    const addresses = fc.sample(fc.integer({ min: 0, max: 0xffffffff }).map((n) => n.toString(16).padStart(8, '0')), { numRuns: 500, seed: 3 });
    addresses.push('00000000', 'ffffffff', '7f000001');
    const expected = referenceFormat(addresses);
    expect(addresses.map((hex) => formatAddress(toWords(hex), 4))).toEqual(expected);
  });
});
