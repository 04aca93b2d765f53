/** Assembles the tree learner's WebAssembly kernel from its text source with wabt (dev only). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

export const HISTOGRAM_KERNEL_WAT = fileURLToPath(new URL('../lib/model/train/histogramKernel.wat', import.meta.url));
export const HISTOGRAM_KERNEL_WASM = fileURLToPath(new URL('../lib/model/train/histogramKernel.wasm', import.meta.url));

export async function assembleHistogramKernel(): Promise<Uint8Array> {
  const wabt = await initWabt();
  const module = wabt.parseWat('histogramKernel.wat', readFileSync(HISTOGRAM_KERNEL_WAT, 'utf8'), { simd: true, bulk_memory: true });
  try {
    module.validate();
    return module.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}
