import { CaptureAnomaly } from './anomalies.ts';
import type { SourceStats } from './frame.ts';

/** What a reader's stats say was lost or altered in a capture, for a warning line. */
export interface CaptureDamage {
  /** True when packets were lost (damaged records skipped, the file cut short); false when only timestamps were replaced. */
  packetsLost: boolean;
  /** One line, e.g. "3 damaged records skipped (412 bytes) after byte 1,048,576; truncated last record". */
  summary: string;
}

/**
 * Anomalies that mean packets were lost or altered. The rest (unknown_block, bad_option,
 * caplen_exceeds_origlen, unusual_version, ...) note odd but fully readable input.
 */
const damageAnomalies: ReadonlySet<string> = new Set<string>([
  CaptureAnomaly.DAMAGED_RECORD,
  CaptureAnomaly.RESYNC_FAILED,
  CaptureAnomaly.TRUNCATED_RECORD,
  CaptureAnomaly.TRUNCATED_HEADER,
  CaptureAnomaly.TRUNCATED_GZIP,
  CaptureAnomaly.BAD_TIMESTAMP,
]);

const number = (value: number): string => value.toLocaleString('en-US');
const plural = (count: number, word: string): string => `${number(count)} ${word}${count === 1 ? '' : 's'}`;

/**
 * Reads a file source's stats: null when no packet was lost or altered, else what and where.
 * Live sources never count these anomalies, so this is for files.
 */
export function describeCaptureDamage(stats: SourceStats): CaptureDamage | null {
  const anomalies = stats.anomalies;
  if (!Object.keys(anomalies).some((name) => damageAnomalies.has(name)) && !stats.truncated) return null;
  const parts: string[] = [];
  const damaged = anomalies[CaptureAnomaly.DAMAGED_RECORD] ?? 0;
  const skippedBytes = anomalies[CaptureAnomaly.SKIPPED_BYTES] ?? 0;
  if (damaged > 0) {
    const where = stats.firstDamageOffset === undefined ? '' : ` after byte ${number(stats.firstDamageOffset)}`;
    const bytes = skippedBytes > 0 ? ` (${plural(skippedBytes, 'byte')})` : '';
    parts.push(`${plural(damaged, 'damaged record')} skipped${bytes}${where}`);
  }
  if ((anomalies[CaptureAnomaly.RESYNC_FAILED] ?? 0) > 0) parts.push('no readable record after the last damage (rest of the file skipped)');
  if ((anomalies[CaptureAnomaly.TRUNCATED_RECORD] ?? 0) > 0) parts.push('truncated last record');
  if ((anomalies[CaptureAnomaly.TRUNCATED_HEADER] ?? 0) > 0) parts.push('truncated file header');
  if ((anomalies[CaptureAnomaly.TRUNCATED_GZIP] ?? 0) > 0) parts.push('gzip stream cut short');
  const badTimestamps = anomalies[CaptureAnomaly.BAD_TIMESTAMP] ?? 0;
  if (badTimestamps > 0) parts.push(`${plural(badTimestamps, 'bad timestamp')} replaced by the previous packet's`);
  const packetsLost =
    damaged > 0 ||
    stats.truncated === true ||
    (anomalies[CaptureAnomaly.RESYNC_FAILED] ?? 0) > 0 ||
    (anomalies[CaptureAnomaly.TRUNCATED_GZIP] ?? 0) > 0;
  return { packetsLost, summary: parts.join('; ') };
}
