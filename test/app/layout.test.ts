/**
 * Each page at a desktop and a phone size: a full-page screenshot into test-artifacts/, nothing
 * wider than the screen (no horizontal clipping), and scrolled to the end, nothing under the
 * dashboard's status bar (the last feed rows and the metric cards included). Each has the one
 * site header of app/layout.tsx.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../headlessChromium.ts';
import { repoRoot, type RunningServer, samplesDirectory, startServer } from '../server/serverProcess.ts';

const screenshotDir = join(repoRoot, 'test-artifacts');

const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const PAGES = [
  { path: '/', name: 'dashboard', ready: 'connection-status' },
  { path: '/models', name: 'models', ready: 'model-row' },
  { path: '/datasets', name: 'datasets', ready: 'upload-input' },
] as const;

interface Layout {
  viewportWidth: number;
  documentWidth: number;
  /** Elements reaching past the screen's sides (outside any scrolling box): "tag.class right=…". */
  wide: string[];
  /** Top of the status bar on screen, null on pages without one. */
  barTop: number | null;
  /** The lowest bottom edge of any visible content element on screen. */
  contentBottom: number;
  /** Visible content elements whose box reaches under the status bar. */
  covered: string[];
}

/** Scrolls the page (and the feed) to the end and measures what the test asserts on. */
function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const feed = document.querySelector<HTMLElement>('[data-testid="feed"]');
    if (feed) feed.scrollTop = feed.scrollHeight;
    window.scrollTo(0, document.documentElement.scrollHeight);
    const viewportWidth = document.documentElement.clientWidth;
    const bar = document.querySelector<HTMLElement>('.status-bar');
    const barTop = bar ? bar.getBoundingClientRect().top : null;
    const wide: string[] = [];
    const covered: string[] = [];
    let contentBottom = 0;
    const name = (element: Element) => `${element.tagName.toLowerCase()}${element.className && typeof element.className === 'string' ? `.${element.className.split(' ').join('.')}` : ''}`;
    // Boxes inside a box that scrolls or clips are that box's business: only the box itself is checked.
    const clipped = (element: Element): boolean => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX !== 'visible' || style.overflowY !== 'visible' || style.clip !== 'auto') return true;
      }
      return false;
    };
    for (const element of document.body.querySelectorAll('*')) {
      if (bar && (element === bar || bar.contains(element))) continue;
      const style = getComputedStyle(element);
      if (style.display === 'none' || style.visibility === 'hidden' || style.clip !== 'auto' || style.position === 'fixed') continue;
      const box = element.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1 || clipped(element)) continue;
      if (box.left < -0.5 || box.right > viewportWidth + 0.5) wide.push(`${name(element)} left=${Math.round(box.left)} right=${Math.round(box.right)}`);
      contentBottom = Math.max(contentBottom, box.bottom);
      if (barTop !== null && box.bottom > barTop + 0.5 && box.top < barTop) covered.push(`${name(element)} bottom=${Math.round(box.bottom)}`);
    }
    return { viewportWidth, documentWidth: document.documentElement.scrollWidth, wide, barTop, contentBottom, covered };
  });
}

describe('every page at 1440×900 and 390×844', () => {
  let server: RunningServer;
  let browser: BrowserContext;

  beforeAll(async () => {
    server = await startServer({ samplesDir: samplesDirectory(['pcaps/ppa-markofu/ftp-crack.pcap.gz']) });
    browser = await launchChromium({ viewport: { width: 1440, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(
    'nothing clipped sideways and nothing under the status bar; a screenshot of each',
    async () => {
      mkdirSync(screenshotDir, { recursive: true });
      const page = await browser.newPage();
      // A replay first, so the dashboard has feed rows and counts to lay out.
      await page.goto(server.url);
      await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 30_000 }).toMatch(/connected/i);
      await page.getByTestId('sample-select').selectOption('ftp-crack.pcap.gz');
      await page.getByTestId('speed-select').selectOption('max');
      await page.getByTestId('start-button').click();
      await expect.poll(() => page.getByTestId('feed-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('status-running').textContent(), { timeout: 60_000 }).toMatch(/stopped/i);

      for (const { path, name, ready } of PAGES) {
        for (const size of SIZES) {
          await page.setViewportSize({ width: size.width, height: size.height });
          await page.goto(`${server.url}${path}`);
          await expect.poll(() => page.getByTestId(ready).count(), { timeout: 30_000, message: `${name} ready` }).toBeGreaterThan(0);
          if (name === 'dashboard') await expect.poll(() => page.getByTestId('feed-row').count(), { timeout: 10_000 }).toBeGreaterThan(0);
          await page.waitForTimeout(1200); // chart.js opening animations, fonts
          // One header and navigation, from app/layout.tsx, with this page marked.
          expect(await page.locator('header.site-header').count(), name).toBe(1);
          expect(await page.locator('nav').count(), name).toBe(1);
          expect(await page.locator('nav a').allTextContents(), name).toEqual(['Monitor', 'Datasets', 'Models']);
          expect(await page.locator('nav a[aria-current="page"]').getAttribute('href'), name).toBe(path);
          const layout = await measure(page);
          const label = `${name} ${size.width}×${size.height}`;
          expect(layout.wide.slice(0, 12).join("\n"), `${label}: boxes past the screen's sides`).toBe("");
          expect(layout.documentWidth, `${label}: page wider than the screen`).toBeLessThanOrEqual(layout.viewportWidth);
          if (name === 'dashboard') {
            expect(layout.barTop, label).not.toBeNull();
            expect(layout.covered, `${label}: under the status bar`).toEqual([]);
            expect(layout.contentBottom, label).toBeLessThanOrEqual(layout.barTop! + 0.5);
            // The last feed row and the last metric card are whole above the bar.
            for (const selector of ['[data-testid="feed-row"]:last-child', '.metric:last-child']) {
              const box = (await page.locator(selector).last().boundingBox())!;
              expect(box.y + box.height, `${label}: ${selector}`).toBeLessThanOrEqual(layout.barTop! + 0.5);
            }
          }
          await page.screenshot({ path: join(screenshotDir, `layout-${name}-${size.name}.png`), fullPage: true });
        }
      }
    },
    240_000,
  );
});
