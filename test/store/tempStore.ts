import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp directory and a database path inside it; `remove()` deletes both. */
export function tempDatabasePath(): { dir: string; path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'netguard-store-test-'));
  return { dir, path: join(dir, 'netguard.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
