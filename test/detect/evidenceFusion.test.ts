/**
 * Evidence fusion on its own: how flow verdicts and rule detections add up per (attacker, family)
 * into alerts. The evidence here is the shape detectors hand over (addresses from the lab's
 * 10.77.0.0/24); the whole path on real captures is tested by the scorecard test.
 */
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../lib/detect/evidence.ts';
import { EvidenceFusion, type FusedAlert } from '../../lib/detect/evidenceFusion.ts';
import type { FusionConfigInput } from '../../lib/detect/fusionConfig.ts';
import { IncidentTracker } from '../../lib/detect/incidentTracker.ts';

const ATTACKER = '10.77.0.66';
const SERVER = '10.77.0.10';

function fusion(config: FusionConfigInput = {}): { fusion: EvidenceFusion; alerts: FusedAlert[] } {
  const alerts: FusedAlert[] = [];
  let id = 0;
  const tracker = new IncidentTracker({ newId: () => `incident-${++id}` });
  return { fusion: new EvidenceFusion({ config, tracker, onAlert: (alert) => alerts.push(alert), newId: () => `event-${++id}` }), alerts };
}

function flowVerdict(time: number, confidence: number, overrides: Partial<Evidence> = {}): Evidence {
  return {
    time, attacker: ATTACKER, family: 'PortScan', category: 'Reconnaissance', target: SERVER, destinationPort: 1000 + time,
    protocol: 'TCP', confidence, detector: 'model', modelVersion: 'gbdt-test', flowId: `flow-${time}`, summary: 'flow scored PortScan', ...overrides,
  };
}

function ruleDetection(time: number, confidence: number, overrides: Partial<Evidence> = {}): Evidence {
  return {
    time, attacker: ATTACKER, family: 'DoS', category: 'Network', target: SERVER, destinationPort: 80, protocol: 'TCP',
    confidence, detector: 'rule:syn-flood', modelVersion: '', flowId: '', summary: '2,400 half-open to 10.77.0.10:80', ...overrides,
  };
}

