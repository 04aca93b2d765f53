import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../lib/capture/fileSource.ts';
import { DecodeAnomalies } from '../../lib/decode/anomalies.ts';
import { decodeFrame } from '../../lib/decode/decodeFrame.ts';
import { DecodedPacket } from '../../lib/decode/packet.ts';
import { correctedFlowId } from '../../lib/flows/correctedFormat.ts';
import { featureFormats, getFeatureFormat } from '../../lib/flows/featureFormats.ts';
import { FlowTable, type FlowTableOptions } from '../../lib/flows/flowTable.ts';
import { sharedDataset } from './collectFlows.ts';

interface Emitted {
  id: string;
  packets: number;
  bytes: number;
  reason: string;
}

/** Feeds a capture into a table without flushing; returns the table, what it emitted, and the last packet time. */
async function feed(relative: string, options: Omit<FlowTableOptions, 'onFlow'>) {
  const emitted: Emitted[] = [];
  const table = new FlowTable({
    ...options,
    onFlow: (flow) => emitted.push({ id: correctedFlowId(flow), packets: flow.packets, bytes: flow.fwdBytes + flow.bwdBytes, reason: flow.reason }),
  });
  const packet = new DecodedPacket();
  const anomalies = new DecodeAnomalies();
  let ipPackets = 0;
  let lastUs = 0;
  await openCaptureFile(sharedDataset(relative)).run((frame) => {
    if (decodeFrame(frame, packet, anomalies)) {
      ipPackets++;
      lastUs = Math.max(lastUs, packet.timestampUs);
      table.addPacket(packet);
    }
  });
  return { table, emitted, ipPackets, lastUs };
}

function totalsById(flows: Emitted[]): Map<string, { packets: number; bytes: number }> {
  const totals = new Map<string, { packets: number; bytes: number }>();
  for (const flow of flows) {
    // Orientation can differ between runs (eviction splits a connection), so key without it.
    const key = flow.id.split('-').slice(0, 4).sort().join('|') + `|${flow.id.split('-')[4]}`;
    const entry = totals.get(key) ?? { packets: 0, bytes: 0 };
    entry.packets += flow.packets;
    entry.bytes += flow.bytes;
    totals.set(key, entry);
  }
  return totals;
}

describe('FlowTable bounds', () => {
  it('evicts the least recently seen flow when full, counts it, and loses no packet', async () => {
    // SYN flood: ~1,000 half-open connections at once.
    const capture = 'pcaps/padmavatisb/portscan.pcap.gz';
    const bounded = await feed(capture, { mode: 'corrected', maxFlows: 16 });
    bounded.table.flushAll();
    const unbounded = await feed(capture, { mode: 'corrected' });
    unbounded.table.flushAll();

    expect(bounded.table.stats.evictions).toBeGreaterThan(0);
    expect(bounded.emitted.filter((flow) => flow.reason === 'evicted')).toHaveLength(bounded.table.stats.evictions);
    expect(bounded.table.stats.peakActiveFlows).toBe(16);
    expect(unbounded.table.stats.evictions).toBe(0);
    expect(bounded.emitted.reduce((sum, flow) => sum + flow.packets, 0)).toBe(bounded.ipPackets);
    // Same packets and bytes per 5-tuple whether or not flows were cut by eviction.
    expect(totalsById(bounded.emitted)).toEqual(totalsById(unbounded.emitted));
  });
});

