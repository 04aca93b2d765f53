import { createRequire } from 'node:module';

/**
 * The slice of the `cap` npm module (a CommonJS libpcap binding without type declarations)
 * that live capture uses, typed by hand from native/cap/README.md and src/binding.cc. NetGuard
 * installs its own build of cap (native/cap, see NOTICE.md there), which adds the packet
 * timestamp, the wire length and pcap_stats().
 */
export interface CapAddress {
  addr: string;
  netmask?: string;
  broadaddr?: string;
  dstaddr?: string;
}

export interface CapDevice {
  name: string;
  description?: string;
  addresses: CapAddress[];
  /** 'PCAP_IF_LOOPBACK' for loopback devices, absent otherwise. */
  flags?: string;
}

/**
 * `capturedLength` bytes were copied into the open() buffer; `truncated` when the buffer was
 * smaller than libpcap's capture. `timestampSeconds`/`timestampMicroseconds` are libpcap's
 * pcap_pkthdr.ts (taken by the kernel), `wireLength` is pcap_pkthdr.len.
 */
export type CapPacketListener = (
  capturedLength: number,
  truncated: boolean,
  timestampSeconds: number,
  timestampMicroseconds: number,
  wireLength: number,
) => void;

/** struct pcap_stat: ps_recv, ps_drop, ps_ifdrop (what each counts is platform-specific). */
export interface CapStats {
  received: number;
  dropped: number;
  ifDropped: number;
}

export interface CapHandle {
  /**
   * Opens and activates `device`, applies `filter`, and starts polling without blocking.
   * Returns the link type as 'ETHERNET' | 'NULL' | 'LINKTYPE_LINUX_SLL' | 'RAW' |
   * 'IEEE802_11_RADIO' | 'Unknown linktype <DLT number>'. Throws libpcap's message on failure.
   * Each packet is copied into `buffer` (cut to its length) before the 'packet' event.
   */
  /** `snapLength` (1-65535, default 65535) also sizes libpcap's ring slots in immediate mode. */
  open(device: string, filter: string, bufferSize: number, buffer: Buffer, snapLength?: number): string;
  close(): void;
  /** pcap_stats() since open(); throws libpcap's message, or when the handle is not open. */
  stats(): CapStats;
  on(event: 'packet', listener: CapPacketListener): this;
  removeAllListeners(event?: 'packet'): this;
}

export interface CapModule {
  Cap: {
    new (): CapHandle;
    deviceList(): CapDevice[];
  };
}

let loaded: CapModule | null = null;

/** Loads the native module on first use, so reading files never needs libpcap. */
export function loadCap(): CapModule {
  if (loaded === null) loaded = createRequire(import.meta.url)('cap') as CapModule;
  return loaded;
}
