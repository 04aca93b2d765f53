/**
 * Rewrites a real little-endian pcapng (as written by editcap: SHB, IDB, EPB; µs resolution) so
 * its interfaces use another if_tsresol and/or an if_tsoffset, rescaling every EPB timestamp.
 * No tool we have writes such files; tshark, which honours both options, judges the result.
 */
export interface TimeOptions {
  /** if_tsresol byte, e.g. 0x94 for 2^-20 s. */
  resolution?: number;
  /** if_tsoffset in seconds; stored timestamps are shifted back so the true times are unchanged. */
  offsetSeconds?: bigint;
}

function unitsPerSecond(resolution: number): bigint {
  const exponent = BigInt(resolution & 0x7f);
  return resolution & 0x80 ? 2n ** exponent : 10n ** exponent;
}

export function rewriteInterfaceTimes(input: Uint8Array, options: TimeOptions): Uint8Array {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const blocks: Uint8Array[] = [];
  const units = options.resolution === undefined ? 1_000_000n : unitsPerSecond(options.resolution);
  const offset = options.offsetSeconds ?? 0n;
  let position = 0;
  while (position + 12 <= input.length) {
    const type = view.getUint32(position, true);
    const length = view.getUint32(position + 4, true);
    let block = new Uint8Array(input.subarray(position, position + length));
    if (type === 0x0a0d0d0a && view.getUint32(position + 8, true) !== 0x1a2b3c4d) throw new Error('expected little-endian pcapng');
    if (type === 1) {
      const kept: Uint8Array[] = [];
      let option = 16;
      while (option + 4 <= length - 4) {
        const code = view.getUint16(position + option, true);
        const optionLength = view.getUint16(position + option + 2, true);
        if (code === 0) break;
        if (code === 9 || code === 14) throw new Error('interface already has time options');
        kept.push(block.subarray(option, option + 4 + ((optionLength + 3) & ~3)));
        option += 4 + ((optionLength + 3) & ~3);
      }
      const added: number[] = [];
      if (options.resolution !== undefined) added.push(9, 0, 1, 0, options.resolution, 0, 0, 0);
      if (options.offsetSeconds !== undefined) {
        const value = new Uint8Array(8);
        new DataView(value.buffer).setBigInt64(0, options.offsetSeconds, true);
        added.push(14, 0, 8, 0, ...value);
      }
      added.push(0, 0, 0, 0);
      const optionBytes = kept.reduce((sum, part) => sum + part.length, 0) + added.length;
      const rebuilt = new Uint8Array(16 + optionBytes + 4);
      rebuilt.set(block.subarray(0, 16));
      let at = 16;
      for (const part of kept) {
        rebuilt.set(part, at);
        at += part.length;
      }
      rebuilt.set(added, at);
      const rebuiltView = new DataView(rebuilt.buffer);
      rebuiltView.setUint32(4, rebuilt.length, true);
      rebuiltView.setUint32(rebuilt.length - 4, rebuilt.length, true);
      block = rebuilt;
    } else if (type === 6) {
      const blockView = new DataView(block.buffer);
      const microseconds = (BigInt(blockView.getUint32(12, true)) << 32n) | BigInt(blockView.getUint32(16, true));
      const stored = ((microseconds - offset * 1_000_000n) * units) / 1_000_000n;
      blockView.setUint32(12, Number(stored >> 32n), true);
      blockView.setUint32(16, Number(stored & 0xffffffffn), true);
    }
    blocks.push(block);
    position += length;
  }
  const output = new Uint8Array(blocks.reduce((sum, block) => sum + block.length, 0));
  let at = 0;
  for (const block of blocks) {
    output.set(block, at);
    at += block.length;
  }
  return output;
}
