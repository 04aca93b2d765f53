import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import type { BrowserContext } from 'playwright-core';
import { launchChromium } from '../headlessChromium.ts';
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
    'Start fills the feed and charts; Download Report matches the database; a screenshot is saved',
    async () => {
      const page = await browser.newPage();
      await page.goto(server.url);
      await expect.poll(() => page.getByTestId('connection-status').textContent()).toMatch(/connected/i);
      expect(await page.getByTestId('feed-row').count()).toBe(0);
      await expect.poll(() => page.getByTestId('metric-total').textContent()).toMatch(/\b0\b/);

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
      expect(await page.getByTestId('severity-chart').locator('path').count()).toBeGreaterThan(0);

      mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: join(screenshotDir, 'dashboard.png'), fullPage: true });

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
