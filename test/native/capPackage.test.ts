import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// package.json installs cap from native/cap-<version>.tgz (npm pack of native/cap): the tarball
// must hold today's sources, and node_modules the build of that tarball.
const root = fileURLToPath(new URL('../..', import.meta.url));
const sourceManifest = JSON.parse(readFileSync(`${root}native/cap/package.json`, 'utf8')) as { version: string };
const projectManifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { dependencies: Record<string, string> };
const tarball = `native/cap-${sourceManifest.version}.tgz`;

describe('native/cap packaging', () => {
  it('package.json installs the tarball of the current native/cap version', () => {
    expect(projectManifest.dependencies.cap).toBe(`file:${tarball}`);
  });

  it('the tarball holds exactly the files of native/cap, byte for byte', () => {
    const listed = execFileSync('tar', ['-tzf', tarball], { cwd: root, encoding: 'utf8' }).trim().split('\n');
    expect(listed).toContain('package/src/binding.cc');
    expect(listed).toContain('package/NOTICE.md');
    for (const entry of listed) {
      const packed = execFileSync('tar', ['-xzOf', tarball, entry], { cwd: root });
      const source = readFileSync(`${root}native/cap/${entry.slice('package/'.length)}`);
      expect(packed.equals(source), `${entry} differs from native/cap: run npm pack there`).toBe(true);
    }
    for (const folder of ['src', 'lib']) {
      for (const name of readdirSync(`${root}native/cap/${folder}`)) expect(listed).toContain(`package/${folder}/${name}`);
    }
  });

  it('node_modules holds that version, with the stats() method built in', () => {
    const require = createRequire(import.meta.url);
    expect((require('cap/package.json') as { version: string }).version).toBe(sourceManifest.version);
    const cap = require('cap') as { Cap: { prototype: Record<string, unknown> } };
    expect(cap.Cap.prototype.stats).toBeTypeOf('function');
  });
});
