import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, spawnTcpdump } from '../tcpdump.ts';
import { runRules } from './runRules.ts';

/**
 * No UDP or ICMP flood capture is in shared/datasets, so these floods are real ones: hping3 sends
 * them on the loopback interface while tcpdump records them (-c: it stops by itself after that
 * many packets), and the capture goes through decode and the rules like any other.
 */
const directory = mkdtempSync(join(tmpdir(), 'netguard-floods-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Records `packets` packets matching `filter` on lo while hping3 sends them; returns the pcap path. */
async function recordFlood(name: string, filter: string, packets: number, hpingArgs: string[]): Promise<string> {
  const path = join(directory, `${name}.pcap`);
  const tcpdump = await spawnTcpdump(['-i', 'lo', '-n', '-U', '-c', String(packets), '-w', path, filter]);
  const recorded = exited(tcpdump, 'tcpdump', 20_000);
  // --flood: as fast as the machine goes (a paced rate would sag on a busy machine); stopped, by
  // its own pid, once tcpdump has its count.
  const hping = spawn('hping3', [...hpingArgs, '--flood', '127.0.0.1'], { stdio: 'ignore' });
  const hpingDone = exited(hping, 'hping3', 30_000);
  try {
    await recorded;
  } finally {
    hping.kill('SIGINT');
    await hpingDone;
  }
  return path;
}

describe('UDP and ICMP floods sent by hping3 on loopback', () => {
  it('a UDP flood to one port raises one udp-flood incident against 127.0.0.1', async () => {
    const path = await recordFlood('udp', 'udp and dst port 9', 5000, ['--udp', '-p', '9']);
    const run = await runRules(path);
    expect(run.packets).toBe(5000);
    const incidents = [...run.incidents.values()];
    expect(incidents.map((i) => `${i.detector} ${i.threatType} ${i.category} ${i.sourceIp}->${i.destinationIp}:${i.destinationPort} ${i.protocol}`)).toEqual([
      'rule:udp-flood DoS Network 127.0.0.1->127.0.0.1:9 UDP',
    ]);
    expect(incidents[0].summary).toMatch(/^UDP flood: 5,000 packets/);
  }, 60_000);

  it('a ping flood raises one icmp-flood incident against 127.0.0.1', async () => {
    const path = await recordFlood('icmp', 'icmp[icmptype] == icmp-echo', 3000, ['--icmp']);
    const run = await runRules(path);
    expect(run.packets).toBe(3000);
    const incidents = [...run.incidents.values()];
    expect(incidents.map((i) => `${i.detector} ${i.threatType} ${i.sourceIp}->${i.destinationIp} ${i.protocol}`)).toEqual([
      'rule:icmp-flood DoS 127.0.0.1->127.0.0.1 ICMP',
    ]);
    expect(incidents[0].summary).toMatch(/^ICMP flood: 3,000 packets/);
  }, 60_000);
});
