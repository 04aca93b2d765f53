import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe as group, expect, it } from 'vitest';
import { exited, spawnTcpdump } from '../../tcpdump.ts';
import { describe, replayRules } from './replayRules.ts';

/**
 * The case: one host sending UDP or ICMP at a few thousand packets a second (under the
 * per-destination thresholds). Real hping3 floods, paced like the lab's (-i u400: 2,500/s), on
 * the loopback interface from 127.0.0.1 to 127.0.0.10, recorded with the victim's answers (ICMP
 * echo replies, port-unreachables), bounded by packet count.
 */
const directory = mkdtempSync(join(tmpdir(), 'netguard-source-floods-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const ATTACKER = '127.0.0.1';
const VICTIM = '127.0.0.10';

/** Records what `filter` matches on lo while hping3 sends `count` packets at 2,500/s; returns the pcap path. */
async function record(name: string, filter: string, count: number, hpingArgs: string[]): Promise<string> {
  const path = join(directory, `${name}.pcap`);
  const tcpdump = await spawnTcpdump(['-i', 'lo', '-n', '-U', '-s', '256', '-w', path, filter]);
  const recorded = exited(tcpdump, 'tcpdump', 20_000);
  const hping = spawn('hping3', ['-q', ...hpingArgs, '-i', 'u400', '-c', String(count), VICTIM], { stdio: 'ignore' });
  await exited(hping, 'hping3', 15_000);
  // Let the last answers arrive, then stop the recorder (by its own pid).
  await new Promise((resolve) => setTimeout(resolve, 300));
  tcpdump.kill('SIGINT');
  await recorded;
  return path;
}

group('one host flooding another at 2,500 packets a second (hping3 on loopback)', () => {
  it.each([
    { name: 'udp', filter: `host ${VICTIM} and (udp or icmp)`, args: ['--udp', '-p', '5060', '-d', '160'], rule: 'rule:udp-flood', port: 5060, sent: `ip.src == ${ATTACKER} && udp && !icmp` },
    { name: 'icmp', filter: `host ${VICTIM} and icmp`, args: ['--icmp', '-d', '1000'], rule: 'rule:icmp-flood', port: 0, sent: `ip.src == ${ATTACKER} && icmp.type == 8` },
  ])('$name: detected within 2 s, naming 127.0.0.1 and never the victim', async ({ name, filter, args, rule, port, sent }) => {
    const path = await record(name, filter, 5000, args);
    const run = await replayRules(path);
    const lines = run.detections.map(describe);
    expect(run.detections.length, lines.join('\n')).toBeGreaterThan(0);
    for (const detection of run.detections) {
      expect(`${detection.detector} ${detection.sourceIp}->${detection.destinationIp}:${detection.destinationPort}`, lines.join('\n')).toBe(
        `${rule} ${ATTACKER}->${VICTIM}:${port}`,
      );
      expect(detection.attackers).toEqual([{ ip: ATTACKER, count: expect.any(Number) }]);
    }
    expect((run.detections[0].timeUs - run.firstUs) / 1e6).toBeLessThan(2);
    // The closing report counts every flood packet the capture holds (tshark's count; the kernel may drop a few of the 5,000).
    const captured = execFileSync('tshark', ['-r', path, '-Y', sent], { encoding: 'utf8' }).split('\n').filter((line) => line !== '').length;
    expect(captured).toBeGreaterThan(4000);
    expect(run.detections.at(-1)!.summary).toMatch(new RegExp(`^(UDP|ICMP) flood: ${captured.toLocaleString('en-US')} packets`));
  }, 60_000);
});
