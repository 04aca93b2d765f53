'use client';
import type { ModelVersionSummary } from '../../../lib/realtime/contract.ts';
import { KDD_CONTENT_FEATURES } from '../../../lib/flows/kdd/kddFormat.ts';
import type { ModelDetails } from '../../../lib/registry/modelDetails.ts';
import { BarChart } from '../charts/BarChart.tsx';
import { bytes, percent } from './format.ts';

const ZERO_LIVE_COLOR = '#64748b';

/**
 * The features this version reads that the live engine always writes as 0: an NSL-KDD model's
 * payload-content features (lib/flows/kdd), when the registry marks it live-capable with that note.
 */
function zeroLiveFeatures(version: ModelVersionSummary): ReadonlySet<string> {
  if (version.featureFormat !== 'kdd' || !version.live.capable || !version.live.note) return new Set();
  return new Set<string>(KDD_CONTENT_FEATURES);
}

/** What the stored threshold does for this model (lib/model/score/decisionThreshold.ts). */
function thresholdRule(version: ModelVersionSummary, threshold: number): string {
  const t = Number(threshold.toPrecision(3));
  return version.classes.length === 2
    ? `attack when P(attack) ≥ ${t}`
    : `attack when 1 − P(benign) ≥ ${t}, then the most probable attack class`;
}

/** One version: metrics per test set, confusion matrix, per-class F1, top features, data and parameters. */
export function VersionDetail({ version, details }: { version: ModelVersionSummary; details: ModelDetails | null }) {
  const testSets = details ? Object.entries(details.testSets) : [];
  const [firstName, first] = testSets[0] ?? [null, null];
  const zeroLive = zeroLiveFeatures(version);
  const top = (details?.topFeatures ?? []).slice(0, 15);
  const importance = top.map((f) =>
    zeroLive.has(f.feature)
      ? { label: `${f.feature} (0 live)`, value: Number((f.share * 100).toFixed(1)), color: ZERO_LIVE_COLOR }
      : { label: f.feature, value: Number((f.share * 100).toFixed(1)) },
  );
  const zeroInTop = top.filter((f) => zeroLive.has(f.feature)).map((f) => f.feature);
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
            <dt>Decision threshold</dt>
            <dd data-testid="model-threshold">
              {version.decisionThreshold === null ? 'none (most probable class)' : thresholdRule(version, version.decisionThreshold)}
            </dd>
          </dl>
        </div>
        {first?.confusion && (
          // Many classes take the panel's whole width; past it the matrix scrolls with its labels held (models.css).
          <div className={first.confusion.classes.length > 5 ? 'confusion-panel wide' : 'confusion-panel'}>
            <h3>Confusion matrix ({firstName}; rows = true class, columns = predicted)</h3>
            <div className="confusion-wrap" data-testid="confusion-wrap" tabIndex={0} aria-label="Confusion matrix, scrolls">
            <table className="confusion" data-testid="confusion-matrix">
              <thead><tr><th className="corner" scope="col">true \ predicted</th>{first.confusion.classes.map((c) => <th key={c} className="num" scope="col" title={c}>{c}</th>)}</tr></thead>
              <tbody>
                {first.confusion.matrix.map((row, i) => (
                  <tr key={first.confusion!.classes[i]}>
                    <th scope="row" title={first.confusion!.classes[i]}>{first.confusion!.classes[i]}</th>
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
        <div>
          <BarChart title="Feature importance (% of gain, top 15)" bars={importance} color="#60a5fa" unit="% of gain" maxLabel={22} testId="importance-chart" />
          {zeroLive.size > 0 && (
            <p className="muted zero-live" data-testid="importance-zero-live">
              {zeroInTop.length > 0
                ? `Always 0 in live use (the engine reads no payloads), so they carry nothing live: ${zeroInTop.join(', ')} (${zeroInTop.length} of the top ${top.length}; ${zeroLive.size} in all).`
                : `None of the top ${top.length} is among the ${zeroLive.size} features that are always 0 in live use.`}
            </p>
          )}
        </div>
      </div>
    </section>
  );
}
