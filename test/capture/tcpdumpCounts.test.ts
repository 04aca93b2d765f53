import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../lib/capture/fileSource.ts';
import { sharedDataset } from '../sharedDatasets.ts';

const hasTcpdump = spawnSync('which', ['tcpdump']).status === 0;

/** Packets tcpdump reads from the (decompressed) file: one line each. */
function tcpdumpCount(path: string): number {
  const out = execFileSync('sh', ['-c', `zcat '${path}' | tcpdump -r - -nn -q 2>/dev/null | wc -l`], { encoding: 'utf8' });
  return Number(out.trim());
}

describe.skipIf(!hasTcpdump)('packet counts against tcpdump -r', () => {
  it.each([
    'pcaps/ppa-markofu/ftp-crack.pcap.gz',
    'pcaps/axr00t-research-pcaps/ssh-brute-force.pcap.gz',
    'pcaps/axr00t-research-pcaps/hydra_brute_force_get_success_106_attempts.pcap.gz',
    'pcaps/chrissanders-packets/http_espn.pcapng.gz',
    'pcaps/chrissanders-packets/synscan.pcapng.gz',
    'pcaps/evilfingers-nmap/UDP_SCAN.pcap.gz',
    'pcaps/honeynet/attack-trace.pcap_.gz',
  ])('%s', async (capture) => {
    const stats = await openCaptureFile(sharedDataset(capture)).run(() => {});
    expect(stats.frames).toBe(tcpdumpCount(sharedDataset(capture)));
    expect(stats.anomalies).toEqual({});
  });
});
