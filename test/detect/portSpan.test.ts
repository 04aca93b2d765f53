/**
 * A scan's incident names how many ports it probed and their range, from the capture to the
 * feed row. Expected figures come from tshark reading the same real capture (nmap -sS of 1,000
 * ports, chrissanders synscan).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Monitor } from '../../lib/monitor/monitor.ts';
import { toFeedRow } from '../../lib/realtime/feedRow.ts';
import { listRecentIncidents, openStore } from '../../lib/store/index.ts';
import { sharedDataset } from '../sharedDatasets.ts';

const CAPTURE = sharedDataset('pcaps/chrissanders-packets/synscan.pcapng.gz');

function probedPorts(): number[] {
  const lines = execFileSync('tshark', ['-r', CAPTURE, '-Y', 'tcp.flags.syn==1 && tcp.flags.ack==0', '-T', 'fields', '-e', 'tcp.dstport'], { encoding: 'utf8' });
  return [...new Set(lines.trim().split('\n').map(Number))].sort((a, b) => a - b);
}

describe('port span of a scan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netguard-ports-'));
  const store = openStore(join(dir, 'netguard.db'));
  let monitor: Monitor | undefined;
  afterAll(async () => {
    await monitor?.close();
    store.close();
  });

  it('reaches the stored incident and its feed row: port count within 5 %, lowest and highest exact', async () => {
    const ports = probedPorts();
    expect(ports.length).toBe(1000);
    monitor = await Monitor.create({ store, modelDirectory: 'trained_models/live-corrected-family', samplesDirectory: dir, log: () => undefined });
    const status = await monitor.start({ source: { kind: 'file', path: CAPTURE, speed: 'max' } });
    await monitor.finished();
    const scans = listRecentIncidents(store, status.sessionId!).filter((incident) => incident.threatType === 'PortScan');
    expect(scans.length).toBeGreaterThan(0);
    const scan = scans.find((incident) => incident.ports !== undefined)!;
    expect(scan, 'a PortScan incident with its ports').toBeDefined();
    expect(scan.destinationPort).toBe(0);
    expect(scan.ports!.min).toBe(ports[0]);
    expect(scan.ports!.max).toBe(ports.at(-1));
    expect(Math.abs(scan.ports!.count - ports.length)).toBeLessThanOrEqual(ports.length * 0.05);
    expect(toFeedRow(scan).ports).toEqual(scan.ports);
  });
});
