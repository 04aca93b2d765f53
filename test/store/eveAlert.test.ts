/**
 * Suricata EVE JSON export of alerts: real alerts (lab captures replayed through the Monitor)
 * formatted by eveAlert, checked field by field against Suricata's own schema and what log
 * shippers' Suricata modules rely on, then streamed back from the store.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleNames } from '../../lib/detect/ruleDetectors.ts';
import type { ThreatEvent } from '../../lib/detect/threatEvent.ts';
import { THREAT_CATEGORY_OF_FAMILY } from '../../lib/datasets/families.ts';
import { eveAlert, eveAlertLine, type EveAlertRecord, eveFlowId, eveTimestamp } from '../../lib/store/eveAlert.ts';
import { eveSignatureFor, MODEL_SIGNATURES, RULE_SIGNATURES } from '../../lib/store/eveSignatures.ts';
import { streamEveAlerts } from '../../lib/store/eveStream.ts';
import { insertThreats } from '../../lib/store/insertThreats.ts';
import { startSession } from '../../lib/store/startSession.ts';
import type { Store } from '../../lib/store/store.ts';
import { eveAlertErrors, eveSchema, eveTimeMs, schemaErrors } from './eveSchema.ts';
import { type ReplayedSession, replayScenarios } from './eveReplay.ts';
import { tempDatabasePath } from './tempStore.ts';

interface Truth {
  attackers: string[];
  victims: string[];
  attackStartUs: number;
  attackEndUs: number;
}
const truth = (scenario: string): Truth =>
  JSON.parse(readFileSync(new URL(`../../datasets/lab/${scenario}.truth.json`, import.meta.url), 'utf8')) as Truth;

const temp = tempDatabasePath();
let store: Store;
let sessions: ReplayedSession[];
const session = (scenario: string) => sessions.find((s) => s.scenario === scenario)!;
const records = (scenario: string): { event: ThreatEvent; record: EveAlertRecord }[] =>
  session(scenario).events.map((event) => ({ event, record: eveAlert(event, { sessionId: session(scenario).sessionId }) }));

async function collect(write: (out: PassThrough) => Promise<unknown>): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  await write(out);
  return text;
}

beforeAll(async () => {
  ({ store, sessions } = await replayScenarios(temp.path));
  for (const replayed of sessions) expect(replayed.events.length, replayed.scenario).toBeGreaterThan(0);
}, 180_000);

afterAll(() => {
  store?.close();
  temp.remove();
});

describe('EVE alert records', () => {
  it('the checker fails on what Suricata\'s schema or the shippers refuse', () => {
    const good = records('scan-syn-lan')[0]!.record;
    expect(eveAlertErrors(good)).toEqual([]);
    const broken = (change: (copy: Record<string, unknown> & { alert: Record<string, unknown>; flow: Record<string, unknown> }) => void) => {
      const copy = structuredClone(good) as unknown as Record<string, unknown> & { alert: Record<string, unknown>; flow: Record<string, unknown> };
      change(copy);
      return eveAlertErrors(copy);
    };
    expect(broken((c) => (c.flow_id = String(c.flow_id)))).toEqual([expect.stringMatching(/^\$\.flow_id: expected integer/)]);
    expect(broken((c) => (c.netguard = {}))).toEqual(['$: "netguard" is not allowed']);
    expect(broken((c) => (c.alert.confidence = 0.9))).toEqual(['$.alert: "confidence" is not allowed']);
    expect(broken((c) => (c.flow.packets = 1))).toEqual(['$.flow: "packets" is not allowed']);
    expect(broken((c) => (c.alert.severity = '1'))).toEqual([expect.stringMatching(/^\$\.alert\.severity: expected integer/)]);
    expect(broken((c) => (c.timestamp = '2026-12-04T14:55:46.032Z'))).toEqual([expect.stringMatching(/^\$\.timestamp: .* does not match/)]);
    expect(broken((c) => (c.timestamp = '2026-12-04T14:55:46.032+0000'))).toEqual([expect.stringMatching(/^timestamp .* is not/)]);
    expect(broken((c) => delete c.dest_ip)).toEqual(['$: missing "dest_ip"']);
    expect(broken((c) => delete c.flow.bytes_toclient)).toEqual(['$.flow: missing "bytes_toclient"']);
    expect(broken((c) => (c.src_ip = 'many (20)'))).toEqual(['src_ip "many (20)" is not an IP address']);
    expect(broken((c) => (c.alert.severity = 4))).toEqual(['alert.severity 4']);
    expect(broken((c) => (c.flow_id = 2 ** 53))).toEqual([`flow_id ${2 ** 53} is not a positive integer below 2^53`]);
    expect(broken((c) => (c.proto = 'ICMP'))).toEqual(['src_port on a ICMP line', 'dest_port on a ICMP line']);
    expect(() => schemaErrors({}, { type: 'object', minProperties: 1 })).toThrow(/not supported/);
  });

  it('every real alert is a valid EVE alert line that says what the alert says', () => {
    let checked = 0;
    for (const replayed of sessions) {
      for (const { event, record } of records(replayed.scenario)) {
        expect(eveAlertErrors(record), `${replayed.scenario}: ${JSON.stringify(record)}`).toEqual([]);
        // Packet time to the microsecond, UTC.
        expect(Math.abs(eveTimeMs(record.timestamp) - event.time)).toBeLessThan(0.001);
        expect(record.alert.severity).toBe({ Critical: 1, High: 1, Medium: 2, Low: 3 }[event.severity]);
        const signature = eveSignatureFor(event.detector, event.threatType);
        expect(record.alert).toMatchObject({ action: 'allowed', gid: 1, signature_id: signature.signatureId, rev: signature.rev, signature: signature.signature, category: signature.category });
        expect(record.alert.metadata).toMatchObject({
          netguard_event_id: [event.id],
          netguard_incident_id: [event.incidentId],
          netguard_session_id: [replayed.sessionId],
          netguard_threat_type: [event.threatType],
          netguard_severity: [event.severity],
          netguard_detector: [event.detector],
          netguard_confidence: [event.confidence.toFixed(3)],
        });
        // A named attacker or target is the line's address; "many" is kept in the metadata.
        if (isIP(event.sourceIp) !== 0) expect(record.src_ip).toBe(event.sourceIp);
        else expect(record.alert.metadata.netguard_sources).toEqual([event.sourceIp]);
        if (isIP(event.destinationIp) !== 0) expect(record.dest_ip).toBe(event.destinationIp);
        else expect(record.alert.metadata.netguard_destinations).toEqual(['many']);
        // The representative flow's counters and id, or zeros and the incident for a rule-only alert.
        const flow = event.representativeFlow!;
        expect(flow, 'fusion names a representative flow').toBeDefined();
        expect(record.flow).toEqual({
          pkts_toserver: flow.packetsToServer,
          pkts_toclient: flow.packetsToClient,
          bytes_toserver: flow.bytesToServer,
          bytes_toclient: flow.bytesToClient,
          start: eveTimestamp(flow.startMs),
        });
        expect(record.flow_id).toBe(eveFlowId(flow.flowId !== '' ? `${flow.flowId}|${Math.round(flow.startMs * 1000)}` : `incident|${event.incidentId}`));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('a spoofed SYN flood is one address on the line, "many (N)" sources in the metadata', () => {
    const { victims, attackers } = truth('dos-synflood-randsrc-lan');
    const lines = records('dos-synflood-randsrc-lan').map((r) => r.record);
    const many = lines.filter((line) => /^many \(~?[\d,]+\)$/.test(line.alert.metadata.netguard_sources?.[0] ?? ''));
    expect(many.length).toBeGreaterThan(0);
    for (const line of many) {
      expect(line).toMatchObject({ dest_ip: victims[0], dest_port: 80, proto: 'TCP' });
      expect(line.alert.signature_id).toBe(RULE_SIGNATURES['syn-flood']!.signatureId);
      // The top spoofed source: never a lab host, never the real attacker (hping3 hid it).
      expect(line.src_ip.startsWith('10.77.0.')).toBe(false);
      expect(attackers).not.toContain(line.src_ip);
    }
    // Corroborated by the model: one flagged flow of the flood stands for the alert, with its counters.
    const withFlow = many.filter((line) => line.flow.pkts_toserver > 0);
    expect(withFlow.length).toBeGreaterThan(0);
    expect(withFlow.every((line) => line.src_port! > 0 && line.alert.metadata.netguard_detector[0]!.includes('model'))).toBe(true);
  });

  it('an ICMP flood line names attacker and victim and has no ports, as Suricata writes ICMP', () => {
    const { victims, attackers } = truth('dos-icmpflood-lan');
    for (const { record } of records('dos-icmpflood-lan')) {
      expect(record).toMatchObject({ src_ip: attackers[0], dest_ip: victims[0], proto: 'ICMP' });
      expect(record).not.toHaveProperty('src_port');
      expect(record).not.toHaveProperty('dest_port');
      expect(record.alert.signature_id).toBe(RULE_SIGNATURES['icmp-flood']!.signatureId);
    }
  });

  it('a port scan and a password guesser carry the flagged flow: its ports, packets and start', () => {
    for (const [scenario, rule] of [['scan-syn-lan', 'port-scan'], ['brute-ssh-lan-22', 'brute-force']] as const) {
      const { victims, attackers, attackStartUs, attackEndUs } = truth(scenario);
      const lines = records(scenario);
      for (const { record } of lines) {
        expect(record, scenario).toMatchObject({ src_ip: attackers[0], dest_ip: victims[0], proto: 'TCP' });
        expect(record.alert.signature_id).toBe(RULE_SIGNATURES[rule]!.signatureId);
      }
      const flows = lines.filter(({ event }) => event.representativeFlow!.flowId !== '');
      expect(flows.length, scenario).toBeGreaterThan(0);
      for (const { event, record } of flows) {
        const flow = event.representativeFlow!;
        expect(flow.flowId).toBe(`${record.src_ip}-${record.dest_ip}-${record.src_port}-${record.dest_port}-6`);
        expect(record.src_port).toBeGreaterThan(1023);
        expect(record.flow.pkts_toserver).toBeGreaterThan(0);
        // The flow started during the attack (the capture's own clock).
        const startMs = eveTimeMs(record.flow.start);
        expect(startMs).toBeGreaterThanOrEqual(attackStartUs / 1000 - 1);
        expect(startMs).toBeLessThanOrEqual(attackEndUs / 1000 + 1);
      }
      if (scenario === 'brute-ssh-lan-22') expect(flows.every(({ record }) => record.dest_port === 22)).toBe(true);
    }
  });

  it('streams a session\'s stored alerts back as the same lines, oldest first, NDJSON', async () => {
    for (const replayed of sessions) {
      const text = await collect((out) => streamEveAlerts(store, { sessionId: replayed.sessionId }, out, { chunkChars: 512 }));
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.slice(0, -1).split('\n');
      const expected = new Map(replayed.events.map((event) => [event.id, eveAlertLine(event, { sessionId: replayed.sessionId })]));
      expect(lines.length, replayed.scenario).toBe(expected.size);
      for (const line of lines) {
        const record = JSON.parse(line) as EveAlertRecord;
        expect(line).toBe(expected.get(record.alert.metadata.netguard_event_id[0]!));
      }
      const times = lines.map((line) => eveTimeMs((JSON.parse(line) as EveAlertRecord).timestamp));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    const all = await collect((out) => streamEveAlerts(store, {}, out));
    expect(all.split('\n').filter(Boolean).length).toBe(sessions.reduce((sum, s) => sum + s.events.length, 0));
  });

  it('exports rows stored before the representative flow existed with the alert\'s own addresses and zero counters', async () => {
    const { events } = session('dos-icmpflood-lan');
    const old = { ...events[0]!, id: `${events[0]!.id}-v2`, incidentId: 'stored-by-schema-v2' };
    delete old.representativeFlow;
    const sessionId = startSession(store, { source: 'schema v2 row' }).id;
    insertThreats(store, sessionId, [old]);
    const text = await collect((out) => streamEveAlerts(store, { sessionId }, out));
    const record = JSON.parse(text) as EveAlertRecord;
    expect(eveAlertErrors(record)).toEqual([]);
    expect(record).toMatchObject({ src_ip: old.sourceIp, dest_ip: old.destinationIp, flow_id: eveFlowId('incident|stored-by-schema-v2') });
    expect(record.flow).toEqual({ pkts_toserver: 0, pkts_toclient: 0, bytes_toserver: 0, bytes_toclient: 0, start: eveTimestamp(old.time) });
  });
});

describe('EVE field formats', () => {
  it('timestamps carry microseconds and a +0000 offset', () => {
    expect(eveTimestamp(1_796_396_890_766.432)).toBe('2026-12-04T15:08:10.766432+0000');
    expect(eveTimestamp(1_796_396_890_000)).toBe('2026-12-04T15:08:10.000000+0000');
    expect(eveTimestamp(1_796_396_890_999.9996)).toBe('2026-12-04T15:08:11.000000+0000');
    expect(eveTimeMs(eveTimestamp(1_796_396_890_766.432))).toBeCloseTo(1_796_396_890_766.432, 3);
    expect(eveTimeMs('2026-12-04T16:08:10.766432+0100')).toBeCloseTo(1_796_396_890_766.432, 3);
  });

  it('flow ids are stable positive integers below 2^53', () => {
    const id = eveFlowId('10.77.0.66-10.77.0.10-53420-995-6|1796396146030001');
    expect(id).toBe(eveFlowId('10.77.0.66-10.77.0.10-53420-995-6|1796396146030001'));
    expect(id).not.toBe(eveFlowId('10.77.0.66-10.77.0.10-53420-995-6|1796396146030002'));
    for (let i = 0; i < 2000; i++) {
      const value = eveFlowId(`flow ${i}`);
      expect(Number.isSafeInteger(value) && value > 0).toBe(true);
    }
  });

  it('one signature per rule and per family, ids unique inside NetGuard\'s local range', () => {
    for (const rule of ruleNames) expect(RULE_SIGNATURES, rule).toHaveProperty(rule);
    const families = Object.keys(THREAT_CATEGORY_OF_FAMILY).filter((family) => THREAT_CATEGORY_OF_FAMILY[family] !== 'None');
    for (const family of families) expect(MODEL_SIGNATURES, family).toHaveProperty(family);
    const ids = [...Object.values(RULE_SIGNATURES), ...Object.values(MODEL_SIGNATURES)].map((s) => s.signatureId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id >= 1_770_000 && id <= 1_770_999).toBe(true);
    // A rule that contributed decides; unknown names get the catch-all ids, never a prototype member.
    expect(eveSignatureFor('model+rule:syn-flood', 'DoS')).toBe(RULE_SIGNATURES['syn-flood']);
    expect(eveSignatureFor('model', 'DoS')).toBe(MODEL_SIGNATURES.DoS);
    expect(eveSignatureFor('model', 'constructor').signatureId).toBe(1_770_599);
    expect(eveSignatureFor('rule:new-rule', 'DoS').signatureId).toBe(1_770_199);
  });

  it('the vendored schema is Suricata\'s alert record (top level closed, event_type and timestamp required)', () => {
    expect(eveSchema).toMatchObject({ type: 'object', additionalProperties: false, required: ['event_type', 'timestamp'] });
    expect(Object.keys(eveSchema.properties as object)).toEqual(expect.arrayContaining(['alert', 'flow', 'flow_id', 'src_ip', 'dest_port']));
  });
});
