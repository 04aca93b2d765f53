/**
 * Assembles lib/model/train/histogramKernel.wat into histogramKernel.wasm (`npm run build:wasm`).
 * The .wasm is committed so that training needs no assembler at run time;
 * test/model/train/histogramKernel.test.ts fails if the two ever disagree.
 */
import { writeFileSync } from 'node:fs';
import { assembleHistogramKernel, HISTOGRAM_KERNEL_WASM } from './assembleKernel.ts';

const bytes = await assembleHistogramKernel();
writeFileSync(HISTOGRAM_KERNEL_WASM, bytes);
console.log(`wrote ${HISTOGRAM_KERNEL_WASM} (${bytes.length} bytes)`);
