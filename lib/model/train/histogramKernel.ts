/**
 * The tree learner's WebAssembly inner loops (`histogramKernel.wat`, assembled into the committed
 * `histogramKernel.wasm` by `npm run build:wasm`). Pointers are byte offsets into the memory the
 * caller lays out; see the .wat for each loop's contract.
 */
import { readFileSync } from 'node:fs';

export interface HistogramKernel {
  loadRows(rows: number, count: number, gradients: number, hessians: number, pairs: number, rowLeaf: number, sums: number): void;
  gather(rows: number, count: number, pairs: number, ordered: number, sums: number): void;
  /** Returns a value to ignore (see the .wat). */
  denseRows(rows: number, count: number, bins: number, width: number, offsets: number, ordered: number): number;
  sparseScan(rows: number, count: number, column: number, skipped: number, ordered: number, histogram: number): void;
  sparseList(otherRows: number, otherBins: number, count: number, rowLeaf: number, node: number, pairs: number, histogram: number): void;
  binSums(byBin: number, starts: number, binCount: number, pairs: number, histogram: number): void;
  partition(
    rows: number, begin: number, end: number, column: number, splitBin: number, missingLeft: number,
    rowLeaf: number, leftNode: number, rightNode: number, scratch: number,
  ): number;
}

export const WASM_PAGE_BYTES = 65536;
/** The kernel's memory limit (wasm32: 4 GiB). */
export const KERNEL_MAX_PAGES = 65536;

let compiled: WebAssembly.Module | null = null;

/** Instantiates the kernel on `memory` (which must declare a maximum). */
export function instantiateHistogramKernel(memory: WebAssembly.Memory): HistogramKernel {
  compiled ??= new WebAssembly.Module(readFileSync(new URL('./histogramKernel.wasm', import.meta.url)));
  const { exports } = new WebAssembly.Instance(compiled, { env: { memory } });
  return exports as unknown as HistogramKernel;
}
