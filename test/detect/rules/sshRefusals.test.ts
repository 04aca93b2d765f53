/**
 * Refused SSH logins told by the sizes of the server's answers (lib/detect/rules/sshRefusals.ts),
 * on real SSH traffic: hydra's refused passwords count, operators' successful logins never do,
 * and a capture without the connections' closes still shows its refusals.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runRules, sharedPcap } from '../runRules.ts';

const lab = (name: string) => fileURLToPath(new URL(`../../../datasets/lab/${name}.pcap.gz`, import.meta.url));
const refusedIn = (summary: string) => Number(/([\d,]+) refused SSH logins/.exec(summary)?.[1]?.replaceAll(',', '') ?? 0);

describe('SSH refusals by answer size', () => {
  it('hydra on port 2222 (162 attempts): refusals name the attacker within a second of the start', async () => {
    const run = await runRules(lab('brute-ssh-lan-2222'), { bruteForce: { sshSessions: 1_000_000 } });
    const ssh = run.events.filter((e) => e.summary.includes('refused SSH logins'));
    expect(ssh.length).toBeGreaterThan(0);
    expect(new Set(ssh.map((e) => e.sourceIp))).toEqual(new Set(['10.77.0.66']));
    expect(Math.max(...ssh.map((e) => refusedIn(e.summary)))).toBeGreaterThanOrEqual(100);
  });

  it('five minutes of successful scripted and typed SSH logins show no refusal', async () => {
    for (const name of ['benign-lan-long-a', 'benign-lan-long-b']) {
      const run = await runRules(lab(name), { bruteForce: { sshRefusals: 1 } });
      expect(run.events.filter((e) => e.summary.includes('refused SSH')), name).toEqual([]);
    }
  });

  it('a capture whose connections never close (ssh_brute_force.pcap) still counts refusals', async () => {
    const run = await runRules(sharedPcap('pcaps/axr00t-research-pcaps/ssh_brute_force.pcap.gz'), { bruteForce: { sshSessions: 1_000_000 } });
    const first = run.events.find((e) => e.summary.includes('refused SSH logins'));
    expect(first?.sourceIp).toBe('192.168.203.193');
  });
});
