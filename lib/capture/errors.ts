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
  /** The first bytes are neither pcap, pcapng nor gzip (the message says what was expected, see notACaptureFileMessage). */
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

/**
 * The NOT_A_CAPTURE_FILE message: what a capture file starts with and how big this one is,
 * never its own bytes. The path may be one a dashboard client named, and the message goes back
 * to every client, so the file's content (a password file's first line) must not be in it.
 */
export function notACaptureFileMessage(path: string, sizeBytes: number): string {
  return (
    `not a pcap, pcapng or gzip file: ${path} (${sizeBytes} bytes) does not start with a capture file's magic number; ` +
    'expected a1b2c3d4/d4c3b2a1 or a1b23c4d/4d3cb2a1 (pcap), 0a0d0d0a (pcapng) or 1f8b (gzip): record with tcpdump -w or tshark -w'
  );
}
