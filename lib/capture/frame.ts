/**
 * One captured frame. Every packet source reuses a single Frame for all its packets, so a
 * sink must read what it needs inside the callback and never keep the object or its buffer.
 */
export class Frame {
  /** LINKTYPE_* value of the interface the frame came from (see linkTypes.ts). */
  linkType = 1;
  /** Bytes of the frame live at buffer[offset, offset + capturedLength). */
  buffer: Uint8Array = new Uint8Array(0);
  offset = 0;
  capturedLength = 0;
  /** Length on the wire; larger than capturedLength when the snap length cut the frame. */
  originalLength = 0;
  /** Microseconds since the Unix epoch (fits a double exactly for the next 285 years). */
  timestampUs = 0;
  /** pcapng interface id; 0 for classic pcap and live capture. */
  interfaceIndex = 0;
}

export type FrameSink = (frame: Frame) => void;

export interface SourceStats {
  /** Frames handed to the sink. */
  frames: number;
  /** Captured bytes handed to the sink. */
  bytes: number;
  /** Kernel counters (live capture only): packets the kernel received and dropped. */
  kernelReceived?: number;
  kernelDropped?: number;
  /** Named anomalies met while reading (truncated record, unknown block, ...), counted not thrown. */
  anomalies: Record<string, number>;
  /**
   * Warning, not an error: the input ended in the middle of a header or record (a capture copied
   * while still being written, a cut download). Frames before the cut were delivered.
   */
  truncated?: boolean;
  /**
   * Offset in the (decompressed) input of the first damaged record, when the reader met one
   * (see the `damaged_record`, `resync` and `skipped_bytes` anomalies).
   */
  firstDamageOffset?: number;
}

/**
 * What every packet source looks like to the rest of the pipeline: a live interface and a
 * capture file are the same thing downstream.
 */
export interface PacketSource {
  /** Human-readable origin, e.g. "file:attack.pcap.gz" or "interface:lo". */
  readonly description: string;
  /** Delivers frames until the file ends or stop() is called; resolves with the final stats. */
  run(sink: FrameSink): Promise<SourceStats>;
  /** Asks the source to finish; run() resolves soon after. Safe to call twice. */
  stop(): void;
  /** A snapshot of the counters so far. */
  stats(): SourceStats;
}
