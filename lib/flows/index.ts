export { FlowTable, type FlowTableOptions, type FlowTableStats } from './flowTable.ts';
export { FlowView, FlowEndReason, type FlowEndReasonValue, type FlowMode } from './flowView.ts';
export { F, I, Stat, Bulk } from './flowStore.ts';
export {
  type FeatureFormat,
  type FeatureColumn,
  type ColumnKind,
  type TextContext,
  columnsFromHeader,
  flowAddressText,
} from './featureFormat.ts';
export { featureFormats, getFeatureFormat, registerFeatureFormat } from './featureFormats.ts';
export { cic2017Format, cic2017FlowId, CIC2017_HEADER_LINE } from './cic2017Format.ts';
export { correctedFormat, correctedFlowId, CORRECTED_HEADER_LINE } from './correctedFormat.ts';
export { FlowCsvWriter, formatFlowLine, type FlowCsvWriterOptions, type TextSink } from './csvWriter.ts';
export { javaDouble, javaLong, cic2017Timestamp, isoMicrosTimestamp } from './cellText.ts';
export {
  extractFlows,
  extractFlowsFromFile,
  linkTrailerLength,
  type ExtractFlowsOptions,
  type ExtractFlowsResult,
} from './extractFlows.ts';
export { formatSession } from './featureFormat.ts';
export { kddFormat, KDD_FEATURE_NAMES, KDD_CONTENT_FEATURES, KDD_HEADER_LINE } from './kdd/kddFormat.ts';
