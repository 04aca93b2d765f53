/**
 * The lab's fixed facts: namespace names, addresses, ports and the lab user's credentials.
 * Everything else (topology, servers, clients, scenarios) reads them from here, so a change of
 * address is one edit and the ground-truth files always agree with what was really used.
 */

/** Every namespace the lab creates starts with this prefix; cleanup removes all of them. */
export const NAMESPACE_PREFIX = 'ngl-';

/** The bridge lives in its own namespace so the root namespace gains no interface at all. */
export const SWITCH_NS = 'ngl-sw';
export const BRIDGE = 'br0';
/** Loopback scenarios run on this namespace's own `lo`. */
export const LOOPBACK_NS = 'ngl-lo';

export const LAN_PREFIX_LENGTH = 24;
export const LAN_MTU = 1500;

export interface LanHost {
  /** Namespace holding the host; its interface there is `eth0`. */
  namespace: string;
  /** The bridge-side end of its veth pair (inside `ngl-sw`). */
  switchPort: string;
  address: string;
  role: 'server' | 'client' | 'attacker';
}

export const LAN_SERVER: LanHost = { namespace: 'ngl-srv', switchPort: 'p-srv', address: '10.77.0.10', role: 'server' };
export const LAN_CLIENTS: readonly LanHost[] = [
  { namespace: 'ngl-c1', switchPort: 'p-c1', address: '10.77.0.21', role: 'client' },
  { namespace: 'ngl-c2', switchPort: 'p-c2', address: '10.77.0.22', role: 'client' },
  { namespace: 'ngl-c3', switchPort: 'p-c3', address: '10.77.0.23', role: 'client' },
];
export const LAN_ATTACKER: LanHost = { namespace: 'ngl-atk', switchPort: 'p-atk', address: '10.77.0.66', role: 'attacker' };
export const LAN_HOSTS: readonly LanHost[] = [LAN_SERVER, ...LAN_CLIENTS, LAN_ATTACKER];

/** Loopback addressing (the contract): server 127.0.0.10, clients bind 127.0.0.2x, attacker 127.0.0.1. */
export const LOOPBACK_SERVER = '127.0.0.10';
export const LOOPBACK_CLIENTS: readonly string[] = ['127.0.0.21', '127.0.0.22'];
export const LOOPBACK_ATTACKER = '127.0.0.1';

/** Where the servers listen (the same ports on the LAN and on loopback). */
export const PORTS = {
  http: 80,
  httpAlt: 8080,
  ssh: 22,
  sshAlt: 2222,
  ftp: 21,
  ftpAlt: 2121,
  dns: 53,
} as const;

/**
 * The lab user for benign SSH/FTP logins. It exists only inside the server processes' private
 * mount namespace (a bind-mounted copy of /etc/passwd and /etc/shadow), never on the machine.
 * The password is deliberately absent from every brute-force wordlist.
 */
export const LAB_USER = { name: 'labuser', uid: 4242, password: 'Ngl-lab-7731!quartz' } as const;
/** The HTTP basic-auth account guarding /admin/ (also absent from the wordlists). */
export const HTTP_ADMIN = { name: 'admin', password: 'Vault-9183-ember' } as const;

/** Local DNS names dnsmasq answers with the server's address. */
export const DNS_NAMES: readonly string[] = ['www.lab.test', 'files.lab.test', 'ssh.lab.test', 'ftp.lab.test', 'intranet.lab.test'];
/** Names in the lab zone that do not exist (NXDOMAIN answers, as real clients get now and then). */
export const DNS_MISSING: readonly string[] = ['printer.lab.test', 'wpad.lab.test', 'mail.lab.test'];

/** Snap length of every capture: headers are kept, payload beyond 256 bytes is not (wire lengths are). */
export const SNAP_LENGTH = 256;

/** Only one lab run at a time: the namespace names are fixed. */
export const LOCK_FILE = '/run/ngl-lab.lock';
