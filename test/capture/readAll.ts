import type { Frame, PacketSource, SourceStats } from '../../lib/capture/frame.ts';
import type { RecordParser } from '../../lib/capture/recordParser.ts';

/** A frame's values copied out of the reused Frame, plus an FNV-1a hash of its bytes. */
export interface FrameRecord {
  linkType: number;
  interfaceIndex: number;
  timestampUs: number;
  capturedLength: number;
  originalLength: number;
  contentHash: number;
}

export function recordFrame(frame: Frame): FrameRecord {
  let hash = 0x811c9dc5;
  const end = frame.offset + frame.capturedLength;
  for (let i = frame.offset; i < end; i++) hash = Math.imul(hash ^ frame.buffer[i], 0x01000193);
  return {
    linkType: frame.linkType,
    interfaceIndex: frame.interfaceIndex,
    timestampUs: frame.timestampUs,
    capturedLength: frame.capturedLength,
    originalLength: frame.originalLength,
    contentHash: hash >>> 0,
  };
}

export interface Summary {
  frames: number;
  capturedBytes: number;
  firstUs: number;
  lastUs: number;
  earliestUs: number;
  latestUs: number;
  framesPerInterface: Map<number, number>;
  linkTypePerInterface: Map<number, number>;
}

export function emptySummary(): Summary {
  return {
    frames: 0,
    capturedBytes: 0,
    firstUs: -1,
    lastUs: -1,
    earliestUs: Infinity,
    latestUs: -Infinity,
    framesPerInterface: new Map(),
    linkTypePerInterface: new Map(),
  };
}

export function addToSummary(summary: Summary, frame: Frame): void {
  if (summary.frames === 0) summary.firstUs = frame.timestampUs;
  summary.lastUs = frame.timestampUs;
  summary.earliestUs = Math.min(summary.earliestUs, frame.timestampUs);
  summary.latestUs = Math.max(summary.latestUs, frame.timestampUs);
  summary.frames++;
  summary.capturedBytes += frame.capturedLength;
  summary.framesPerInterface.set(frame.interfaceIndex, (summary.framesPerInterface.get(frame.interfaceIndex) ?? 0) + 1);
  summary.linkTypePerInterface.set(frame.interfaceIndex, frame.linkType);
}

export async function summariseSource(source: PacketSource): Promise<{ summary: Summary; stats: SourceStats }> {
  const summary = emptySummary();
  const stats = await source.run((frame) => addToSummary(summary, frame));
  return { summary, stats };
}

/** Feeds `data` to a parser cut at the given chunk sizes (cycled), recording every frame. */
export function parseInChunks(parser: RecordParser, data: Uint8Array, chunkSizes: readonly number[]): FrameRecord[] {
  const frames: FrameRecord[] = [];
  const sink = (frame: Frame): void => {
    frames.push(recordFrame(frame));
  };
  let position = 0;
  let index = 0;
  while (position < data.length) {
    const size = Math.max(1, chunkSizes.length === 0 ? data.length : chunkSizes[index++ % chunkSizes.length]);
    parser.push(data.subarray(position, position + size), sink);
    position += size;
  }
  parser.end();
  return frames;
}
