'use client';
/** NetGuard's one page: controls, metrics, charts and the live feed, fed by useRealtime. */
import { useEffect, useMemo, useState } from 'react';
import { FEED_LIMIT } from '../../lib/realtime/contract.ts';
import { BarChart } from './charts/BarChart.tsx';
import { ShareChart, type Slice } from './charts/ShareChart.tsx';
import { TimelineChart } from './charts/TimelineChart.tsx';
import { FeedTable } from './FeedTable.tsx';
import { MetricsRow } from './MetricsRow.tsx';
import { ReportLink } from './ReportLink.tsx';
import { CATEGORY_COLORS, SEVERITIES, SEVERITY_COLORS } from './severity.ts';
import { defaultChoice, emptyChoice, SourcePicker, sourceRequest, type SourceChoice } from './SourcePicker.tsx';
import { StatusBar } from './StatusBar.tsx';
import { useRealtime } from './useRealtime.ts';

export default function Dashboard() {
  const { state, connection, connectionError, sources, token, start, stop } = useRealtime();
  const [choice, setChoice] = useState<SourceChoice>(emptyChoice);
  const [busy, setBusy] = useState(false);
  const [controlError, setControlError] = useState<string | null>(null);

  useEffect(() => {
    if (sources) setChoice((current) => defaultChoice(sources, current));
  }, [sources]);

  const charts = state.charts;
  const severitySlices = useMemo<Slice[]>(
    () => SEVERITIES.map((severity) => ({ label: severity, value: charts?.severity[severity] ?? 0, color: SEVERITY_COLORS[severity] })),
    [charts],
  );
  const attackBars = useMemo(() => (charts?.attackTypes ?? []).slice(0, 8).map((a) => ({ label: a.type, value: a.count })), [charts]);
  const categorySlices = useMemo<Slice[]>(
    () =>
      (charts?.categories ?? []).map((c, i) => ({ label: c.category, value: c.count, color: CATEGORY_COLORS[i % CATEGORY_COLORS.length]! })),
    [charts],
  );

  const running = state.status?.running ?? false;
  const connected = connection === 'connected';

  const onStart = async () => {
    const request = sourceRequest(choice);
    if (typeof request === 'string') {
      setControlError(`Cannot start: ${request}.`);
      return;
    }
    setBusy(true);
    setControlError(null);
    const reply = await start({ source: request });
    setBusy(false);
    if (!reply.ok) setControlError(`Cannot start: ${reply.msg}`);
  };

  const onStop = async () => {
    setBusy(true);
    setControlError(null);
    const reply = await stop();
    setBusy(false);
    if (!reply.ok) setControlError(`Cannot stop: ${reply.msg}`);
  };

  return (
    <>
      <main className="dashboard">
        <h1 className="visually-hidden">Monitor</h1>
        <section className="panel controls" aria-label="Controls">
          <SourcePicker sources={sources} choice={choice} onChange={setChoice} disabled={running || busy} />
          <div className="buttons">
            <button type="button" className="button primary" onClick={onStart} disabled={!connected || running || busy} data-testid="start-button">
              Start Monitoring
            </button>
            <button type="button" className="button danger" onClick={onStop} disabled={!connected || !running || busy} data-testid="stop-button">
              Stop Monitoring
            </button>
          </div>
          <ReportLink sessionId={state.status?.sessionId ?? null} token={token} />
          {controlError && (
            <p className="error" role="alert" data-testid="control-error">
              {controlError}
            </p>
          )}
        </section>

        <MetricsRow metrics={state.metrics} incidents={state.feed.length} feedLimit={FEED_LIMIT} />

        {/* Counters and charts count alerts (threat events); the feed lists incidents, each a group of alerts. */}
        <section className="charts" aria-label="Charts">
          <div className="panel">
            <ShareChart title="Alerts by severity" slices={severitySlices} kind="doughnut" testId="severity-chart" />
          </div>
          <div className="panel">
            <BarChart title="Alerts by attack type (top 8)" bars={attackBars} color="#3b82f6" unit="alerts" counts testId="attack-type-chart" emptyNote="No alerts yet" />
          </div>
          <div className="panel">
            <ShareChart title="Alerts by category" slices={categorySlices} kind="pie" testId="category-chart" />
          </div>
          <div className="panel chart-wide">
            <TimelineChart points={state.timeline} testId="timeline-chart" />
          </div>
        </section>

        <FeedTable rows={state.feed} limit={FEED_LIMIT} />
      </main>

      {/* After the page's content, so at the end of the page it sits below the last rows (globals.css). */}
      <StatusBar
        status={state.status}
        connection={connection}
        connectionError={connectionError}
        missedBatches={state.missedBatches}
      />
    </>
  );
}
