import { createRequire } from 'node:module';

/**
 * The slice of the `cap` npm module (a CommonJS libpcap binding without type declarations)
 * that live capture uses, typed by hand from node_modules/cap/README.md and src/binding.cc.
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

export interface CapHandle {
  /**
   * Opens and activates `device`, applies `filter`, and starts polling without blocking.
   * Returns the link type as 'ETHERNET' | 'NULL' | 'LINKTYPE_LINUX_SLL' | 'RAW' |
   * 'IEEE802_11_RADIO' | 'Unknown linktype <DLT number>'. Throws libpcap's message on failure.
   * Each packet is copied into `buffer` (cut to its length) before the 'packet' event.
   */
  open(device: string, filter: string, bufferSize: number, buffer: Buffer): string;
  close(): void;
  on(event: 'packet', listener: (capturedLength: number, truncated: boolean) => void): this;
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
