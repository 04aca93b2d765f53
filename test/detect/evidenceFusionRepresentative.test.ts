/**
 * The representative flow evidence fusion puts on each alert (ThreatEvent.representativeFlow),
 * what the Suricata EVE export writes as the five-tuple and `flow` counters. Evidence in the shape
 * detectors hand over, addresses of the lab's 10.77.0.0/24; real captures are replayed in
 * test/store/eveAlert.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../lib/detect/evidence.ts';
import { EvidenceFusion, type FusedAlert } from '../../lib/detect/evidenceFusion.ts';
import { IncidentTracker } from '../../lib/detect/incidentTracker.ts';

const ATTACKER = '10.77.0.66';
const SERVER = '10.77.0.10';

function fusion(): { fusion: EvidenceFusion; alerts: FusedAlert[] } {
  const alerts: FusedAlert[] = [];
  let id = 0;
  const tracker = new IncidentTracker({ newId: () => `incident-${++id}` });
  return { fusion: new EvidenceFusion({ tracker, onAlert: (alert) => alerts.push(alert), newId: () => `event-${++id}` }), alerts };
}

function rule(time: number, confidence: number, overrides: Partial<Evidence> = {}): Evidence {
  return {
    time, attacker: ATTACKER, family: 'DoS', category: 'Network', target: SERVER, destinationPort: 80, protocol: 'TCP',
    confidence, detector: 'rule:syn-flood', modelVersion: '', flowId: '', summary: 'SYN flood', ...overrides,
  };
}

function verdict(time: number, confidence: number, sourcePort: number): Evidence {
  return {
    time, attacker: ATTACKER, family: 'DoS', category: 'Network', target: SERVER, destinationPort: 80, protocol: 'TCP',
    confidence, detector: 'model', modelVersion: 'gbdt-test', flowId: `${ATTACKER}-${SERVER}-${sourcePort}-80-6`, summary: 'flow scored DoS',
    flow: { sourcePort, packetsToServer: 2, packetsToClient: 1, bytesToServer: 0, bytesToClient: 0, startMs: time - 5 },
  };
}

describe('evidence fusion: the representative flow of an alert', () => {
  it('is the most confident flow verdict since the previous alert, with its ports and counters', () => {
    const { fusion: f, alerts } = fusion();
    f.add(rule(1000, 0.5));
    expect(alerts).toHaveLength(1);
    // Rule only: the attacker and target, no single flow.
    expect(alerts[0]!.event.representativeFlow).toEqual({
      sourceIp: ATTACKER, destinationIp: SERVER, sourcePort: 0, destinationPort: 80, flowId: '',
      packetsToServer: 0, packetsToClient: 0, bytesToServer: 0, bytesToClient: 0, startMs: 1000,
    });
    f.add(verdict(1010, 0.8, 40001));
    f.add(verdict(1020, 0.99, 40002));
    f.add(verdict(1030, 0.9, 40003));
    f.flush();
    const last = alerts.at(-1)!;
    expect(last.event.detector).toBe('model+rule:syn-flood');
    expect(last.event.representativeFlow).toEqual({
      sourceIp: ATTACKER, destinationIp: SERVER, sourcePort: 40002, destinationPort: 80, flowId: `${ATTACKER}-${SERVER}-40002-80-6`,
      packetsToServer: 2, packetsToClient: 1, bytesToServer: 0, bytesToClient: 0, startMs: 1015,
    });
    // Only the evidence flows count: the alert event's own flowId stays '' (fused alerts stand for many flows).
    expect(last.event.flowId).toBe('');
  });

  it('names the top source and the most-hit target when a rule alert stands for many', () => {
    const { fusion: f, alerts } = fusion();
    const sources = [{ ip: '198.51.100.7', count: 3 }, { ip: '198.51.100.9', count: 1 }];
    f.add(rule(1000, 0.6, { attacker: '*', sources, distinctSources: 4000 }));
    const event = alerts[0]!.event;
    expect(event.sourceIp).toBe('many (4,000)');
    expect(event.representativeFlow).toMatchObject({ sourceIp: '198.51.100.7', destinationIp: SERVER, flowId: '', packetsToServer: 0 });

    const scan = fusion();
    for (const [i, target] of ['10.77.0.21', '10.77.0.22', '10.77.0.22', '10.77.0.23'].entries()) {
      scan.fusion.add(rule(2000 + i, 0.6, { family: 'PortScan', category: 'Reconnaissance', detector: 'rule:port-scan', target, destinationPort: 0 }));
    }
    scan.fusion.flush();
    const sweep = scan.alerts.at(-1)!.event;
    expect(sweep.destinationIp).toBe('*');
    expect(sweep.representativeFlow).toMatchObject({ sourceIp: ATTACKER, destinationIp: '10.77.0.22', destinationPort: 0 });
  });
});
