import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../headlessChromium.ts';
import { markCanvas, probeCanvas, waitForStillCanvas } from './chartCanvas.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, type RunningServer, samplesDirectory, sharedDataset, startServer } from '../server/serverProcess.ts';

const screenshotDir = join(repoRoot, 'test-artifacts');

const numberIn = async (page: Page, testId: string) => Number((await page.getByTestId(testId).textContent())!.replace(/\D/g, ''));

describe('/datasets page in headless Chromium', () => {
  let server: RunningServer;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer({ samplesDir: samplesDirectory([]) });
    browser = await launchChromium({ viewport: { width: 1400, height: 1000 } });
    page = await browser.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const importFile = async (path: string) => {
    await page.getByTestId('upload-input').setInputFiles(path);
    await page.getByTestId('upload-button').click();
  };

  it('the header links / to /datasets', async () => {
    await page.goto(server.url);
    await page.getByTestId('nav-datasets').click();
    await page.waitForURL(/\/datasets$/);
    await expect.poll(() => page.getByTestId('datasets-connection').textContent()).toBe('connected');
    await expect.poll(() => page.getByTestId('dataset-sample-select').locator('option').allTextContents()).toContainEqual(expect.stringMatching(/^nsl-kdd\/KDDTest\+_first500\.txt\.gz/));
  });

  it('uploads the NSL-KDD 20% training file and a CIC-IDS2017 improved sample: format first, then the summaries', async () => {
    await importFile(sharedDataset('nsl-kdd/KDDTrain+_20Percent.txt.gz'));
    await expect.poll(() => page.getByTestId('dataset-format').textContent(), { timeout: 20_000 }).toMatch(/nsl-kdd/);
    expect(await page.getByTestId('dataset-summary').count()).toBe(0); // detected, not parsed yet
    await page.getByTestId('import-button').click();
    await page.getByTestId('dataset-summary').waitFor({ timeout: 30_000 });
    expect(await numberIn(page, 'dataset-rows')).toBe(25_192); // SOURCES.md
    expect(await numberIn(page, 'dataset-columns')).toBe(41);
    const nslChart = await page.getByTestId('label-chart').textContent();
    expect(nslChart).toMatch(/normal/);
    expect(nslChart).toMatch(/13,?449/); // SOURCES.md: normal 13,449
    expect(await page.locator('[data-testid="label-chart-row"][data-label="normal"]').getAttribute('data-value')).toBe('13449');
    await expect.poll(async () => (await probeCanvas(page, 'label-chart')).painted).toBeGreaterThan(0);
    await markCanvas(page, 'label-chart');
    const nslCanvas = await probeCanvas(page, 'label-chart');
    expect(await page.getByTestId('rejected-rows').textContent()).toMatch(/No rows rejected/);

    await importFile(sharedDataset('cic-ids2017/improved-cicids2017-rnd5000/Botnet_736.csv.gz'));
    await expect.poll(() => page.getByTestId('dataset-format').textContent(), { timeout: 20_000 }).toMatch(/cic2017-improved/);
    await page.getByTestId('import-button').click();
    await expect.poll(() => page.getByTestId('dataset-summary').textContent(), { timeout: 30_000 }).toMatch(/Botnet_736/);
    expect(await numberIn(page, 'dataset-rows')).toBe(736);
    expect(await page.getByTestId('label-chart').textContent()).toMatch(/Botnet/);
    // The second summary redraws the label chart's canvas with its own labels.
    await expect.poll(async () => (await probeCanvas(page, 'label-chart')).image).not.toBe(nslCanvas.image);
    expect((await waitForStillCanvas(page, 'label-chart')).painted).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('dataset-entry').count()).toBe(2);

    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'datasets.png'), fullPage: true });
  }, 50_000);

  it('a bigger file (KDDTrain+, 125,973 rows) shows parse progress with rows/s before its summary', async () => {
    await importFile(sharedDataset('nsl-kdd/KDDTrain+.txt.gz'));
    await expect.poll(() => page.getByTestId('dataset-format').textContent(), { timeout: 20_000 }).toMatch(/nsl-kdd/);
    // Checked in the page on every animation frame: the parse takes about a second.
    const sawProgress = page.waitForFunction(
      () => /\d+(\.\d)?% · [\d,]+ rows · [\d,]+ rows\/s/.test(document.querySelector('[data-testid="import-progress"]')?.textContent ?? ''),
      null,
      { polling: 'raf', timeout: 30_000 },
    );
    await page.getByTestId('import-button').click();
    await sawProgress;
    await expect.poll(() => page.getByTestId('dataset-summary').textContent(), { timeout: 30_000 }).toMatch(/KDDTrain\+\.txt\.gz/);
    expect(await numberIn(page, 'dataset-rows')).toBe(125_973); // SOURCES.md
  }, 45_000);

  it('a malformed file (KDDTrain+ lines with binary garbage spliced in) shows an error naming the line; a pcap is refused at upload', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'netguard-malformed-'));
    const lines = gunzipSync(readFileSync(sharedDataset('nsl-kdd/KDDTrain+.txt.gz'))).toString('latin1').split('\n').slice(0, 50);
    const garbage = readFileSync(sharedDataset('nsl-kdd/KDDTest+.txt.gz')).subarray(0, 4000);
    const malformed = join(directory, 'KDDTrain_first50_garbage.txt');
    writeFileSync(malformed, Buffer.concat([Buffer.from(lines.slice(0, 20).join('\n') + '\n', 'latin1'), garbage, Buffer.from('\n' + lines.slice(20).join('\n') + '\n', 'latin1')]));

    await importFile(malformed);
    await expect.poll(() => page.getByTestId('dataset-format').textContent(), { timeout: 20_000 }).toMatch(/nsl-kdd/);
    await page.getByTestId('import-button').click();
    await expect.poll(() => page.getByTestId('import-error').textContent(), { timeout: 20_000 }).toMatch(/KDDTrain_first50_garbage\.txt.*line 21\b/);
    await expect.poll(() => page.getByTestId('dataset-entry').count()).toBe(3); // catalogue untouched

    await importFile(sharedDataset('pcaps/evilfingers-nmap/TCP_CONNECT_SCAN.pcap.gz'));
    await expect.poll(() => page.getByTestId('import-error').textContent(), { timeout: 20_000 }).toMatch(/TCP_CONNECT_SCAN\.pcap\.gz.*not a dataset|not a dataset.*TCP_CONNECT_SCAN/);
    expect(await page.getByTestId('dataset-format').count()).toBe(0);
  }, 40_000);
});
