/**
 * The key of a (client, server, service port) slot that the brute-force, HTTP-flood and slowloris
 * rules share: word 0 is the IP version | service port << 8, words 1-4 the client's address, words
 * 5-8 the server's. Written per packet (no allocation), read back as text only when a rule reports.
 */
import { formatAddress } from '../../decode/formatAddress.ts';
import type { KeyedSlots } from '../keyedSlots.ts';

export const SERVICE_PAIR_KEY_WORDS = 9;

/** Puts the key into `slots.key`, ready for touch/find/lookup. */
export function writeServicePairKey(slots: KeyedSlots, ipVersion: number, port: number, client: Uint32Array, server: Uint32Array): void {
  slots.key[0] = ipVersion | (port << 8);
  slots.setKeyAddress(1, client);
  slots.setKeyAddress(5, server);
}

export interface ServicePair {
  port: number;
  client: string;
  server: string;
}

/** The slot's key as text (`scratch`: 4 words to copy addresses through). */
export function readServicePair(slots: KeyedSlots, slot: number, scratch: Uint32Array): ServicePair {
  const keyWord = slots.keys[slot * SERVICE_PAIR_KEY_WORDS]!;
  const ipVersion = keyWord & 0xff;
  return {
    port: keyWord >>> 8,
    client: formatAddress(slots.copyKeyWords(slot, 1, scratch), ipVersion),
    server: formatAddress(slots.copyKeyWords(slot, 5, scratch), ipVersion),
  };
}
