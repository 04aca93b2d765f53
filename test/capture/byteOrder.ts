/**
 * Rewrites a real little-endian capture in big-endian byte order, so the big-endian paths can
 * be tested on real traffic (no tool we have writes big-endian files). tshark, not our reader,
 * is the judge of the result.
 */
function swap(data: Uint8Array, offset: number, width: 2 | 4 | 8): void {
  data.subarray(offset, offset + width).reverse();
}

function u32le(data: Uint8Array, offset: number): number {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(offset, true);
}

function u16le(data: Uint8Array, offset: number): number {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint16(offset, true);
}

export function pcapToBigEndian(littleEndian: Uint8Array): Uint8Array {
  const data = new Uint8Array(littleEndian); // a copy (Buffer.slice would be a view)
  if (u32le(data, 0) !== 0xa1b2c3d4 && u32le(data, 0) !== 0xa1b23c4d) throw new Error('expected a little-endian pcap');
  swap(data, 0, 4);
  swap(data, 4, 2);
  swap(data, 6, 2);
  for (const field of [8, 12, 16, 20]) swap(data, field, 4);
  let position = 24;
  while (position + 16 <= data.length) {
    const capturedLength = u32le(data, position + 8);
    for (const field of [0, 4, 8, 12]) swap(data, position + field, 4);
    position += 16 + capturedLength;
  }
  return data;
}

/** Options: code and length swapped; 2/4/8-byte values are numbers in every option we meet. */
function swapOptions(data: Uint8Array, start: number, end: number): void {
  let position = start;
  while (position + 4 <= end) {
    const code = u16le(data, position);
    const length = u16le(data, position + 2);
    swap(data, position, 2);
    swap(data, position + 2, 2);
    if (code === 0) return;
    if (length === 2 || length === 4 || length === 8) swap(data, position + 4, length);
    position += 4 + ((length + 3) & ~3);
  }
}

/** Handles what editcap/mergecap write: SHB, IDB, EPB (others: only the block framing is swapped). */
export function pcapngToBigEndian(littleEndian: Uint8Array): Uint8Array {
  const data = new Uint8Array(littleEndian); // a copy (Buffer.slice would be a view)
  let position = 0;
  while (position + 12 <= data.length) {
    const type = u32le(data, position);
    const length = u32le(data, position + 4);
    const end = position + length;
    if (type === 0x0a0d0d0a) {
      swap(data, position + 8, 4);
      swap(data, position + 12, 2);
      swap(data, position + 14, 2);
      swap(data, position + 16, 8);
      swapOptions(data, position + 24, end - 4);
    } else if (type === 1) {
      swap(data, position + 8, 2);
      swap(data, position + 12, 4);
      swapOptions(data, position + 16, end - 4);
    } else if (type === 6) {
      const capturedLength = u32le(data, position + 20);
      for (const field of [8, 12, 16, 20, 24]) swap(data, position + field, 4);
      swapOptions(data, position + 28 + ((capturedLength + 3) & ~3), end - 4);
    }
    swap(data, position, 4);
    swap(data, position + 4, 4);
    swap(data, end - 4, 4);
    position = end;
  }
  return data;
}
