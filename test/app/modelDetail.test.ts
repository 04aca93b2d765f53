/**
 * /models version detail at 1440×900 and 390×844: the 9-class confusion matrix stays in its panel
 * and scrolls with its class names held in view; feature names are wrapped, never cut at the
 * canvas's edge; the decision threshold says what it does for the model; an NSL-KDD model's
 * importance says which of its features are 0 in live use.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KDD_CONTENT_FEATURES } from '../../lib/flows/kdd/kddFormat.ts';
import { launchChromium } from '../headlessChromium.ts';
import { probeCanvas, waitForStillCanvas } from './chartCanvas.ts';
import { repoRoot, type RunningServer, samplesDirectory, startServer } from '../server/serverProcess.ts';

const screenshotDir = join(repoRoot, 'test-artifacts');
const idOf = (folder: string) =>
  (JSON.parse(readFileSync(join(repoRoot, 'trained_models', folder, 'model.json'), 'utf8')) as { versionId: string }).versionId;

/** Painted pixels in the canvas's two leftmost columns: a label drawn past the edge leaves some. */
function leftEdgePixels(page: Page, testId: string): Promise<number> {
  return page.evaluate((id) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"] canvas`)!;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, 2, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
    return painted;
  }, testId);
}

async function showVersion(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid="model-row"][data-id="${id}"] td`).nth(1).click();
  await expect.poll(() => page.getByTestId('model-detail').getAttribute('data-id')).toBe(id);
  await expect.poll(() => page.getByTestId('importance-chart-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
  await waitForStillCanvas(page, 'importance-chart');
}

describe('/models version detail in headless Chromium', () => {
  let server: RunningServer;
  let browser: BrowserContext;
  const cicId = idOf('cic2017-corrected-family');
  const familyId = idOf('nsl-kdd-family');
  const binaryId = idOf('nsl-kdd-binary');
  const liveId = idOf('live-corrected-family');

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    server = await startServer({ samplesDir: samplesDirectory(['pcaps/ppa-markofu/portscan.pcap.gz']) });
    browser = await launchChromium({ viewport: { width: 1440, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const size of [{ name: 'desktop', width: 1440, height: 900 }, { name: 'phone', width: 390, height: 844 }]) {
    it(`at ${size.width}×${size.height}: 9-class matrix in its panel with sticky labels, whole feature names, thresholds, zero-live features`, async () => {
      const page = await browser.newPage();
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto(`${server.url}/models`);
      await expect.poll(() => page.getByTestId('model-row').count(), { timeout: 30_000 }).toBe(4);

      await showVersion(page, cicId);
      const matrix = page.getByTestId('confusion-matrix');
      expect(await matrix.locator('thead th').count()).toBe(10); // corner + 9 classes
      const panel = (await page.getByTestId('model-detail').boundingBox())!;
      const wrap = (await page.getByTestId('confusion-wrap').boundingBox())!;
      expect(wrap.x).toBeGreaterThanOrEqual(panel.x);
      expect(wrap.x + wrap.width).toBeLessThanOrEqual(panel.x + panel.width + 0.5);
      // Scrolled to the far corner, every cell can be reached and the class names are still in view.
      await page.getByTestId('confusion-wrap').evaluate((element) => {
        element.scrollLeft = element.scrollWidth;
        element.scrollTop = element.scrollHeight;
      });
      await page.waitForTimeout(100);
      const lastCell = (await matrix.locator('tbody tr').last().locator('td').last().boundingBox())!;
      expect(lastCell.x + lastCell.width).toBeLessThanOrEqual(wrap.x + wrap.width + 0.5);
      expect(lastCell.y + lastCell.height).toBeLessThanOrEqual(wrap.y + wrap.height + 0.5);
      const rowLabel = (await matrix.locator('tbody tr').last().locator('th').boundingBox())!;
      expect(Math.abs(rowLabel.x - wrap.x)).toBeLessThanOrEqual(2);
      const columnLabel = (await matrix.locator('thead th').last().boundingBox())!;
      expect(Math.abs(columnLabel.y - wrap.y)).toBeLessThanOrEqual(2);
      await page.getByTestId('confusion-wrap').evaluate((element) => {
        element.scrollLeft = 0;
        element.scrollTop = 0;
      });
      // Feature names wrap onto lines; none is drawn past the canvas's left edge.
      expect((await probeCanvas(page, 'importance-chart')).painted).toBeGreaterThan(0);
      expect(await leftEdgePixels(page, 'importance-chart')).toBe(0);
      expect(await page.getByTestId('model-threshold').textContent()).toMatch(/none/);
      await page.getByTestId('model-detail').screenshot({ path: join(screenshotDir, `models-confusion-9-classes-${size.name}.png`) });

      // NSL-KDD family model: its threshold is on 1 − P(benign); its zero-live features are named.
      await showVersion(page, familyId);
      expect(await page.getByTestId('model-threshold').textContent()).toMatch(/1 − P\(benign\) ≥ 0\.000631/);
      const note = (await page.getByTestId('importance-zero-live').textContent()) ?? '';
      const labels = await page.getByTestId('importance-chart-row').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.label!));
      const zeroInTop = labels.filter((label) => KDD_CONTENT_FEATURES.includes(label.replace(' (0 live)', '') as (typeof KDD_CONTENT_FEATURES)[number]));
      for (const label of zeroInTop) {
        expect(label, 'a zero-live feature is marked on its bar').toMatch(/\(0 live\)$/);
        expect(note).toContain(label.replace(' (0 live)', ''));
      }
      for (const label of labels.filter((l) => l.endsWith('(0 live)'))) expect(zeroInTop).toContain(label);
      expect(note).toMatch(zeroInTop.length > 0 ? /Always 0 in live use/ : /None of the top/);
      expect(await leftEdgePixels(page, 'importance-chart')).toBe(0);
      await page.getByTestId('model-detail').screenshot({ path: join(screenshotDir, `models-nsl-kdd-zero-live-${size.name}.png`) });

      // Binary: P(attack) ≥ threshold. The live corrected model has no threshold and no zero-live note.
      await showVersion(page, binaryId);
      expect(await page.getByTestId('model-threshold').textContent()).toMatch(/^attack when P\(attack\) ≥ 0\.002/);
      await showVersion(page, liveId);
      expect(await page.getByTestId('model-threshold').textContent()).toMatch(/none/);
      expect(await page.getByTestId('importance-zero-live').count()).toBe(0);
      await page.close();
    }, 90_000);
  }
});
