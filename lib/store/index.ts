export { openStore, DEFAULT_RETENTION_DAYS } from './openStore.ts';
export { Store, type StoreOptions, type SynchronousMode } from './store.ts';
export { StoreError, StoreErrorCode } from './errors.ts';
export { migrate, migrations, LATEST_SCHEMA_VERSION, type Migration, type MigrationResult } from './migrations.ts';
export type { CaptureSession, SessionStatus } from './captureSession.ts';
export type { StoredThreat } from './threatRow.ts';
export { startSession, type StartSessionInput } from './startSession.ts';
export { endSession, type EndSessionInput } from './endSession.ts';
export { closeInterruptedSessions } from './closeInterruptedSessions.ts';
export { listSessions, LIST_SESSIONS_MAX } from './listSessions.ts';
export { insertThreats } from './insertThreats.ts';
export { upsertIncidents } from './upsertIncidents.ts';
export { listRecentIncidents, LIST_RECENT_INCIDENTS_MAX, type StoredIncident } from './listRecentIncidents.ts';
export { commitDetections } from './commitDetections.ts';
export { insertEvidence } from './insertEvidence.ts';
export { listEvidence, LIST_EVIDENCE_MAX } from './listEvidence.ts';
export { recordCounters, type IntervalCounters } from './recordCounters.ts';
export { getSessionSummary, TOP_ATTACK_TYPES, type SessionSummary } from './getSessionSummary.ts';
export { listRecentThreats, LIST_RECENT_THREATS_MAX, type ListRecentThreatsOptions } from './listRecentThreats.ts';
export { applyRetention, type RetentionOptions, type RetentionResult } from './applyRetention.ts';
export {
  streamThreatReport,
  REPORT_COLUMNS,
  type ThreatReportQuery,
  type ThreatReportOptions,
} from './reportCsv.ts';
export { csvTextCell, csvNumberCell, csvLine } from './csvCell.ts';
export { streamEveAlerts, type EveAlertsQuery, type EveAlertsOptions } from './eveStream.ts';
export { eveAlert, eveAlertLine, eveTimestamp, eveFlowId, EVE_SEVERITY, type EveAlertRecord, type EveMetadata } from './eveAlert.ts';
export { eveSignatureFor, EVE_GENERATOR_ID, RULE_SIGNATURES, MODEL_SIGNATURES, type EveSignature } from './eveSignatures.ts';
