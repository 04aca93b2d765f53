import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localFiles } from '../../lib/config/fileResolver.ts';
import { PathError, PathErrorCode, type PathErrorCodeValue } from '../../lib/config/pathError.ts';
import { ServerPaths } from '../../lib/config/serverPaths.ts';

// Real files made here (a capture is never needed: the resolver opens nothing).
const base = mkdtempSync(join(tmpdir(), 'netguard-paths-'));
const allowed = join(base, 'allowed');
const other = join(base, 'other');
mkdirSync(join(allowed, 'nested'), { recursive: true });
mkdirSync(other);
writeFileSync(join(allowed, 'nested', 'capture.pcap'), 'x');
writeFileSync(join(other, 'secret.txt'), 'not yours');
symlinkSync('/etc', join(allowed, 'etc-link'));
symlinkSync(join(other, 'secret.txt'), join(allowed, 'secret-link'));
symlinkSync(join(allowed, 'nested', 'capture.pcap'), join(allowed, 'capture-link.pcap'));
symlinkSync(join(allowed, 'loop-b'), join(allowed, 'loop-a'));
symlinkSync(join(allowed, 'loop-a'), join(allowed, 'loop-b'));
execFileSync('mkfifo', [join(allowed, 'pipe')]);
// An allowed folder reached through a link: its real path counts as well.
symlinkSync(allowed, join(base, 'allowed-alias'));
const socketPath = join(allowed, 'listening.sock');
const unixServer = createServer().listen(socketPath);
afterAll(() => unixServer.close());

const paths = new ServerPaths([allowed, join(allowed, 'nested'), join(base, 'missing-folder')]);
const passwdFirstLine = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;

function refusal(path: string): PathError {
  try {
    paths.resolveFile(path, 'capture file');
  } catch (error) {
    if (error instanceof PathError) return error;
    throw error;
  }
  throw new Error(`${path} was accepted`);
}

function expectRefused(path: string, code: PathErrorCodeValue, message: RegExp): void {
  const error = refusal(path);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  // Every refusal names where files may be, and never shows what a refused file holds.
  expect(error.message).toContain(allowed);
  expect(error.message).not.toContain(passwdFirstLine);
  expect(error.message).not.toMatch(/root:|not yours/);
}

