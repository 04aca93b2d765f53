/**
 * A damaged capture is read past the damage: `flows` and `monitor --file` print one warning
 * line naming what was lost and exit 3; the Monitor's status carries the same warning.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Monitor } from '../../lib/monitor/monitor.ts';
import { openStore } from '../../lib/store/index.ts';
import { sharedDataset } from '../flows/collectFlows.ts';

const bin = new URL('../../bin/netguard.mjs', import.meta.url).pathname;
const model = new URL('../../trained_models/live-corrected-family', import.meta.url).pathname;
const netguard = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** ftp-crack.pcap (19,730 real packets) with record 9,865's captured length overwritten and, optionally, its last 10 bytes cut. */
function damagedCopy(directory: string, truncate: boolean): { path: string; offset: number } {
  const data = new Uint8Array(gunzipSync(readFileSync(sharedDataset('pcaps/ppa-markofu/ftp-crack.pcap.gz'))));
  const view = new DataView(data.buffer);
  let position = 24;
  for (let record = 0; record < 9865; record++) position += 16 + view.getUint32(position + 8, true);
  view.setUint32(position + 8, 0x12345678, true);
  const path = join(directory, truncate ? 'damaged-cut.pcap' : 'damaged.pcap');
  writeFileSync(path, truncate ? data.subarray(0, data.length - 10) : data);
  return { path, offset: position };
}

describe('a damaged capture', () => {
  const directory = mkdtempSync(join(tmpdir(), 'netguard-damaged-'));

  it('flows: reads past the damage, warns with what was lost and where, exits 3', () => {
    const { path, offset } = damagedCopy(directory, true);
    const result = netguard(['flows', path, '-o', join(directory, 'flows.csv'), '--quiet']);
    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr).toBe(
      `warning: capture damaged: 1 damaged record skipped (76 bytes) after byte ${offset.toLocaleString('en-US')}; truncated last record (${path})\n`,
    );
    // tcpdump stops at the damaged record (9,865 packets); we lose it and the cut last one.
    const summary = netguard(['flows', path, '-o', join(directory, 'flows2.csv')]);
    expect(summary.stderr).toMatch(/19,728 packets/);
  });

  it('flows: an undamaged capture exits 0 without a warning', () => {
    const result = netguard(['flows', sharedDataset('pcaps/ppa-markofu/ftp-crack.pcap.gz'), '-o', join(directory, 'clean.csv'), '--quiet']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('flows --help documents exit code 3', () => {
    expect(netguard(['flows', '--help']).stdout).toMatch(/3 the capture was damaged/);
    expect(netguard(['monitor', '--help']).stdout).toMatch(/3 the capture file was damaged/);
  });

  it('monitor --file: warns and exits 3', () => {
    const { path } = damagedCopy(directory, false);
    const result = netguard(['monitor', '--file', path, '--json']);
    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^warning: capture damaged: 1 damaged record skipped \(76 bytes\) after byte [\d,]+ \(.*damaged\.pcap\)$/m);
  }, 120_000);

  it('Monitor: the status of a damaged replay carries the warning', async () => {
    const { path } = damagedCopy(directory, true);
    const store = openStore(join(directory, 'monitor.db'));
    try {
      const monitor = await Monitor.create({ store, modelDirectory: model, samplesDirectory: directory, log: () => undefined });
      await monitor.start({ source: { kind: 'file', path, speed: 'max' } });
      const status = await monitor.finished();
      expect(status.error).toBeUndefined();
      expect(status.warning).toMatch(/^1 damaged record skipped \(76 bytes\) after byte [\d,]+; truncated last record$/);
      await monitor.start({ source: { kind: 'file', path: sharedDataset('pcaps/ppa-markofu/ftp-crack.pcap.gz'), speed: 'max' } });
      expect((await monitor.finished()).warning).toBeUndefined();
    } finally {
      store.close();
    }
  }, 120_000);
});
