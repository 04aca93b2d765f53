import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import type { BrowserContext } from 'playwright-core';
import { launchChromium } from '../headlessChromium.ts';
import { chartValues, markCanvas, probeCanvas, waitForStillCanvas } from './chartCanvas.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, type RunningServer, samplesDirectory, startServer } from '../server/serverProcess.ts';

const screenshotDir = join(repoRoot, 'test-artifacts');

describe('dashboard in headless Chromium', () => {
  let server: RunningServer;
  let browser: BrowserContext;

  beforeAll(async () => {
    server = await startServer({
      samplesDir: samplesDirectory(['pcaps/evilfingers-nmap/TCP_CONNECT_SCAN.pcap.gz', 'pcaps/ppa-markofu/ftp-crack.pcap.gz']),
    });
    browser = await launchChromium({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(
    'Start Monitoring fills the feed and the chart.js charts (updated in place); Download Report matches the database; a screenshot is saved',
    async () => {
      const page = await browser.newPage();
      await page.goto(server.url);
      await expect.poll(() => page.getByTestId('connection-status').textContent()).toMatch(/connected/i);
      expect(await page.getByTestId('feed-row').count()).toBe(0);
      await expect.poll(() => page.getByTestId('metric-total').textContent()).toMatch(/\b0\b/);
      expect(await page.getByTestId('start-button').textContent()).toBe('Start Monitoring');
      expect(await page.getByTestId('stop-button').textContent()).toBe('Stop Monitoring');

      // Each chart is one chart.js canvas; tag it to see later that batches updated it in place.
      const charts = ['severity-chart', 'attack-type-chart', 'category-chart', 'timeline-chart'];
      const before = new Map<string, Awaited<ReturnType<typeof probeCanvas>>>();
      for (const chart of charts) {
        await expect.poll(async () => (await probeCanvas(page, chart)).width).toBeGreaterThan(0);
        await markCanvas(page, chart);
        before.set(chart, await probeCanvas(page, chart));
        expect(before.get(chart)!.canvases).toBe(1);
      }
      expect(await page.getByTestId('severity-chart').getAttribute('data-total')).toBe('0');

      await page.getByTestId('source-kind').selectOption('sample');
      await page.getByTestId('sample-select').selectOption('ftp-crack.pcap.gz');
      await page.getByTestId('speed-select').selectOption('max');
      await page.getByTestId('start-button').click();

      // Feed rows arrive with the next batches; the charts and counters follow them.
      await expect.poll(() => page.getByTestId('feed-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('status-running').textContent(), { timeout: 60_000 }).toMatch(/stopped/i);
      await page.waitForTimeout(2500); // one more batch after the end
      const total = Number((await page.getByTestId('metric-total').textContent())!.replace(/\D/g, ''));
      expect(total).toBeGreaterThan(0);
      const feedText = await page.getByTestId('feed').textContent();
      expect(feedText).toMatch(/BruteForce/);

      // The charts hold the session's counts, drawn on the same canvases as before the start.
      const severity = await chartValues(page, 'severity-chart');
      const severityTotal = Object.values(severity).reduce((sum, value) => sum + Number(value.split(' ')[0]), 0);
      expect(severityTotal).toBe(Number(await page.getByTestId('severity-chart').getAttribute('data-total')));
      expect(severityTotal).toBeGreaterThan(0);
      // The counters and charts count alerts (threat events), and say so; the feed lists incidents,
      // each carrying its alerts: the same alerts, so the numbers add up.
      expect(severityTotal).toBe(total);
      expect(await page.locator('.metric-total .metric-label').textContent()).toBe('Alerts');
      expect(await page.getByTestId('severity-chart').textContent()).toMatch(/Alerts by severity/);
      expect(await page.locator('.feed h2').textContent()).toMatch(/incidents/i);
      const feedAlerts = (await page.getByTestId('feed-event-count').allTextContents()).reduce((sum, text) => sum + Number(text.replace(/\D/g, '')), 0);
      expect(await page.getByTestId('feed-row').count()).toBeLessThan(500);
      expect(feedAlerts).toBe(total);
      expect(Number(await page.getByTestId('metric-incidents').getAttribute('data-value'))).toBe(await page.getByTestId('feed-row').count());
      const attackTypeTotal = Object.values(await chartValues(page, 'attack-type-chart')).reduce((sum, value) => sum + Number(value), 0);
      expect(attackTypeTotal).toBeLessThanOrEqual(total);
      expect(Object.keys(await chartValues(page, 'attack-type-chart')).length).toBeGreaterThan(0);
      expect(Object.keys(await chartValues(page, 'category-chart')).length).toBeGreaterThan(0);
      // Every threat of the doughnut falls in some 2 s interval of the timeline.
      expect(Number(await page.getByTestId('timeline-chart').getAttribute('data-total'))).toBe(severityTotal);
      for (const chart of charts) {
        const after = await probeCanvas(page, chart);
        expect(after, chart).toMatchObject({ canvases: 1, marked: true });
        expect(after.painted, chart).toBeGreaterThan(before.get(chart)!.painted);
        expect(after.image, chart).not.toBe(before.get(chart)!.image);
        expect(await page.getByTestId(`${chart}-empty`).count(), chart).toBe(0);
      }

      for (const chart of charts) await waitForStillCanvas(page, chart);
      mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: join(screenshotDir, 'dashboard.png'), fullPage: true });
      // On a phone the charts stack and each canvas fits the screen (chart.js follows its box).
      await page.setViewportSize({ width: 390, height: 844 });
      for (const chart of charts) {
        await expect.poll(async () => (await page.getByTestId(chart).locator('canvas').boundingBox())?.width ?? 999, { message: chart }).toBeLessThanOrEqual(390 - 2 * 20);
        await waitForStillCanvas(page, chart);
      }
      // The longer "Stop Monitoring" label wraps inside the controls panel instead of overflowing it.
      const panel = (await page.locator('section.controls').boundingBox())!;
      const stopButton = (await page.getByTestId('stop-button').boundingBox())!;
      expect(stopButton.x + stopButton.width).toBeLessThanOrEqual(panel.x + panel.width);
      await page.screenshot({ path: join(screenshotDir, 'dashboard-phone.png'), fullPage: true });
      await page.setViewportSize({ width: 1400, height: 1000 });

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-report').click()]);
      const csvPath = join(mkdtempSync(join(tmpdir(), 'netguard-report-')), 'report.csv');
      await download.saveAs(csvPath);
      const { readFileSync } = await import('node:fs');
      const parsed = Papa.parse<Record<string, string>>(readFileSync(csvPath, 'utf8'), { header: true, skipEmptyLines: true });
      expect(parsed.errors).toEqual([]);

      // The report is exactly the session's threats as the database holds them.
      const db = new Database(join(server.dataDir, 'netguard.db'), { readonly: true });
      try {
        const session = db.prepare('SELECT id FROM capture_sessions ORDER BY started_at DESC LIMIT 1').get() as { id: string };
        const rows = db
          .prepare('SELECT source_ip AS sourceIp, threat_type AS threatType, severity, incident_id AS incidentId FROM threats WHERE session_id = ? ORDER BY time, rowid')
          .all(session.id) as { sourceIp: string; threatType: string; severity: string; incidentId: string }[];
        expect(parsed.data.length).toBe(rows.length);
        expect(rows.length).toBe(total);
        const key = (r: { sourceIp: string; threatType: string; severity: string; incidentId: string }) => `${r.sourceIp}|${r.threatType}|${r.severity}|${r.incidentId}`;
        const fromCsv = parsed.data.map((r) => key({ sourceIp: r['Source IP']!, threatType: r['Threat Type']!, severity: r['Severity']!, incidentId: r['Incident ID']! })).sort();
        expect(fromCsv).toEqual(rows.map(key).sort());
      } finally {
        db.close();
      }
    },
    180_000,
  );
});
