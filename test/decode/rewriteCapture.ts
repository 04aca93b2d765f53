import { execFileSync } from 'node:child_process';

/**
 * Rewrites a real classic-pcap capture's link layer with tcprewrite (tcpreplay's tool), for link
 * types no stored capture uses. The IP packets are left as they were captured.
 */
export function rewriteCapture(input: string, output: string, options: readonly string[]): string {
  execFileSync('tcprewrite', [...options, '-i', input, '-o', output], { stdio: 'pipe' });
  return output;
}

/** Replaces the Ethernet header with a 4-byte BSD loopback header: NULL (host order) or LOOP (network order). */
export function loopbackHeaderOptions(linkType: 0 | 108, family: number, littleEndian: boolean): string[] {
  const bytes = [0, 0, 0, family];
  if (littleEndian) bytes.reverse();
  const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(',');
  return ['--dlt=user', `--user-dlt=${linkType}`, `--user-dlink=${hex}`];
}
