/**
 * A rule's detection as evidence for fusion: the rule's attacker (or '*' for many sources, with
 * the top sources and the distinct count it measured), its family and confidence.
 */
import type { Evidence } from './evidence.ts';
import type { RuleDetection } from './ruleDetector.ts';

export function evidenceFromRule(detection: RuleDetection): Evidence {
  return {
    time: detection.timeUs / 1000,
    attacker: detection.sourceIp,
    family: detection.threatType,
    category: detection.category,
    target: detection.destinationIp,
    destinationPort: detection.destinationPort,
    ...(detection.ports === undefined ? {} : { ports: detection.ports }),
    protocol: detection.protocol,
    confidence: detection.confidence,
    detector: detection.detector,
    modelVersion: '',
    flowId: '',
    summary: detection.summary,
    sources: detection.attackers,
    distinctSources: detection.distinctSources,
  };
}
