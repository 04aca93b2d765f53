import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findLabScenarios, labFlowTable, type LabScenario } from '../../../lib/model/train/labFlows.ts';
import { LabFlowLabeler, type LabTruth } from '../../../lib/model/train/labTruth.ts';

const LAB = fileURLToPath(new URL('../../../datasets/lab', import.meta.url));
const scenarios = await findLabScenarios(LAB);
const bySize = (a: LabScenario, b: LabScenario) => statSync(a.capturePath).size - statSync(b.capturePath).size;
/** The smallest recorded capture of each kind keeps the test fast. */
const plain = scenarios.filter((s) => s.truth.family !== null && !s.truth.spoofedSources).sort(bySize)[0];
const spoofed = scenarios.filter((s) => s.truth.spoofedSources).sort(bySize)[0];
const benignOnly = scenarios.filter((s) => s.truth.family === null).sort(bySize)[0];

const FEATURES = ['Flow Duration', 'Total Fwd Packet', 'Total Bwd packets', 'SYN Flag Count'];

describe('lab flow labelling (datasets/lab truth files)', () => {
  it.skipIf(plain === undefined)('labels exactly the flows with an attacker endpoint as the scenario family', async () => {
    const flows = await labFlowTable(plain!, FEATURES, 'BENIGN');
    const attackers = new Set(plain!.truth.attackers);
    expect(flows.table.labelNames).toEqual(['BENIGN', plain!.truth.family]);
    for (let row = 0; row < flows.table.rowCount; row++) {
      const attack = attackers.has(flows.sourceIps[row]!) || attackers.has(flows.destinationIps[row]!);
      expect(flows.table.labelCodes[row], `${flows.sourceIps[row]} -> ${flows.destinationIps[row]}`).toBe(attack ? 1 : 0);
    }
    expect(flows.attackFlows).toBeGreaterThan(0);
    if (plain!.truth.benignHosts.length > 0) expect(flows.benignFlows).toBeGreaterThan(0);
  }, 20_000);

  it.skipIf(spoofed === undefined)('labels spoofed-source flows towards a victim inside the attack window as attacks', async () => {
    const truth = spoofed!.truth;
    const flows = await labFlowTable(spoofed!, FEATURES, 'BENIGN');
    const labHosts = new Set([...truth.attackers, ...truth.victims, ...truth.benignHosts]);
    let attack = 0;
    for (let row = 0; row < flows.table.rowCount; row++) {
      if (flows.table.labelCodes[row] !== 1) {
        // Nothing between two lab hosts is an attack unless the attacker is one of them.
        continue;
      }
      attack++;
      const ends = [flows.sourceIps[row]!, flows.destinationIps[row]!];
      const viaAttacker = ends.some((address) => truth.attackers.includes(address));
      const spoofedToVictim = ends.some((address) => truth.victims.includes(address)) && ends.some((address) => !labHosts.has(address));
      expect(viaAttacker || spoofedToVictim).toBe(true);
    }
    // A spoofed flood makes many attack flows from many sources.
    expect(attack).toBeGreaterThan(100);
    for (let row = 0; row < flows.table.rowCount; row++) {
      if (labHosts.has(flows.sourceIps[row]!) && labHosts.has(flows.destinationIps[row]!) && !truth.attackers.includes(flows.sourceIps[row]!) && !truth.attackers.includes(flows.destinationIps[row]!)) {
        expect(flows.table.labelCodes[row]).toBe(0);
      }
    }
  }, 20_000);

  it.skipIf(benignOnly === undefined)('labels every flow of a benign-only scenario benign', async () => {
    const flows = await labFlowTable(benignOnly!, FEATURES, 'BENIGN');
    expect(flows.table.labelNames).toEqual(['BENIGN']);
    expect(flows.attackFlows).toBe(0);
    expect(flows.benignFlows).toBeGreaterThan(10);
  }, 20_000);

  it('applies the window only to spoofed scenarios, in either flow orientation', () => {
    // The rule on the contract's own example addresses (no traffic involved).
    const truth: LabTruth = {
      scenario: 'contract-example', split: 'train', network: 'lan', description: '', family: 'DoS', attackers: ['10.77.0.66'],
      spoofedSources: true, victims: ['10.77.0.10'], benignHosts: ['10.77.0.21'], attackStartUs: 1_000, attackEndUs: 2_000, commands: [],
    };
    const labeler = new LabFlowLabeler(truth);
    expect(labeler.isAttack({ sourceIp: '10.77.0.66', destinationIp: '10.77.0.10', startUs: 0, lastUs: 10 })).toBe(true);
    expect(labeler.isAttack({ sourceIp: '203.0.113.9', destinationIp: '10.77.0.10', startUs: 1_500, lastUs: 1_600 })).toBe(true);
    expect(labeler.isAttack({ sourceIp: '10.77.0.10', destinationIp: '203.0.113.9', startUs: 1_500, lastUs: 1_600 })).toBe(true);
    expect(labeler.isAttack({ sourceIp: '203.0.113.9', destinationIp: '10.77.0.10', startUs: 2_500, lastUs: 2_600 })).toBe(false);
    expect(labeler.isAttack({ sourceIp: '10.77.0.21', destinationIp: '10.77.0.10', startUs: 1_500, lastUs: 1_600 })).toBe(false);
    expect(new LabFlowLabeler({ ...truth, spoofedSources: false }).isAttack({ sourceIp: '203.0.113.9', destinationIp: '10.77.0.10', startUs: 1_500, lastUs: 1_600 })).toBe(false);
  });
});