describe('FlowTable.sweep', () => {
  it('emits idle flows at the idle timeout without another packet (corrected)', async () => {
    const run = await feed('cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz', { mode: 'corrected' });
    const before = run.emitted.length;
    expect(run.table.stats.activeFlows).toBeGreaterThan(0);
    run.table.sweep(run.lastUs + 1_000);
    // Only closed connections past their 2 s linger may go this early.
    expect(run.emitted.slice(before).every((flow) => flow.reason === 'closed')).toBe(true);
    run.table.sweep(run.lastUs + 60_000_001);
    expect(run.table.stats.activeFlows).toBe(0);
    expect(run.emitted.reduce((sum, flow) => sum + flow.packets, 0)).toBe(run.ipPackets);
  });

  it('has no idle timeout in cic2017 mode; the active timeout still empties the table', async () => {
    const run = await feed('cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz', { mode: 'cic2017' });
    const open = run.table.stats.activeFlows;
    expect(open).toBeGreaterThan(0);
    run.table.sweep(run.lastUs + 100_000_000);
    expect(run.emitted.slice(-1)[0]?.reason).not.toBe('idle-timeout');
    run.table.sweep(run.lastUs + 240_000_001);
    expect(run.emitted.reduce((sum, flow) => sum + flow.packets, 0)).toBe(run.ipPackets);
    // Timed-out flows stay as empty segments (keeping their orientation) for one more timeout.
    run.table.sweep(run.lastUs + 480_000_001);
    expect(run.table.stats.activeFlows).toBe(0);
  });

  it('splits flows longer than the active timeout into segments that keep the orientation', async () => {
    // FTP bounce scan: the control connection lasts ~1000 s.
    const run = await feed('pcaps/evilfingers-nmap/FTP_BOUNCE_SCAN.pcap.gz', { mode: 'corrected', idleTimeoutUs: 120_000_000 });
    run.table.flushAll();
    const timedOut = run.emitted.filter((flow) => flow.reason === 'active-timeout');
    expect(timedOut.length).toBeGreaterThan(0);
    for (const segment of timedOut) {
      const later = run.emitted.filter((flow) => flow.id === segment.id);
      expect(later.length).toBeGreaterThan(1);
    }
  });
});

describe('FlowTable with a failing onFlow', () => {
  it('stays consistent: the error reaches the caller, no flow is emitted twice or lost', async () => {
    const seen: string[] = [];
    let packetsSeen = 0;
    let calls = 0;
    const table = new FlowTable({
      mode: 'corrected',
      onFlow: (flow) => {
        calls++;
        seen.push(`${correctedFlowId(flow)}@${flow.startUs}`);
        packetsSeen += flow.packets;
        if (calls % 3 === 0) throw new Error('consumer failed');
      },
    });
    const packet = new DecodedPacket();
    const anomalies = new DecodeAnomalies();
    let ipPackets = 0;
    let errors = 0;
    // A SYN flood whose connections all differ, so a flow emitted twice would show.
    await openCaptureFile(sharedDataset('pcaps/padmavatisb/portscan.pcap.gz')).run((frame) => {
      if (!decodeFrame(frame, packet, anomalies)) return;
      ipPackets++;
      try {
        table.addPacket(packet);
      } catch {
        errors++;
      }
    });
    try {
      table.flushAll();
    } catch {
      errors++;
    }
    expect(errors).toBeGreaterThan(300);
    expect(errors).toBeLessThanOrEqual(table.stats.callbackErrors);
    expect(new Set(seen).size).toBe(seen.length);
    expect(packetsSeen).toBe(ipPackets);
    expect(table.stats.activeFlows).toBe(0);
    expect(table.stats.callbackErrors).toBe(Math.floor(calls / 3));
  });
});

describe('feature format registry', () => {
  it('picks formats by name and fails loudly on an unknown one', () => {
    expect(Object.keys(featureFormats)).toEqual(expect.arrayContaining(['cic2017', 'corrected']));
    expect(getFeatureFormat('corrected').columns).toHaveLength(91);
    expect(() => getFeatureFormat('cic2018')).toThrow(/unknown feature format "cic2018".*cic2017, corrected/);
  });

  it('rejects an unknown flow mode', () => {
    expect(() => new FlowTable({ mode: 'zeek' as 'cic2017', onFlow: () => {} })).toThrow(/unknown flow mode/);
  });
});
