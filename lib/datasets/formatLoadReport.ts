/** Human-readable summary of a LoadReport, for the CLI and training logs. */
import type { LoadReport } from './loadDataset.ts';

const count = (n: number) => n.toLocaleString('en-US');

export function formatLoadReport(report: LoadReport): string {
  const lines: string[] = [];
  lines.push(`${report.format} — ${report.variant}; live feature format: ${report.featureFormat ?? 'none'}`);
  lines.push(`${count(report.rows)} rows × ${report.columns} features from ${report.files.length} file(s)`
    + ` in ${(report.elapsedMs / 1000).toFixed(2)} s (${count(Math.round(report.rowsPerSecond))} rows/s)${report.truncated ? ', stopped at maxRows' : ''}`);
  for (const file of report.files) {
    lines.push(`  ${file.path}${file.gzip ? ' (gzip)' : ''}: ${count(file.rowsKept)} kept, ${count(file.rowsDropped)} dropped`);
  }
  lines.push('labels:');
  const labels = Object.entries(report.labelCounts).sort((a, b) => b[1] - a[1]);
  const width = Math.max(...labels.map(([label]) => label.length));
  for (const [label, n] of labels) {
    lines.push(`  ${label.padEnd(width)}  ${count(n).padStart(11)}  ${((100 * n) / report.rows).toFixed(2).padStart(6)}%`);
  }
  if (report.attemptedLabels.length > 0) lines.push(`attempted-attack labels (kept separate): ${report.attemptedLabels.join(', ')}`);
  for (const [raw, clean] of Object.entries(report.relabelled)) lines.push(`relabelled ${JSON.stringify(raw)} → ${JSON.stringify(clean)}`);
  if (report.rowsDropped > 0) {
    lines.push(`dropped ${count(report.rowsDropped)} row(s):`);
    for (const [reason, entry] of Object.entries(report.dropped)) {
      const where = entry.samples.map((s) => `${s.file}:${s.line}${s.column ? ` [${s.column}]` : ''} ${s.detail}`).join('; ');
      lines.push(`  ${reason}: ${count(entry.count)} (first: ${where})`);
    }
  }
  const nonFinite = Object.entries(report.nonFinite);
  if (nonFinite.length > 0) {
    lines.push(`non-finite cells (infinity stored as ${report.infinity === 'keep' ? '±Infinity' : 'NaN'}):`);
    for (const [name, { missing, infinite }] of nonFinite) lines.push(`  ${name}: ${count(missing)} missing, ${count(infinite)} infinite`);
  }
  if (report.missingColumns.length > 0) lines.push(`columns absent from these files: ${report.missingColumns.join(', ')}`);
  lines.push(`not used as features: ${report.excludedColumns.join(', ')}`);
  return lines.join('\n');
}
