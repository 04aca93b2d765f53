/**
 * Names of the anomalies capture parsers count instead of throwing (Zeek "weird" style).
 * They appear as keys of SourceStats.anomalies.
 */
export const CaptureAnomaly = {
  /** The input stopped before a file header was complete (also: zero bytes of input). */
  TRUNCATED_HEADER: 'truncated_header',
  /** The input ended in the middle of a packet record or block; the partial record is dropped. */
  TRUNCATED_RECORD: 'truncated_record',
  /** First bytes are not a pcap/pcapng magic, or the pcapng byte-order magic is wrong. Parsing stops. */
  BAD_MAGIC: 'bad_magic',
  /** A record claims more than 256 KiB of captured bytes; framing is lost, parsing stops. */
  ABSURD_CAPLEN: 'absurd_caplen',
  /** pcapng block length below 12, not a multiple of 4, or above 16 MiB; parsing stops. */
  BAD_BLOCK_LENGTH: 'bad_block_length',
  /** pcapng trailing block length differs from the leading one; the block is still used. */
  BLOCK_LENGTH_MISMATCH: 'block_length_mismatch',
  /** A pcapng packet block whose captured length does not fit inside the block; block skipped. */
  CAPLEN_EXCEEDS_BLOCK: 'caplen_exceeds_block',
  /** A pcapng block too short for its fixed fields; block skipped. */
  SHORT_BLOCK: 'short_block',
  /** A pcapng packet names an interface no IDB declared; packet skipped. */
  UNKNOWN_INTERFACE: 'unknown_interface',
  /** A pcapng block type this reader does not know; block skipped. */
  UNKNOWN_BLOCK: 'unknown_block',
  /** A pcapng option whose length runs past its block; remaining options ignored. */
  BAD_OPTION: 'bad_option',
  /** A pcapng Simple Packet Block before any interface was declared; packet skipped. */
  SPB_WITHOUT_INTERFACE: 'spb_without_interface',
  /** Unexpected pcap/pcapng version number; parsing continues. */
  UNUSUAL_VERSION: 'unusual_version',
  /** The gzip stream ended early (file cut short); frames before the cut were delivered. */
  TRUNCATED_GZIP: 'truncated_gzip',
} as const;

export type CaptureAnomalyName = (typeof CaptureAnomaly)[keyof typeof CaptureAnomaly];
