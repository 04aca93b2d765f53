/**
 * What a page test can tell about a chart.js chart from outside: that its figure holds one
 * canvas with pixels painted, that the canvas is still the same element after an update (the
 * chart was updated, not re-created), and the values its accessible table lists.
 */
import type { Page } from 'playwright-core';

export interface CanvasProbe {
  canvases: number;
  /** Pixels with any opacity: an empty chart.js canvas has none. */
  painted: number;
  width: number;
  height: number;
  /** True while the canvas is the element `markCanvas` tagged. */
  marked: boolean;
  image: string;
}

export function probeCanvas(page: Page, testId: string): Promise<CanvasProbe> {
  return page.evaluate((id) => {
    const canvases = document.querySelectorAll<HTMLCanvasElement>(`[data-testid="${id}"] canvas`);
    const canvas = canvases[0];
    if (!canvas) return { canvases: 0, painted: 0, width: 0, height: 0, marked: false, image: '' };
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
    return {
      canvases: canvases.length,
      painted,
      width: canvas.width,
      height: canvas.height,
      marked: canvas.dataset.probe === 'marked',
      image: canvas.toDataURL(),
    };
  }, testId);
}

/** Tags the chart's canvas element; a re-created chart (new element) loses the tag. */
export async function markCanvas(page: Page, testId: string): Promise<void> {
  await page.evaluate((id) => {
    document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"] canvas`)!.dataset.probe = 'marked';
  }, testId);
}

/** label → values (space-separated as the table's row carries them) from the chart's hidden table. */
export function chartValues(page: Page, testId: string): Promise<Record<string, string>> {
  return page.evaluate((id) => {
    const values: Record<string, string> = {};
    for (const row of document.querySelectorAll<HTMLElement>(`[data-testid="${id}-row"]`)) values[row.dataset.label!] = row.dataset.value!;
    return values;
  }, testId);
}

/** Waits until the chart's pixels stop changing (a new chart's opening animation has played). */
export async function waitForStillCanvas(page: Page, testId: string, timeoutMs = 5_000): Promise<CanvasProbe> {
  const deadline = Date.now() + timeoutMs;
  let previous = await probeCanvas(page, testId);
  for (;;) {
    await page.waitForTimeout(150);
    const current = await probeCanvas(page, testId);
    if (current.image === previous.image) return current;
    if (Date.now() > deadline) throw new Error(`${testId}: canvas still changing after ${timeoutMs} ms`);
    previous = current;
  }
}
