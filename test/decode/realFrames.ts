import { Frame, openCaptureFile } from '../../lib/capture/index.ts';

/** A frame copied out of the reader's reused buffer, so tests can keep and mutate it. */
export interface StoredFrame {
  linkType: number;
  bytes: Uint8Array;
  originalLength: number;
  timestampUs: number;
}

export async function loadFrames(path: string): Promise<StoredFrame[]> {
  const frames: StoredFrame[] = [];
  await openCaptureFile(path).run((frame) => {
    frames.push({
      linkType: frame.linkType,
      // A copy: the reader reuses its buffers, and a Node Buffer's slice() would only be a view.
      bytes: new Uint8Array(frame.buffer.subarray(frame.offset, frame.offset + frame.capturedLength)),
      originalLength: frame.originalLength,
      timestampUs: frame.timestampUs,
    });
  });
  return frames;
}

/** Points a reusable Frame at stored bytes, optionally cut to `capturedLength` as a snap length would. */
export function toFrame(stored: StoredFrame, frame: Frame, capturedLength = stored.bytes.length, bytes = stored.bytes): Frame {
  frame.linkType = stored.linkType;
  frame.buffer = bytes;
  frame.offset = 0;
  frame.capturedLength = capturedLength;
  frame.originalLength = stored.originalLength;
  frame.timestampUs = stored.timestampUs;
  frame.interfaceIndex = 0;
  return frame;
}
