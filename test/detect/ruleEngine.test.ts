import { describe, expect, it } from 'vitest';
import type { DecodedPacket } from '../../lib/decode/packet.ts';
import type { RuleDetectorContext } from '../../lib/detect/ruleDetector.ts';
import { getRuleDetectorFactory, ruleDetectors, ruleNames } from '../../lib/detect/ruleDetectors.ts';
import { RuleEngine } from '../../lib/detect/ruleEngine.ts';
import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { feedCapture, runRules, sharedPcap } from './runRules.ts';

const SYNSCAN = sharedPcap('pcaps/chrissanders-packets/synscan.pcapng.gz');

/** A rule that breaks on every packet, as a buggy site rule might. */
function createBrokenDetector(_context: RuleDetectorContext) {
  return {
    name: 'broken',
    observePacket(packet: DecodedPacket): void {
      throw new Error(`cannot handle protocol ${packet.protocol}`);
    },
    sweep(): void {
      throw new Error('cannot sweep');
    },
  };
}

describe('rule registry', () => {
  it('has one detector per rule name and fails loudly on an unknown one', () => {
    expect(ruleNames).toEqual(['port-scan', 'syn-flood', 'udp-flood', 'icmp-flood', 'brute-force', 'slowloris', 'http-flood']);
    for (const name of ruleNames) expect(getRuleDetectorFactory(name)).toBe(ruleDetectors[name]);
    expect(() => getRuleDetectorFactory('port-sweep')).toThrow(/unknown rule detector "port-sweep"; known: port-scan/);
  });
});

describe('RuleEngine', () => {
  it('a detector that throws is caught, counted and logged once; the others go on', async () => {
    const logged: string[] = [];
    const events: ThreatEvent[] = [];
    const engine = new RuleEngine({ onEvent: (event) => events.push(event), extraDetectors: [createBrokenDetector], log: (m) => logged.push(m) });
    const { packets } = await feedCapture(SYNSCAN, engine);
    engine.flush();
    expect(engine.stats().failures).toEqual({ broken: packets + 1 });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/broken threw "cannot handle protocol 6"/);
    expect(events.map((e) => `${e.detector} ${e.sourceIp}->${e.destinationIp}`)).toContain('rule:port-scan 172.16.0.8->64.13.134.52');
  });

  it('an onEvent callback that throws is counted and the run goes on', async () => {
    const logged: string[] = [];
    let calls = 0;
    const engine = new RuleEngine({
      onEvent: () => {
        calls++;
        throw new Error('store is down');
      },
      log: (m) => logged.push(m),
    });
    await feedCapture(SYNSCAN, engine);
    engine.flush();
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(engine.stats()).toMatchObject({ events: calls, failures: { onEvent: calls } });
    expect(logged).toHaveLength(1);
  });

  it('runs only the rules asked for, and the config switches rules off', async () => {
    const only = new RuleEngine({ onEvent: () => {}, rules: ['syn-flood', 'brute-force'] });
    expect(only.detectors.map((d) => d.name)).toEqual(['syn-flood', 'brute-force']);
    const run = await runRules(SYNSCAN, { portScan: { enabled: false } });
    expect(run.engine.detectors.map((d) => d.name)).not.toContain('port-scan');
    expect(run.events).toEqual([]);
  });

  it('thresholds are configurable: a scan under them raises nothing', async () => {
    // synscan probes 1,000 ports; thresholds above that keep it quiet.
    const run = await runRules(SYNSCAN, { portScan: { distinctPorts: 2000, slowDistinctPorts: 4000 } });
    expect(run.events).toEqual([]);
  });

  it('sweep closes an attack on the packet clock once a window passes without probes', async () => {
    // First pass: when did the last probe come? (the capture goes on with other packets after it)
    const reference = await runRules(SYNSCAN);
    const lastProbeUs = reference.events.at(-1)!.time * 1000;

    const events: ThreatEvent[] = [];
    const engine = new RuleEngine({ onEvent: (event) => events.push(event) });
    await feedCapture(SYNSCAN, engine);
    expect(events).toHaveLength(1);
    // Less than a window (10 s) after the last probe: the scan may still go on.
    engine.sweep(lastProbeUs + 9e6);
    expect(events).toHaveLength(1);
    // A whole window later: the closing report goes out, stamped with the last probe's time.
    engine.sweep(lastProbeUs + 10e6);
    expect(events).toHaveLength(2);
    const closing = events[1];
    expect(closing.time).toBe(lastProbeUs / 1000);
    expect(closing.incidentId).toBe(events[0].incidentId);
    expect(closing.confidence).toBeGreaterThan(events[0].confidence);
    expect(closing.summary).toBe(reference.events.at(-1)!.summary);
    // Nothing left to close.
    engine.flush();
    expect(events).toHaveLength(2);
  });
});