describe('ServerPaths', () => {
  it('lists the outermost allowed folders once', () => {
    expect(paths.allowedDirectories).toEqual([allowed, join(base, 'missing-folder')]);
    expect(() => new ServerPaths(['relative/folder'])).toThrow(/absolute/);
  });

  it('accepts a regular file inside an allowed folder, also through a link that stays inside', () => {
    expect(paths.resolveFile(join(allowed, 'nested', 'capture.pcap'), 'capture file')).toBe(join(allowed, 'nested', 'capture.pcap'));
    expect(paths.resolveFile(join(allowed, 'capture-link.pcap'), 'capture file')).toBe(join(allowed, 'nested', 'capture.pcap'));
    expect(paths.resolveFile(join(allowed, 'nested', '..', 'nested', 'capture.pcap'), 'dataset file')).toBe(join(allowed, 'nested', 'capture.pcap'));
    // A folder configured through a link: the path as written and its real path both count.
    const throughAlias = new ServerPaths([join(base, 'allowed-alias')]);
    expect(throughAlias.resolveFile(join(base, 'allowed-alias', 'nested', 'capture.pcap'), 'capture file')).toBe(join(allowed, 'nested', 'capture.pcap'));
    expect(throughAlias.resolveFile(join(allowed, 'nested', 'capture.pcap'), 'capture file')).toBe(join(allowed, 'nested', 'capture.pcap'));
  });

  it('refuses paths outside the folders before looking at them', () => {
    expectRefused('/etc/shadow', PathErrorCode.PATH_NOT_ALLOWED, /^\/etc\/shadow is outside the folders NetGuard may read/);
    expectRefused('/etc/passwd', PathErrorCode.PATH_NOT_ALLOWED, /outside/);
    expectRefused('/no/such/file', PathErrorCode.PATH_NOT_ALLOWED, /outside/); // same answer: no existence oracle
    expectRefused(join(allowed, '..', 'other', 'secret.txt'), PathErrorCode.PATH_NOT_ALLOWED, /outside/);
    expectRefused('/dev/zero', PathErrorCode.PATH_NOT_ALLOWED, /outside/);
    expectRefused(`${allowed}-sibling/file`, PathErrorCode.PATH_NOT_ALLOWED, /outside/);
  });

  it('refuses relative paths instead of resolving them from the working directory', () => {
    expectRefused('../../etc/passwd', PathErrorCode.PATH_NOT_ALLOWED, /"\.\.\/\.\.\/etc\/passwd" is a relative path/);
    expectRefused(relative(process.cwd(), join(allowed, 'nested', 'capture.pcap')), PathErrorCode.PATH_NOT_ALLOWED, /relative path/);
  });

  it('follows symbolic links before checking: a link inside that leads out is refused', () => {
    expectRefused(join(allowed, 'etc-link', 'passwd'), PathErrorCode.PATH_NOT_ALLOWED, /leads outside the folders NetGuard may read \(through a symbolic link\)/);
    expectRefused(join(allowed, 'etc-link'), PathErrorCode.PATH_NOT_ALLOWED, /leads outside/);
    expectRefused(join(allowed, 'secret-link'), PathErrorCode.PATH_NOT_ALLOWED, /leads outside/);
    expectRefused(join(allowed, 'loop-a'), PathErrorCode.PATH_NOT_ALLOWED, /loop of symbolic links/);
  });

  it('refuses a directory, a FIFO and a socket by name, and says when nothing is there', () => {
    expectRefused(join(allowed, 'nested'), PathErrorCode.NOT_A_REGULAR_FILE, /nested is a directory, not a capture file/);
    expectRefused(join(allowed, 'pipe'), PathErrorCode.NOT_A_REGULAR_FILE, /pipe is a named pipe \(FIFO\), not a capture file/);
    expectRefused(socketPath, PathErrorCode.NOT_A_REGULAR_FILE, /listening\.sock is a socket, not a capture file/);
    expectRefused(join(allowed, 'nested', 'gone.pcap'), PathErrorCode.FILE_NOT_FOUND, /no capture file at .*gone\.pcap/);
    expectRefused(join(allowed, 'nested', 'capture.pcap', 'below'), PathErrorCode.FILE_NOT_FOUND, /no capture file/);
  });

  it('refuses empty paths and NUL bytes', () => {
    expect(refusal('').code).toBe(PathErrorCode.INVALID_PATH);
    expect(refusal(`${allowed}/a\0b`).code).toBe(PathErrorCode.INVALID_PATH);
  });

  it('with no folder configured refuses everything', () => {
    expect(() => new ServerPaths([]).resolveFile(join(allowed, 'nested', 'capture.pcap'), 'dataset file')).toThrow(/outside .*\(none configured\)/);
  });
});

describe('localFiles (the command line)', () => {
  it('takes any readable regular file, relative to the working directory, with the same kind checks', () => {
    expect(localFiles.resolveFile(relative(process.cwd(), join(other, 'secret.txt')), 'capture file')).toBe(join(other, 'secret.txt'));
    expect(() => localFiles.resolveFile('/dev/zero', 'capture file')).toThrow(/^\/dev\/zero is a device, not a capture file$/);
    expect(() => localFiles.resolveFile(other, 'capture file')).toThrow(/is a directory, not a capture file$/);
    expect(() => localFiles.resolveFile(join(allowed, 'pipe'), 'dataset file')).toThrow(/is a named pipe \(FIFO\), not a dataset file$/);
    expect(() => localFiles.resolveFile(join(other, 'nope.pcap'), 'capture file')).toThrow(/^no capture file at .*nope\.pcap$/);
  });
});
