/**
 * Whether this process may capture live, told before anyone clicks Start: root, or the
 * CAP_NET_RAW capability (bit 13 of the effective set in /proc/self/status).
 */
import { readFileSync } from 'node:fs';

const CAP_NET_RAW = 13n;

export interface LivePermission {
  available: boolean;
  /** Why not, and how to fix it. */
  reason?: string;
}

export function liveCapturePermission(): LivePermission {
  if (process.getuid?.() === 0) return { available: true };
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const effective = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    if (effective !== undefined && ((BigInt(`0x${effective}`) >> CAP_NET_RAW) & 1n) === 1n) return { available: true };
  } catch {
    // Not Linux: let libpcap decide when capture starts.
    return { available: true };
  }
  return {
    available: false,
    reason:
      'live capture needs root or the CAP_NET_RAW capability: start NetGuard as root, or run ' +
      '`sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which node))`. The sample captures work without it.',
  };
}
