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
  /** A record claims more than 256 KiB of captured bytes: a damaged header. pcap: the reader resynchronises; pcapng: the block is skipped. */
  ABSURD_CAPLEN: 'absurd_caplen',
  /**
   * pcapng block length below 12, not a multiple of 4, above 16 MiB, or far beyond what its
   * packet needs: a damaged header; the reader resynchronises.
   */
  BAD_BLOCK_LENGTH: 'bad_block_length',
  /** pcapng trailing block length differs from the leading one: a damaged block; the reader resynchronises. */
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
  /**
   * pcap record header with captured length above the snap length or the original length, a
   * sub-second field out of range or a timestamp more than a day from its predecessor, which the
   * header after it does not confirm: a damaged header; the reader resynchronises.
   */
  IMPLAUSIBLE_HEADER: 'implausible_header',
  /**
   * After a damaged header the reader searched forward and found the next plausible record
   * (pcap: a header plausible next to the last good record and confirmed by the one after it;
   * pcapng: a known block type whose leading and trailing lengths agree). One per damaged spot.
   */
  RESYNC: 'resync',
  /** After a damaged header no plausible record was found before the input ended; the rest was skipped. */
  RESYNC_FAILED: 'resync_failed',
  /** Records dropped because they were damaged (at least one per damaged spot, plus skipped packet blocks). */
  DAMAGED_RECORD: 'damaged_record',
  /** Bytes skipped while resynchronising (the count is a number of bytes, not of events). */
  SKIPPED_BYTES: 'skipped_bytes',
  /**
   * pcap record whose framing the next header confirms but whose timestamp is far off or whose
   * sub-second field is out of range: delivered with the previous packet's timestamp.
   */
  BAD_TIMESTAMP: 'bad_timestamp',
  /** pcap record with more captured than original bytes, confirmed by the next header: delivered as is. */
  CAPLEN_EXCEEDS_ORIGLEN: 'caplen_exceeds_origlen',
  /** pcap records longer than the file's snap length, confirmed by the next header: the snap length is ignored from then on. */
  CAPLEN_EXCEEDS_SNAPLEN: 'caplen_exceeds_snaplen',
} as const;

export type CaptureAnomalyName = (typeof CaptureAnomaly)[keyof typeof CaptureAnomaly];
