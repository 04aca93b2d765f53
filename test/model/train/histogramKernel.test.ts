import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleHistogramKernel, HISTOGRAM_KERNEL_WASM } from '../../../scripts/assembleKernel.ts';

describe('histogram kernel', () => {
  it('the committed .wasm is exactly what its .wat source assembles to (run `npm run build:wasm` after editing the .wat)', async () => {
    const assembled = await assembleHistogramKernel();
    expect(Buffer.from(assembled).equals(readFileSync(HISTOGRAM_KERNEL_WASM))).toBe(true);
  });
});
