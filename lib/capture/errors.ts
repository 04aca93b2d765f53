/**
 * Errors at the capture boundary (files, interfaces). Parsers never throw: they count
 * anomalies. Only opening/reading a source can fail, and then with one of these codes.
 */
export const CaptureErrorCode = {
  /** The capture file does not exist. */
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  /** The file exists but cannot be read (permissions, a directory, I/O error). */
  FILE_UNREADABLE: 'FILE_UNREADABLE',
  /** The file has zero bytes (or decompresses to zero bytes). */
  EMPTY_FILE: 'EMPTY_FILE',
  /** The first bytes are neither pcap, pcapng nor gzip. */
  NOT_A_CAPTURE_FILE: 'NOT_A_CAPTURE_FILE',
  /** gzip data that zlib rejects (bad header, bad checksum, invalid deflate data). */
  CORRUPT_GZIP: 'CORRUPT_GZIP',
  /** Live capture: the interface name is not one libpcap knows. */
  UNKNOWN_INTERFACE: 'UNKNOWN_INTERFACE',
  /** Live capture: the process may not open raw sockets (not root, no CAP_NET_RAW). */
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  /** Live capture: libpcap rejected the BPF filter expression. */
  BAD_FILTER: 'BAD_FILTER',
  /** Live capture: any other libpcap failure while opening or reading the interface. */
  LIVE_CAPTURE_FAILED: 'LIVE_CAPTURE_FAILED',
} as const;

export type CaptureErrorCodeValue = (typeof CaptureErrorCode)[keyof typeof CaptureErrorCode];

export class CaptureError extends Error {
  readonly code: CaptureErrorCodeValue;

  constructor(code: CaptureErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CaptureError';
    this.code = code;
  }
}
