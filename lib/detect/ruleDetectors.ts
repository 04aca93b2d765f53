/**
 * The rule registry: every rule detector by name, one file each under rules/. The engine builds
 * the enabled ones from here; an unknown name fails loudly (getRuleDetectorFactory).
 */
import type { DetectorConfig } from './detectorConfig.ts';
import type { RuleDetectorFactory, RuleName } from './ruleDetector.ts';
import { createBruteForceDetector } from './rules/bruteForce.ts';
import { createHttpFloodDetector } from './rules/httpFlood.ts';
import { createIcmpFloodDetector } from './rules/icmpFlood.ts';
import { createPortScanDetector } from './rules/portScan.ts';
import { createSlowlorisDetector } from './rules/slowloris.ts';
import { createSynFloodDetector } from './rules/synFlood.ts';
import { createUdpFloodDetector } from './rules/udpFlood.ts';

export const ruleDetectors: Readonly<Record<RuleName, RuleDetectorFactory>> = {
  'port-scan': createPortScanDetector,
  'syn-flood': createSynFloodDetector,
  'udp-flood': createUdpFloodDetector,
  'icmp-flood': createIcmpFloodDetector,
  'brute-force': createBruteForceDetector,
  slowloris: createSlowlorisDetector,
  'http-flood': createHttpFloodDetector,
};

export const ruleNames = Object.keys(ruleDetectors) as RuleName[];

export function isRuleName(name: string): name is RuleName {
  return Object.hasOwn(ruleDetectors, name);
}

export function getRuleDetectorFactory(name: string): RuleDetectorFactory {
  if (!isRuleName(name)) throw new Error(`unknown rule detector "${name}"; known: ${ruleNames.join(', ')}`);
  return ruleDetectors[name];
}

/** Whether the config enables a rule (each rule has its own `enabled` switch). */
export function ruleEnabled(config: DetectorConfig, name: RuleName): boolean {
  switch (name) {
    case 'port-scan':
      return config.portScan.enabled;
    case 'syn-flood':
      return config.synFlood.enabled;
    case 'udp-flood':
      return config.udpFlood.enabled;
    case 'icmp-flood':
      return config.icmpFlood.enabled;
    case 'brute-force':
      return config.bruteForce.enabled;
    case 'slowloris':
      return config.slowloris.enabled;
    case 'http-flood':
      return config.httpFlood.enabled;
  }
}
