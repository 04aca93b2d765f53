/**
 * The source picker offers the capture files of the server's allowed folders (monitor:sources'
 * captureFiles) beside samples and interfaces; choosing one replays it as { kind: 'file' }.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../headlessChromium.ts';
import { repoRoot, type RunningServer, samplesDirectory, sharedDataset, startServer } from '../server/serverProcess.ts';

describe('capture file source in headless Chromium', () => {
  let server: RunningServer;
  let browser: BrowserContext;
  let capturePath: string;

  beforeAll(async () => {
    // A real recorded capture copied (not linked: the listing follows no links) into an allowed folder.
    const allowed = mkdtempSync(join(tmpdir(), 'netguard-allowed-'));
    mkdirSync(join(allowed, 'recorded', 'lab-day-1'), { recursive: true });
    capturePath = join(allowed, 'recorded', 'lab-day-1', 'ftp-crack-copy.pcap.gz');
    copyFileSync(sharedDataset('pcaps/ppa-markofu/ftp-crack.pcap.gz'), capturePath);
    server = await startServer({
      samplesDir: samplesDirectory(['pcaps/ppa-markofu/portscan.pcap.gz']),
      env: { NETGUARD_ALLOWED_DIRS: allowed },
    });
    browser = await launchChromium({ viewport: { width: 1440, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists the allowed folder\'s capture with its size, and Start Monitoring replays it', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 30_000 }).toMatch(/connected/i);
    await expect.poll(() => page.locator('[data-testid="source-kind"] option[value="file"]').isDisabled()).toBe(false);
    await page.getByTestId('source-kind').selectOption('file');
    const options = await page.locator('[data-testid="file-select"] option').allTextContents();
    expect(options.some((text) => text.includes('ftp-crack-copy.pcap.gz') && /KB|MB/.test(text))).toBe(true);
    await page.getByTestId('file-select').selectOption(capturePath);
    await page.getByTestId('speed-select').selectOption('max');

    // On a phone the long path stays inside the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    const select = (await page.getByTestId('file-select').boundingBox())!;
    expect(select.x + select.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(repoRoot, 'test-artifacts', 'capture-file-phone.png') });
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.getByTestId('start-button').click();
    await expect.poll(() => page.getByTestId('status-source').textContent(), { timeout: 15_000 }).toMatch(/ftp-crack-copy\.pcap\.gz/);
    await expect.poll(() => page.getByTestId('feed-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('status-running').textContent(), { timeout: 60_000 }).toMatch(/stopped/i);
    expect(Number(await page.getByTestId('metric-packets').getAttribute('data-value'))).toBeGreaterThan(0);
    expect(await page.getByTestId('control-error').count()).toBe(0);
    expect(await page.getByTestId('feed').textContent()).toMatch(/BruteForce/);
  }, 120_000);
});
