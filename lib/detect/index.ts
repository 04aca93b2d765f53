export type { ThreatEvent, Severity, ThreatCategory, SeverityThresholds } from './threatEvent.ts';
export { severityFor, defaultSeverityThresholds } from './threatEvent.ts';
export type { Incident } from './incident.ts';
export {
  detectorConfigSchema,
  parseDetectorConfig,
  defaultDetectorConfig,
  type DetectorConfig,
  type DetectorConfigInput,
} from './detectorConfig.ts';
export {
  confidenceFromRatio,
  MANY,
  type RuleDetector,
  type RuleDetectorFactory,
  type RuleDetectorContext,
  type RuleDetection,
  type DetectionSink,
  type RuleName,
  type RuleThreatType,
  type AttackerCount,
} from './ruleDetector.ts';
export { ruleDetectors, ruleNames, isRuleName, getRuleDetectorFactory, ruleEnabled } from './ruleDetectors.ts';
export { RuleEngine, type RuleEngineOptions, type RuleEngineStats, type ThreatEventSink } from './ruleEngine.ts';
export { IncidentTracker, defaultIncidentKey, type IncidentTrackerOptions, type IncidentUpdate } from './incidentTracker.ts';
export type { Evidence, StoredEvidence, SourceCount } from './evidence.ts';
export { EvidenceFusion, type FusedAlert, type EvidenceFusionOptions, type FusionStats } from './evidenceFusion.ts';
export { fusionConfigSchema, type FusionConfig, type FusionConfigInput } from './fusionConfig.ts';
export { ModelDetector, featureSources, isBenignFamily, type ModelDetectorOptions } from './modelDetector.ts';
export { evidenceFromRule } from './ruleEvidence.ts';
