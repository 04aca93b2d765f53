import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDatasetCommand } from '../../lib/cli/datasetCommand.ts';
import { CIC_MONDIRKB, CICFLOWMETER_TEST_NEW } from '../datasets/sharedData.ts';

const dir = mkdtempSync(join(tmpdir(), 'netguard-dataset-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runDatasetCommand(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('netguard dataset', () => {
  it('prints the report of real files', async () => {
    const { code, out } = await run([CIC_MONDIRKB('xss'), CIC_MONDIRKB('sqli')]);
    expect(code).toBe(0);
    expect(out).toContain('673 rows × 79 features from 2 file(s)');
    expect(out).toMatch(/Web Attack - XSS\s+652/);
  });

  it('JSON output and the cache: written once, then read', async () => {
    const cache = join(dir, 'sqli.ngtable');
    const first = await run([CIC_MONDIRKB('sqli'), '--cache', cache, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ fromCache: false, report: { rows: 21 } });
    const second = await run([CIC_MONDIRKB('sqli'), '--cache', cache]);
    expect(second.out).toContain(`(from cache ${cache})`);
  });

  it('usage errors exit 2, load errors exit 1 with the reason', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--max-rows', 'ten', CIC_MONDIRKB('sqli')])).code).toBe(2);
    expect((await run(['--format', 'kdd99', CIC_MONDIRKB('sqli')])).code).toBe(2);
    expect((await run(['--bogus'])).code).toBe(2);
    const failed = await run([CICFLOWMETER_TEST_NEW]);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('Unrecognised dataset layout');
  });
});
