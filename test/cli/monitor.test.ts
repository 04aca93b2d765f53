import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { sharedDataset } from '../flows/collectFlows.ts';

const bin = new URL('../../bin/netguard.mjs', import.meta.url).pathname;
const isRoot = process.getuid?.() === 0;
const has = (tool: string) => spawnSync('which', [tool]).status === 0;
const eventFields: (keyof ThreatEvent)[] = [
  'id', 'time', 'sourceIp', 'destinationIp', 'destinationPort', 'protocol', 'threatType', 'category',
  'severity', 'confidence', 'detector', 'modelVersion', 'flowId', 'incidentId',
];

function parseEvents(stdout: string): ThreatEvent[] {
  return stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as ThreatEvent);
}

describe('netguard monitor', () => {
  it('prints one JSON threat event per line for a capture file and exits at its end', () => {
    const result = spawnSync(process.execPath, [bin, 'monitor', '--file', sharedDataset('pcaps/ppa-markofu/ftp-crack.pcap.gz'), '--json'], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const events = parseEvents(result.stdout);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) for (const field of eventFields) expect(event, field).toHaveProperty(field);
    const bruteForce = events.filter((e) => e.threatType === 'BruteForce' && e.destinationPort === 21);
    expect(bruteForce.length).toBeGreaterThan(0);
    expect(bruteForce[0]!.sourceIp).toBe('10.234.125.254');
    // Events of one ongoing attack share their incident.
    expect(new Set(bruteForce.filter((e) => e.detector.includes('rule:brute-force')).map((e) => e.incidentId)).size).toBe(1);
    expect(result.stderr).toMatch(/\[stats\] 19730 packets/);
  }, 120_000);

  it('refuses contradictory options with exit code 2', () => {
    const result = spawnSync(process.execPath, [bin, 'monitor', '--file', 'a.pcap', '--interface', 'lo'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/either --interface or --file/);
  });

  it.skipIf(!isRoot || !has('nmap') || !has('hping3'))(
    'detects a bounded nmap scan and an hping3 SYN flood against 127.0.0.1 live on lo',
    async () => {
      const child = spawn(process.execPath, [bin, 'monitor', '--interface', 'lo', '--filter', 'host 127.0.0.1', '--json', '--db', ':memory:']);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      // Traffic starts once the capture is open (a 256 MiB ring takes a moment on a busy machine).
      const deadline = Date.now() + 30_000;
      while (!stderr.includes('monitoring interface lo') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      await new Promise((resolve) => setTimeout(resolve, 500));
      execFileSync('nmap', ['-sS', '-Pn', '-n', '-p', '1-1000', '--max-retries', '0', '-T4', '127.0.0.1'], { timeout: 60_000 });
      // 3,000 SYNs at ~10,000/s to one closed port: a short, bounded flood.
      spawnSync('hping3', ['-S', '-p', '9', '-c', '3000', '-i', 'u100', '127.0.0.1'], { timeout: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 3000));
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(0);
      const events = parseEvents(stdout);
      const types = new Set(events.map((e) => e.threatType));
      expect([...types], stderr).toContain('PortScan');
      expect([...types], stderr).toContain('DoS');
      expect(events.some((e) => e.detector.includes('rule:port-scan') && e.sourceIp === '127.0.0.1')).toBe(true);
      expect(events.some((e) => e.detector.includes('rule:syn-flood') && e.destinationIp === '127.0.0.1')).toBe(true);
    },
    120_000,
  );
});
