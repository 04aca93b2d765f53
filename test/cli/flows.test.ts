import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sharedDataset } from '../flows/collectFlows.ts';

const bin = new URL('../../bin/netguard.mjs', import.meta.url).pathname;
const isRoot = process.getuid?.() === 0;
const has = (tool: string) => spawnSync('which', [tool]).status === 0;

function netguard(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

describe('netguard flows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netguard-flows-'));
  const reference = 'cicflowmeter-reference/ahlashkari-CICFlowMeter-test/';

  it('writes the CIC-IDS2017 header byte for byte and one row per flow the original tool wrote', () => {
    const out = join(dir, 'test.csv');
    const result = netguard(['flows', sharedDataset(`${reference}test.pcap.gz`), '--format', 'cic2017', '-o', out]);
    expect(result.status, result.stderr).toBe(0);
    const ours = readFileSync(out, 'utf8').split('\n').filter(Boolean);
    const theirs = gunzipSync(readFileSync(sharedDataset(`${reference}test.pcap_CIC.csv.gz`)))
      .toString('utf8')
      .split(/\r?\n/)
      .filter(Boolean);
    expect(ours[0]).toBe(theirs[0]);
    expect(ours.length).toBe(theirs.length);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('streams corrected and kdd rows to standard output, with the summary on standard error', () => {
    for (const [format, firstColumn] of [
      ['corrected', 'id,Flow ID,Src IP'],
      ['kdd', 'Flow ID,Src IP,Src Port'],
    ] as const) {
      const result = netguard(['flows', sharedDataset('pcaps/ppa-markofu/ftp-crack.pcap.gz'), '--format', format]);
      expect(result.status, result.stderr).toBe(0);
      const lines = result.stdout.split('\n').filter(Boolean);
      expect(lines[0]!.startsWith(firstColumn)).toBe(true);
      expect(lines.length - 1).toBeGreaterThan(1390);
      expect(result.stderr).toMatch(/19,730 packets, .* rows written/);
    }
  });

  it('fails with a one-line reason and leaves no output file for input that is not a capture', () => {
    const garbage = join(dir, 'not-a-capture.pcap');
    writeFileSync(garbage, readFileSync(sharedDataset('nsl-kdd/Field Names.csv.gz')).subarray(0, 0).toString() + 'duration,continuous\n');
    const out = join(dir, 'never.csv');
    const result = netguard(['flows', garbage, '-o', out]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/not a pcap, pcapng or gzip file/);
    expect(existsSync(out) || existsSync(`${out}.partial`)).toBe(false);

    const missing = netguard(['flows', join(dir, 'no-such-file.pcap')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no-such-file\.pcap/);
  });

  it('reads a capture cut mid-record, says how much it read and warns with exit code 3', () => {
    const whole = gunzipSync(readFileSync(sharedDataset('pcaps/ppa-markofu/telnet.pcap.gz')));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const result = netguard(['flows', cut]);
    expect(result.status, result.stderr).toBe(3);
    expect(result.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(1);
    expect(result.stderr).toMatch(/packets, .* rows written\nwarning: capture damaged: truncated last record \(.*cut\.pcap\)\n$/);
  });

  it('rejects usage mistakes with exit code 2 and the help text', () => {
    const result = netguard(['flows', '--format', 'unsw', 'x.pcap']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown --format "unsw"/);
    expect(result.stderr).toMatch(/Usage:/);
    expect(netguard(['flows']).status).toBe(2);
    expect(netguard(['flows', 'a.pcap', '--duration', '5']).status).toBe(2);
    expect(netguard(['flows', 'a.pcap', '--bogus']).status).toBe(2);
  });

  it('names the problem when the interface does not exist', () => {
    const result = netguard(['flows', '--interface', 'no-such-if0', '--duration', '1']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no-such-if0/);
  });

  it.skipIf(!isRoot || !has('nmap'))(
    'captures live on lo while nmap scans 127.0.0.1 and writes a flow per probe',
    async () => {
      const out = join(dir, 'live.csv');
      const capture = spawn(process.execPath, [
        bin, 'flows', '--interface', 'lo', '--filter', 'tcp and host 127.0.0.1 and dst portrange 1-100 or src portrange 1-100',
        '--duration', '10', '--idle-timeout', '1', '-o', out, '--quiet',
      ]);
      let stderr = '';
      capture.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // The capture needs a moment to open (a 256 MiB ring); on a loaded machine more than one
      // scan may be needed before it listens, so scan three times, a second apart.
      for (let scan = 0; scan < 3; scan++) {
        await new Promise((resolve) => setTimeout(resolve, scan === 0 ? 2500 : 1000));
        execFileSync('nmap', ['-sS', '-Pn', '-n', '-p', '1-100', '--max-retries', '0', '-T4', '127.0.0.1'], { timeout: 30_000 });
      }
      const status = await new Promise<number | null>((resolve) => capture.on('close', resolve));
      expect(status, stderr).toBe(0);
      const rows = readFileSync(out, 'utf8').split('\n').filter(Boolean).slice(1).map((line) => line.split(','));
      const scanned = new Set(rows.filter((cells) => cells[2] === '127.0.0.1').map((cells) => Number(cells[5])));
      // Every probed port shows up as a flow (closed ports answer RST, which ends the flow at once).
      for (let port = 1; port <= 100; port++) expect(scanned.has(port), `port ${port}`).toBe(true);
    },
    40_000,
  );
});
