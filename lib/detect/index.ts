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
} from './ruleDetector.ts';
export { ruleDetectors, ruleNames, isRuleName, getRuleDetectorFactory, ruleEnabled } from './ruleDetectors.ts';
export { RuleEngine, type RuleEngineOptions, type RuleEngineStats, type ThreatEventSink } from './ruleEngine.ts';
export { IncidentTracker, defaultIncidentKey, type IncidentTrackerOptions, type IncidentUpdate } from './incidentTracker.ts';
