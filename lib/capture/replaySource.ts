/**
 * A capture file replayed at the speed it was recorded: frames keep their original timestamps
 * but are delivered when (now − replay start) catches up with (frame time − first frame time),
 * so a monitor sees traffic arrive as it did on the wire. Memory stays bounded: frames of one
 * file chunk are copied, then released at their time before the next chunk is read.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openCaptureFile } from './fileSource.ts';
import { Frame, type FrameSink, type PacketSource, type SourceStats } from './frame.ts';

interface HeldFrame {
  linkType: number;
  bytes: Uint8Array;
  originalLength: number;
  timestampUs: number;
  interfaceIndex: number;
}

/** Longest single wait; a capture with an hour of silence replays that silence in slices so stop() stays prompt. */
const MAX_WAIT_MS = 250;

export function openRecordedSpeedReplay(path: string): PacketSource {
  const held: HeldFrame[] = [];
  const frame = new Frame();
  let sink: FrameSink = () => {};
  let stopped = false;
  let firstFrameUs = -1;
  let startedMs = 0;
  // Frames and bytes handed on so far: the reader runs a chunk ahead of the clock.
  let delivered = 0;
  let deliveredBytes = 0;

  const release = async () => {
    for (const h of held) {
      if (stopped) break;
      if (firstFrameUs < 0) {
        firstFrameUs = h.timestampUs;
        startedMs = performance.now();
      }
      for (;;) {
        const dueInMs = (h.timestampUs - firstFrameUs) / 1000 - (performance.now() - startedMs);
        if (dueInMs <= 0 || stopped) break;
        await sleep(Math.min(dueInMs, MAX_WAIT_MS));
      }
      frame.linkType = h.linkType;
      frame.buffer = h.bytes;
      frame.offset = 0;
      frame.capturedLength = h.bytes.length;
      frame.originalLength = h.originalLength;
      frame.timestampUs = h.timestampUs;
      frame.interfaceIndex = h.interfaceIndex;
      delivered++;
      deliveredBytes += h.bytes.length;
      sink(frame);
    }
    held.length = 0;
  };

  const file = openCaptureFile(path, { afterChunk: release });
  return {
    description: `${file.description} (recorded speed)`,
    async run(target: FrameSink): Promise<SourceStats> {
      sink = target;
      const stats = await file.run((f) => {
        held.push({
          linkType: f.linkType,
          bytes: f.buffer.slice(f.offset, f.offset + f.capturedLength),
          originalLength: f.originalLength,
          timestampUs: f.timestampUs,
          interfaceIndex: f.interfaceIndex,
        });
      });
      // The last chunk's frames: the file source ends without another afterChunk call when it is stopped early.
      if (!stopped) await release();
      return { ...stats, frames: delivered, bytes: deliveredBytes };
    },
    stop(): void {
      stopped = true;
      file.stop();
    },
    // What was delivered, not what was read ahead: the packet rate shown follows the recording.
    stats: () => ({ ...file.stats(), frames: delivered, bytes: deliveredBytes }),
  };
}
