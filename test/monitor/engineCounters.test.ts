import { describe, expect, it } from 'vitest';
import { EngineCounters, type SessionCounts } from '../../lib/monitor/engineCounters.ts';

const counts = (n: number): SessionCounts => ({
  kernelPackets: 10 * n,
  kernelDrops: n,
  engineDrops: 2 * n,
  decoderPackets: 9 * n,
  decoderBytes: 900 * n,
  flows: 3 * n,
  scoredRows: n,
  scoreCacheHits: n - 1,
});

describe('EngineCounters', () => {
  it('adds every session onto the ones before it, so a Prometheus counter never goes down', () => {
    const counters = new EngineCounters();
    counters.beginSession('corrected');
    counters.update(counts(5));
    counters.update(counts(7));
    expect(counters.values()).toMatchObject({ decoderPackets: 63, engineDrops: 14, flowsByFormat: { corrected: 21 } });
    counters.endSession();
    counters.beginSession('kdd');
    counters.update(counts(2));
    const values = counters.values();
    expect(values).toMatchObject({ kernelPackets: 90, kernelDrops: 9, decoderBytes: 8100, scoredRows: 9, scoreCacheHits: 7 });
    expect(values.flowsByFormat).toEqual({ corrected: 21, kdd: 6 });
    // A second endSession (the loop's finally after an error path) adds nothing twice.
    counters.endSession();
    counters.endSession();
    expect(counters.values().decoderPackets).toBe(81);
  });

  it('counts alerts by severity and family', () => {
    const counters = new EngineCounters();
    counters.countAlert('High', 'DoS');
    counters.countAlert('High', 'DoS');
    counters.countAlert('Low', 'PortScan');
    expect(counters.values().alerts).toEqual([
      { severity: 'High', family: 'DoS', count: 2 },
      { severity: 'Low', family: 'PortScan', count: 1 },
    ]);
  });
});
