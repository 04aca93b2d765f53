export { Frame, type FrameSink, type PacketSource, type SourceStats } from './frame.ts';
export { LinkType, isSupportedLinkType, type LinkTypeValue } from './linkTypes.ts';
export { CaptureAnomaly, type CaptureAnomalyName } from './anomalies.ts';
export { CaptureError, CaptureErrorCode, type CaptureErrorCodeValue } from './errors.ts';
export { openCaptureFile } from './fileSource.ts';
export { PcapParser } from './pcapParser.ts';
export { PcapngParser } from './pcapngParser.ts';
export { RecordParser } from './recordParser.ts';
export { detectCaptureFormat, createParser, type CaptureFormat } from './captureFormat.ts';