describe('evidence fusion', () => {
  it('one flow verdict, however confident, is evidence and not an alert', () => {
    const { fusion: f, alerts } = fusion();
    f.add(flowVerdict(1000, 0.99));
    f.flush();
    expect(alerts).toEqual([]);
    expect(f.stats().evidence).toBe(1);
  });

  it('verdicts below the floor are not evidence at all', () => {
    const { fusion: f, alerts } = fusion();
    for (let i = 0; i < 500; i++) f.add(flowVerdict(i, 0.49));
    f.flush();
    expect(alerts).toEqual([]);
    expect(f.stats().evidence).toBe(0);
  });

  it('flow verdicts about one attacker add up to an alert that names it, rising in severity with the evidence', () => {
    const { fusion: f, alerts } = fusion();
    for (let i = 0; i < 40; i++) f.add(flowVerdict(1000 + i * 10, 0.9));
    expect(alerts.length).toBeGreaterThan(1);
    const first = alerts[0]!;
    expect(first.event.sourceIp).toBe(ATTACKER);
    expect(first.event.threatType).toBe('PortScan');
    // 1 − (1 − 0.09)^n ≥ 0.3 first at n = 4; the first verdict is counted but not stored (FirstVerdicts).
    expect(first.evidence).toHaveLength(3);
    expect(first.event.confidence).toBeCloseTo(1 - 0.91 ** 4, 10);
    expect(first.event.severity).toBe('Low');
    expect(alerts.map((a) => a.event.severity)).toEqual(['Low', 'Medium', 'High', 'Critical']);
    // One incident for the attacker, family and target.
    expect(new Set(alerts.map((a) => a.incident.id)).size).toBe(1);
    expect(alerts.every((a) => a.evidence.every((e) => e.incidentId === first.incident.id))).toBe(true);
  });

  it('a rule at its threshold alone is a Medium alert; the model agreeing lifts it and joins the rule\'s family', () => {
    const { fusion: f, alerts } = fusion();
    f.add(ruleDetection(1000, 0.5));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.event).toMatchObject({ severity: 'Medium', threatType: 'DoS', sourceIp: ATTACKER, detector: 'rule:syn-flood' });
    // The model calls the flood's flows PortScan: the rule names the family, so they corroborate the DoS alert.
    for (let i = 0; i < 30; i++) f.add(flowVerdict(1001 + i, 0.9));
    const last = alerts.at(-1)!;
    expect(last.event.threatType).toBe('DoS');
    expect(last.event.detector).toBe('model+rule:syn-flood');
    expect(last.event.confidence).toBeGreaterThan(0.85);
    expect(last.event.severity).toBe('Critical');
    expect(new Set(alerts.map((a) => a.incident.id)).size).toBe(1);
  });

  it('a spoofed flood is one alert naming "many (N)" with its top sources, not one per source', () => {
    const { fusion: f, alerts } = fusion();
    for (let i = 0; i < 3000; i++) f.add(flowVerdict(1000 + i, 0.95, { attacker: `198.51.${i >> 8}.${i & 255}`, family: 'DoS', category: 'Network', destinationPort: 80 }));
    f.add(ruleDetection(4000, 0.9, {
      attacker: '*', distinctSources: 2980, sources: [{ ip: '198.51.0.1', count: 3 }, { ip: '198.51.0.2', count: 2 }],
    }));
    f.flush();
    const incidents = new Set(alerts.map((a) => a.incident.id));
    expect(incidents.size).toBe(1);
    const last = alerts.at(-1)!;
    // 3,000 flow sources: past a few hundred the count is a HyperLogLog estimate (marked ~ when it is
    // above the rule's own count of 2,980), within 15 % (about 4.6 standard errors: never flaky).
    const named = /^many \(~?([\d,]+)\)$/.exec(last.event.sourceIp);
    expect(named, last.event.sourceIp).not.toBeNull();
    expect(Math.abs(Number(named![1]!.replaceAll(',', '')) - 3000)).toBeLessThan(450);
    expect(last.event.destinationIp).toBe(SERVER);
    expect(last.event.summary).toContain('top 198.51.0.1 ×3');
  });

  it('many-source flow verdicts stay quiet below victimMinSources distinct sources', () => {
    const { fusion: f, alerts } = fusion({ victimMinSources: 20 });
    // Two clients of the server each with two odd flows: not a flood, and not enough per client.
    for (let i = 0; i < 4; i++) f.add(flowVerdict(1000 + i, 0.8, { attacker: `10.77.0.2${i % 2}`, family: 'DoS', category: 'Network' }));
    f.flush();
    expect(alerts).toEqual([]);
  });

  it('DoS and brute-force verdicts add up per target: a browser\'s odd flows to six web servers are not one attack', () => {
    const spread = fusion();
    for (let i = 0; i < 6; i++) spread.fusion.add(flowVerdict(1000 + i, 0.9, { family: 'DoS', category: 'Network', target: `192.0.2.${i + 1}`, destinationPort: 80 }));
    spread.fusion.flush();
    expect(spread.alerts).toEqual([]);
    const focused = fusion();
    for (let i = 0; i < 6; i++) focused.fusion.add(flowVerdict(1000 + i, 0.9, { family: 'DoS', category: 'Network', target: '192.0.2.1', destinationPort: 80 }));
    focused.fusion.flush();
    expect(focused.alerts.length).toBeGreaterThan(0);
    expect(focused.alerts[0]!.event).toMatchObject({ sourceIp: ATTACKER, destinationIp: '192.0.2.1', threatType: 'DoS' });
  });

  it('evidence older than the window is forgotten; a key quiet that long starts from nothing', () => {
    const { fusion: f, alerts } = fusion({ windowSeconds: 60 });
    for (let i = 0; i < 3; i++) f.add(flowVerdict(i * 100_000, 0.9));
    f.flush();
    expect(alerts).toEqual([]);
  });

  it('updates an alert at most once per report interval while evidence keeps coming, and sends a closing update', () => {
    const { fusion: f, alerts } = fusion({ reportIntervalSeconds: 30 });
    f.add(ruleDetection(0, 0.99));
    for (let i = 1; i <= 100; i++) f.add(ruleDetection(i * 500, 0.99));
    // 50 s of evidence: the first alert, one at 30 s, and the closing one.
    f.flush();
    expect(alerts.map((a) => a.event.time)).toEqual([0, 30_000, 50_000]);
  });

  it('keeps at most maxKeys keys, dropping the quietest', () => {
    const { fusion: f } = fusion({ maxKeys: 16 });
    for (let i = 0; i < 1000; i++) {
      f.add(flowVerdict(i, 0.9, { attacker: `203.0.113.${i & 255}-${i}` }));
      f.add(flowVerdict(i, 0.9, { attacker: `203.0.113.${i & 255}-${i}` }));
    }
    expect(f.stats().openKeys).toBeLessThanOrEqual(16 + 1);
    expect(f.stats().keysEvicted).toBeGreaterThan(900);
  });

  it('opens no key for an attacker with one flow verdict (a spoofed flood), and counts that verdict once a second comes', () => {
    const { fusion: f } = fusion();
    for (let i = 0; i < 1000; i++) f.add(flowVerdict(i, 0.9, { attacker: `198.51.100.${i & 255}-${i}` }));
    expect(f.stats().openKeys).toBe(0);
    const { fusion: g, alerts } = fusion();
    for (let i = 0; i < 4; i++) g.add(flowVerdict(1000 + i, 0.9));
    expect(g.stats().openKeys).toBe(1);
    // All four verdicts are in the fused confidence, the first one included.
    expect(alerts[0]!.event.confidence).toBeCloseTo(1 - 0.91 ** 4, 10);
  });

  it('stores at most evidencePerAlert evidence rows per alert key', () => {
    const { fusion: f, alerts } = fusion({ evidencePerAlert: 10 });
    for (let i = 0; i < 200; i++) f.add(flowVerdict(i, 0.9));
    f.flush();
    expect(alerts.reduce((n, a) => n + a.evidence.length, 0)).toBe(10);
  });
});
