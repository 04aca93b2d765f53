/**
 * `netguard monitor --eve FILE`: lab captures (recorded with real tools) replayed through the CLI;
 * every line of the file must be a Suricata EVE alert record (the vendored schema and the
 * shippers' expectations, test/store/eveSchema.ts) and the EVE form of one printed threat event.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { eveAlertLine, type EveAlertRecord } from '../../lib/store/eveAlert.ts';
import { labCapture } from '../store/eveReplay.ts';
import { eveAlertErrors } from '../store/eveSchema.ts';

const bin = new URL('../../bin/netguard.mjs', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'netguard-eve-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function monitor(args: string[]) {
  return spawnSync(process.execPath, [bin, 'monitor', ...args], { encoding: 'utf8', timeout: 120_000 });
}

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('netguard monitor --eve', () => {
  it('appends one valid EVE alert line per threat event, the same alerts --json prints', () => {
    const eve = join(work, 'eve.json');
    let expected: string[] = [];
    for (const scenario of ['dos-synflood-randsrc-lan', 'dos-icmpflood-lan']) {
      const result = monitor(['--file', labCapture(scenario), '--json', '--eve', eve]);
      expect(result.status, result.stderr).toBe(0);
      const events = lines(result.stdout).map((line) => JSON.parse(line) as ThreatEvent);
      expect(events.length, scenario).toBeGreaterThan(0);
      expected = [...expected, ...events.map((event) => eveAlertLine(event))];
      // Appended, as Suricata appends to eve.json: the earlier run's lines stay first.
      expect(lines(readFileSync(eve, 'utf8'))).toEqual(expected);
    }
    const records = lines(readFileSync(eve, 'utf8')).map((line) => JSON.parse(line) as EveAlertRecord);
    for (const record of records) expect(eveAlertErrors(record), JSON.stringify(record)).toEqual([]);
    // The spoofed flood: a real address on the line, "many (N)" in the metadata; ICMP without ports.
    expect(records.some((r) => r.dest_ip === '10.77.0.10' && /^many \(/.test(r.alert.metadata.netguard_sources?.[0] ?? ''))).toBe(true);
    expect(records.some((r) => r.proto === 'ICMP' && r.src_ip === '10.77.0.66' && !('src_port' in r))).toBe(true);
    expect(readFileSync(eve, 'utf8').endsWith('\n')).toBe(true);
  }, 240_000);

  it('fails before monitoring when the file cannot be written, and refuses an empty name', () => {
    const directory = monitor(['--file', labCapture('dos-icmpflood-lan'), '--eve', work]);
    expect(directory.status).toBe(1);
    expect(directory.stderr).toMatch(/cannot open the EVE file .*EISDIR/);
    expect(directory.stderr).not.toMatch(/^monitoring /m);
    const empty = monitor(['--file', labCapture('dos-icmpflood-lan'), '--eve', '']);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/--eve needs a file name/);
  }, 120_000);
});
