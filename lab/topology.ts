/**
 * Builds and removes the lab's network namespaces.
 *
 * LAN: one namespace per host, each with `eth0` (MTU 1500) on a veth pair whose other end is a
 * port of the bridge `br0` inside `ngl-sw`. The pairs are created inside `ngl-sw` with their
 * peer directly in the host's namespace, so the root namespace never holds a lab interface.
 * No namespace has a default route: only 10.77.0.0/24 is reachable, nothing leaves.
 *
 * Loopback: one namespace `ngl-lo` whose `lo` is the only interface.
 *
 * IPv6 is off everywhere (the lab has no IPv6 addressing; router solicitations would only add
 * noise). Segmentation and checksum offloads are off on every veth so the bridge carries real
 * 1500-byte frames with valid checksums, as a physical switch would, instead of 64 KB GSO blobs.
 */
import {
  BRIDGE,
  LAN_HOSTS,
  LAN_MTU,
  LAN_PREFIX_LENGTH,
  LOOPBACK_NS,
  NAMESPACE_PREFIX,
  SWITCH_NS,
} from './labConfig.ts';
import { sh } from './proc.ts';

export type LabNetwork = 'lan' | 'loopback';

/** Namespaces that currently exist and belong to the lab. */
export function labNamespaces(): string[] {
  return sh(['ip', 'netns', 'list'], { allowFailure: true })
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(NAMESPACE_PREFIX));
}

function quietIpv6(namespace: string): void {
  sh(['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1'], { namespace, allowFailure: true });
  sh(['sysctl', '-qw', 'net.ipv6.conf.default.disable_ipv6=1'], { namespace, allowFailure: true });
}

function noOffloads(namespace: string, device: string): void {
  // Some features are fixed on some kernels; what can be turned off is, the rest is reported by ethtool and ignored.
  sh(['ethtool', '-K', device, 'tx', 'off', 'rx', 'off', 'tso', 'off', 'gso', 'off', 'gro', 'off'], { namespace, allowFailure: true });
}

function addNamespace(name: string): void {
  sh(['ip', 'netns', 'add', name]);
  quietIpv6(name);
  sh(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
}

export function buildLan(): void {
  addNamespace(SWITCH_NS);
  sh(['ip', '-n', SWITCH_NS, 'link', 'add', BRIDGE, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
  sh(['ip', '-n', SWITCH_NS, 'link', 'set', BRIDGE, 'mtu', String(LAN_MTU), 'up']);
  for (const host of LAN_HOSTS) {
    addNamespace(host.namespace);
    sh(['ip', '-n', SWITCH_NS, 'link', 'add', host.switchPort, 'mtu', String(LAN_MTU), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.namespace]);
    sh(['ip', '-n', SWITCH_NS, 'link', 'set', host.switchPort, 'master', BRIDGE]);
    noOffloads(SWITCH_NS, host.switchPort);
    noOffloads(host.namespace, 'eth0');
    sh(['ip', '-n', host.namespace, 'link', 'set', 'eth0', 'mtu', String(LAN_MTU)]);
    sh(['ip', '-n', host.namespace, 'addr', 'add', `${host.address}/${LAN_PREFIX_LENGTH}`, 'dev', 'eth0']);
    sh(['ip', '-n', SWITCH_NS, 'link', 'set', host.switchPort, 'up']);
    sh(['ip', '-n', host.namespace, 'link', 'set', 'eth0', 'up']);
  }
}

export function buildLoopback(): void {
  addNamespace(LOOPBACK_NS);
}

export function build(network: LabNetwork): void {
  if (network === 'lan') buildLan();
  else buildLoopback();
}

/** Process ids still running inside a namespace. */
export function namespacePids(namespace: string): number[] {
  return sh(['ip', 'netns', 'pids', namespace], { allowFailure: true })
    .split('\n')
    .map((line) => Number.parseInt(line, 10))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/**
 * Kills every process inside every lab namespace, then deletes the namespaces. Synchronous so
 * it can run from a signal handler; safe to call when nothing exists.
 */
export function teardownAll(): void {
  for (let round = 0; round < 5; round += 1) {
    const namespaces = labNamespaces();
    if (namespaces.length === 0) return;
    for (const namespace of namespaces) {
      for (const pid of namespacePids(namespace)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    for (const namespace of namespaces) sh(['ip', 'netns', 'del', namespace], { allowFailure: true });
  }
}
