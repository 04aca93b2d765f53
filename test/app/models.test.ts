import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { launchChromium } from '../headlessChromium.ts';
import { markCanvas, probeCanvas, waitForStillCanvas } from './chartCanvas.ts';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS_NAMESPACE, type DatasetsClientEvents, type DatasetsServerEvents } from '../../lib/imports/importContract.ts';
import { connect, repoRoot, type RunningServer, samplesDirectory, sharedDataset, sharedDatasetsDir, startServer, waitFor } from '../server/serverProcess.ts';

const screenshotDir = join(repoRoot, 'test-artifacts');
const idOf = (folder: string) =>
  (JSON.parse(readFileSync(join(repoRoot, 'trained_models', folder, 'model.json'), 'utf8')) as { versionId: string }).versionId;

describe('/models in headless Chromium', () => {
  let server: RunningServer;
  let browser: BrowserContext;
  // The default live model (NETGUARD_MODEL's default) is active at first start.
  const liveId = idOf('live-corrected-family');
  const binaryId = idOf('nsl-kdd-binary');
  const familyId = idOf('nsl-kdd-family');

  beforeAll(async () => {
    server = await startServer({ samplesDir: samplesDirectory(['pcaps/ppa-markofu/portscan.pcap.gz']), env: { NETGUARD_ALLOWED_DIRS: sharedDatasetsDir } });
    browser = await launchChromium({ viewport: { width: 1400, height: 1000 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('trains with progress, activates the new version (batches carry it), rolls back, deletes, cancels and compares', async () => {
    const page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${server.url}/models`);
    await expect.poll(() => page.getByTestId('model-row').count(), { timeout: 30_000 }).toBe(4);
    await expect.poll(() => page.locator(`[data-testid="model-row"][data-id="${liveId}"] [data-testid="active-model"]`).count()).toBe(1);
    // The detail of the active version: confusion matrix and charts from its metrics.json.
    await expect.poll(() => page.getByTestId('confusion-matrix').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('importance-chart-row').count()).toBe(15);
    for (const chart of ['importance-chart', 'f1-chart']) {
      await expect.poll(async () => (await probeCanvas(page, chart)).painted, { message: chart }).toBeGreaterThan(0);
    }

    // Train a small binary model on the NSL-KDD 20% slice.
    await page.getByTestId('train-datasets').fill(sharedDataset('nsl-kdd/KDDTrain+_20Percent.txt.gz'));
    await page.getByTestId('train-trees').fill('8');
    await page.getByTestId('train-depth').fill('4');
    await page.getByTestId('train-balancing').selectOption('balanced');
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('train-progress').getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    await expect.poll(() => page.getByTestId('loss-chart').getAttribute('data-rounds')).toBe('8');
    expect(await page.getByTestId('loss-chart-row').count()).toBe(8);
    expect(await page.getByTestId('loss-chart-table').locator('th[scope="col"]').allTextContents()).toEqual(['Round', 'Train loss', 'Validation loss']);
    await expect.poll(async () => (await probeCanvas(page, 'loss-chart')).painted).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('model-row').count()).toBe(5);
    const newId = ((await page.getByTestId('train-result').textContent()) ?? '').replace('New version', '').trim();
    expect(newId).toMatch(/\S/);
    const newRow = page.locator(`[data-testid="model-row"][data-id="${newId}"]`);
    expect(await newRow.textContent()).toMatch(/binary/);

    // Activate it: the next monitor batch carries the new version.
    const { socket, batches } = await connect(server.url);
    await newRow.getByTestId('activate-button').click();
    await expect.poll(() => newRow.getByTestId('active-model').count(), { timeout: 30_000 }).toBe(1);
    await waitFor('a batch with the new model version', () => batches.some(({ batch }) => batch.status.modelVersion === newId), 10_000);

    // Roll back to the version active before it.
    await page.getByTestId('rollback-button').click();
    await expect.poll(() => page.locator(`[data-testid="model-row"][data-id="${liveId}"] [data-testid="active-model"]`).count(), { timeout: 30_000 }).toBe(1);
    await waitFor('a batch with the rolled-back version', () => batches.some(({ batch }) => batch.status.modelVersion === liveId), 10_000);
    socket.disconnect();

    // Delete the trained version (it is no longer active).
    await newRow.getByTestId('delete-button').click();
    await expect.poll(() => page.getByTestId('model-row').count(), { timeout: 15_000 }).toBe(4);

    // A long run, cancelled after its first rounds.
    await page.getByTestId('train-target').selectOption('family');
    await page.getByTestId('train-trees').fill('2000');
    await page.getByTestId('train-depth').fill('6');
    await page.getByTestId('train-button').click();
    await expect.poll(async () => Number(await page.getByTestId('train-progress').getAttribute('data-round')), { timeout: 60_000 }).toBeGreaterThan(0);
    // The loss chart grows with each progress message on the same canvas (updated, not re-created).
    await markCanvas(page, 'loss-chart');
    const lossBefore = await probeCanvas(page, 'loss-chart');
    const roundsBefore = Number(await page.getByTestId('loss-chart').getAttribute('data-rounds'));
    await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-rounds')), { timeout: 30_000 }).toBeGreaterThan(roundsBefore);
    await expect.poll(async () => (await probeCanvas(page, 'loss-chart')).image).not.toBe(lossBefore.image);
    expect(await probeCanvas(page, 'loss-chart')).toMatchObject({ canvases: 1, marked: true });
    // The ETA follows the first progress message that has a round time.
    await expect.poll(() => page.getByTestId('train-eta').textContent(), { timeout: 30_000 }).toMatch(/\d/);
    await page.getByTestId('cancel-training').click();
    await expect.poll(() => page.getByTestId('train-progress').getAttribute('data-status'), { timeout: 15_000 }).toBe('cancelled');
    expect(await page.getByTestId('model-row').count()).toBe(4);

    // Compare the two shipped NSL-KDD models on KDDTest-21.
    await page.locator(`[data-testid="model-row"][data-id="${binaryId}"] [data-testid="compare-select"]`).check();
    await page.locator(`[data-testid="model-row"][data-id="${familyId}"] [data-testid="compare-select"]`).check();
    await page.getByTestId('compare-dataset').fill(sharedDataset('nsl-kdd/KDDTest-21.txt.gz'));
    await page.getByTestId('compare-button').click();
    await expect.poll(() => page.getByTestId('compare-result').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('compare-result').textContent()).toMatch(/11850 rows/);

    for (const chart of ['f1-chart', 'importance-chart', 'loss-chart']) await waitForStillCanvas(page, chart);
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'models.png'), fullPage: true });
  }, 240_000);

  it('trains on a dataset imported into the catalogue, picked in the Train panel', async () => {
    const datasets: Socket<DatasetsServerEvents, DatasetsClientEvents> = io(`${server.url}${DATASETS_NAMESPACE}`, { transports: ['websocket'], reconnection: false });
    const imported = await datasets.timeout(60_000).emitWithAck('datasets:import', {
      requestId: 'models-test',
      source: { kind: 'path', path: sharedDataset('nsl-kdd/KDDTrain+_20Percent.txt.gz') },
    });
    datasets.disconnect();
    if (!imported.ok) throw new Error(imported.msg);

    const page = await browser.newPage();
    await page.goto(`${server.url}/models`);
    const option = page.locator(`[data-testid="train-dataset-option"][data-id="${imported.data.id}"]`);
    await expect.poll(() => option.count(), { timeout: 30_000 }).toBe(1);
    // The version list arrives over the socket after the page renders: count it once it is there
    // (the registry always holds the shipped models).
    await expect.poll(() => page.getByTestId('model-row').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    const rowsBefore = await page.getByTestId('model-row').count();
    await option.check();
    await page.getByTestId('train-trees').fill('5');
    await page.getByTestId('train-depth').fill('3');
    await page.getByTestId('train-button').click();
    await expect.poll(() => page.getByTestId('train-progress').getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    await expect.poll(() => page.getByTestId('model-row').count()).toBe(rowsBefore + 1);
    const newId = ((await page.getByTestId('train-result').textContent()) ?? '').replace('New version', '').trim();
    await page.locator(`[data-testid="model-row"][data-id="${newId}"] td:nth-child(3)`).click();
    await expect.poll(() => page.getByTestId('model-datasets').textContent(), { timeout: 15_000 }).toMatch(/KDDTrain\+_20Percent\.txt\.gz/);
  }, 120_000);
});
