/**
 * The one way tests and benches open the dashboard: Debian's Chromium through playwright-core,
 * headless, without the sandbox (root), the GPU, QUIC or any background network traffic, in a
 * fresh profile folder.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchChromium(options: { acceptDownloads?: boolean; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'netguard-chromium-')), {
    executablePath: CHROMIUM_PATH,
    headless: true,
    ...options,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
