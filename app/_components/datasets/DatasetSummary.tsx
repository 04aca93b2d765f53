/** One imported dataset: rows, columns, label distribution chart, rejected rows with reasons. */
import type { CatalogueEntry } from '../../../lib/imports/importContract.ts';
import { BarChart } from '../charts/BarChart.tsx';
import { formatCount } from '../format.ts';

export function DatasetSummary({ entry }: { entry: CatalogueEntry }) {
  const bars = Object.entries(entry.labelCounts)
    .map(([label, value]) => ({ label, value }))
    .sort((a, b) => b.value - a.value);
  return (
    <section className="panel" data-testid="dataset-summary" aria-label={`Summary of ${entry.name}`}>
      <div className="panel-header">
        <h2>{entry.name}</h2>
        <span className="muted">
          {entry.sourceFormat} · {entry.variant}
          {entry.featureFormat ? ` · live features: ${entry.featureFormat}` : ' · not usable live (no engine features)'}
        </span>
      </div>
      <div className="ds-facts">
        <div>
          <div className="metric-label">Rows</div>
          <div className="metric-value" data-testid="dataset-rows">{formatCount(entry.rows)}</div>
        </div>
        <div>
          <div className="metric-label">Feature columns</div>
          <div className="metric-value" data-testid="dataset-columns">{formatCount(entry.columns)}</div>
        </div>
        <div>
          <div className="metric-label">Labels</div>
          <div className="metric-value">{formatCount(bars.length)}</div>
        </div>
        <div>
          <div className="metric-label">Rows rejected</div>
          <div className="metric-value" data-testid="dataset-rejected-count">{formatCount(entry.rowsRejected)}</div>
        </div>
        <div>
          <div className="metric-label">Parse time</div>
          <div className="metric-value">{(entry.elapsedMs / 1000).toFixed(1)} s</div>
        </div>
      </div>
      <BarChart title="Label distribution" bars={bars.slice(0, 24)} color="#3b82f6" unit="rows" counts maxLabel={32} testId="label-chart" />
      {bars.length > 24 && <p className="muted">{bars.length - 24} more labels not drawn.</p>}
      <div data-testid="rejected-rows">
        {entry.rowsRejected === 0 ? (
          <p className="muted">No rows rejected.</p>
        ) : (
          <>
            <p>
              Rejected: {Object.entries(entry.rejectedByReason).map(([reason, count]) => `${reason} ${formatCount(count)}`).join(', ')}. First ones:
            </p>
            <ul className="ds-rejected mono">
              {entry.rejectedSamples.map((sample) => (
                <li key={`${sample.file}:${sample.line}:${sample.reason}`} data-testid="rejected-row">
                  {sample.file} line {sample.line}
                  {sample.column ? ` (${sample.column})` : ''}: {sample.reason} — {sample.detail}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
