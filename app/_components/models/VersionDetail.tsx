'use client';
import type { ModelVersionSummary } from '../../../lib/realtime/contract.ts';
import type { ModelDetails } from '../../../lib/registry/modelDetails.ts';
import { BarChart } from '../charts/BarChart.tsx';
import { bytes, percent } from './format.ts';

/** One version: metrics per test set, confusion matrix, per-class F1, top features, data and parameters. */
export function VersionDetail({ version, details }: { version: ModelVersionSummary; details: ModelDetails | null }) {
  const testSets = details ? Object.entries(details.testSets) : [];
  const [firstName, first] = testSets[0] ?? [null, null];
  const importance = (details?.topFeatures ?? []).slice(0, 15).map((f) => ({ label: f.feature, value: Number((f.share * 100).toFixed(1)) }));
  const f1Bars = (first?.perClass ?? []).map((c) => ({ label: c.class, value: Number(c.f1.toFixed(3)) }));
  return (
    <section className="panel" data-testid="model-detail" data-id={version.id}>
      <div className="panel-header">
        <h2>Version <span className="mono">{version.id}</span> {version.active && <span className="badge">active</span>}</h2>
        <span className="muted">{version.name}</span>
      </div>
      {version.live.reason && <p className="notice" data-testid="live-reason">Not for live monitoring: {version.live.reason}</p>}
      {version.live.note && <p className="notice" data-testid="live-note">{version.live.note}</p>}
      <div className="detail-grid">
        <div>
          <h3>Test sets</h3>
          <div className="table-scroll">
            <table className="versions">
              <thead><tr><th>Test set</th><th className="num">Rows</th><th className="num">Accuracy</th><th className="num">Macro-F1</th></tr></thead>
              <tbody>
                {version.metrics.map((m) => (
                  <tr key={m.testSet}><td>{m.testSet}</td><td className="num">{m.rows}</td><td className="num">{percent(m.accuracy)}</td><td className="num">{percent(m.macroF1)}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>Training</h3>
          <dl className="facts">
            <dt>Feature format</dt><dd>{version.featureFormat ?? '—'} ({version.sourceFormat})</dd>
            <dt>Target</dt><dd>{version.target ?? '—'}</dd>
            <dt>Classes</dt><dd>{version.classes.join(', ')}</dd>
            <dt>Datasets</dt><dd data-testid="model-datasets">{version.datasets.map((d) => `${d.file} (${bytes(d.bytes)})`).join(', ') || '—'}</dd>
            <dt>Parameters</dt>
            <dd className="mono" data-testid="model-params">
              {Object.entries(version.params).map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join(' · ')}
            </dd>
            {version.decisionThreshold !== null && <><dt>Decision threshold</dt><dd>{version.decisionThreshold}</dd></>}
          </dl>
        </div>
        {first?.confusion && (
          <div>
            <h3>Confusion matrix ({firstName}; rows = true class, columns = predicted)</h3>
            <div className="confusion-wrap">
            <table className="confusion" data-testid="confusion-matrix">
              <thead><tr><th />{first.confusion.classes.map((c) => <th key={c} className="num">{c}</th>)}</tr></thead>
              <tbody>
                {first.confusion.matrix.map((row, i) => (
                  <tr key={first.confusion!.classes[i]}>
                    <th>{first.confusion!.classes[i]}</th>
                    {row.map((count, j) => <td key={j} className={`num${i === j ? ' diagonal' : ''}`}>{count}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          </div>
        )}
      </div>
      <div className="charts">
        <BarChart title={`F1 per class${firstName ? ` (${firstName})` : ''}`} bars={f1Bars} color="#22c55e" unit="F1" testId="f1-chart" />
        <BarChart title="Feature importance (% of gain, top 15)" bars={importance} color="#60a5fa" unit="% of gain" maxLabel={32} testId="importance-chart" />
      </div>
    </section>
  );
}
