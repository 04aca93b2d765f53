import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const bin = new URL('../../bin/netguard.mjs', import.meta.url).pathname;

describe('netguard CLI', () => {
  it('prints usage with --help and exits 0', () => {
    const out = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/Usage: netguard <command>/);
  });

  it('rejects an unknown command with exit code 2', () => {
    const result = spawnSync(process.execPath, [bin, 'no-such-command'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command "no-such-command"/);
  });
});
