import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverConfigFrom } from '../../lib/config/serverConfig.ts';

const root = '/srv/netguard';

describe('serverConfigFrom', () => {
  it('defaults to loopback, paths from the project folder, and the samples, shipped datasets and uploads as the only allowed folders', () => {
    const config = serverConfigFrom({}, root);
    expect(config).toMatchObject({ HOST: '127.0.0.1', PORT: 3000, loopbackOnly: true, NETGUARD_DATA_DIR: '/srv/netguard/data', NETGUARD_SAMPLES_DIR: '/srv/netguard/datasets/pcaps' });
    expect(config.allowedDirectories).toEqual(['/srv/netguard/datasets', '/srv/netguard/datasets/pcaps', '/srv/netguard/data/datasets']);
  });

  it('adds the NETGUARD_ALLOWED_DIRS folders (":"-separated, relative ones from the project folder) and refuses one that is not a folder', () => {
    const a = mkdtempSync(join(tmpdir(), 'netguard-allowed-'));
    const b = mkdtempSync(join(tmpdir(), 'netguard-allowed-'));
    expect(serverConfigFrom({ NETGUARD_ALLOWED_DIRS: `${a}::${b}` }, root).allowedDirectories.slice(3)).toEqual([a, b]);
    expect(() => serverConfigFrom({ NETGUARD_ALLOWED_DIRS: `${a}:/no/such/folder` }, root)).toThrow(/NETGUARD_ALLOWED_DIRS: \/no\/such\/folder is not a folder/);
    expect(() => serverConfigFrom({ NETGUARD_ALLOWED_DIRS: '/etc/passwd' }, root)).toThrow(/is not a folder/);
  });

  it('refuses a non-loopback HOST without a token', () => {
    expect(() => serverConfigFrom({ HOST: '0.0.0.0' }, root)).toThrow(/NETGUARD_TOKEN/);
    expect(serverConfigFrom({ HOST: '0.0.0.0', NETGUARD_TOKEN: 'a-secret-of-16-chars' }, root).loopbackOnly).toBe(false);
  });
});
