import { memo, useLayoutEffect, useRef } from 'react';
import type { FeedRow } from '../../lib/realtime/contract.ts';
import { formatClock, formatCount, formatPercent } from './format.ts';

/** Within this many pixels of the top the user is "following" the feed and it keeps showing the newest. */
const FOLLOW_THRESHOLD_PX = 48;

/** One port, or a scan's "2,971 ports (1–65,389)", or — when the protocol has none. */
function portText(row: FeedRow): string {
  if (row.ports !== undefined) return `${formatCount(row.ports.count)} ports (${row.ports.min}–${row.ports.max})`;
  return row.destinationPort === 0 ? '—' : String(row.destinationPort);
}

const FeedRowView = memo(function FeedRowView({ row }: { row: FeedRow }) {
  return (
    <tr data-testid="feed-row" data-incident-id={row.incidentId} data-severity={row.severity} title={row.summary}>
      <td className="mono">{formatClock(row.time)}</td>
      <td className="mono">{row.sourceIp}</td>
      <td className="mono">{row.destinationIp}</td>
      <td className="mono num" data-testid="feed-port">
        {portText(row)}
      </td>
      <td>
        {row.threatType}
        <span className="muted"> · {row.category}</span>
      </td>
      <td>
        <span className={`badge badge-${row.severity.toLowerCase()}`} data-testid="severity-badge">
          {row.severity}
        </span>
      </td>
      <td className="num">{formatPercent(row.confidence)}</td>
      <td className="num" data-testid="feed-event-count">
        {formatCount(row.eventCount)}
      </td>
    </tr>
  );
});

export const FeedTable = memo(function FeedTable({ rows, limit }: { rows: readonly FeedRow[]; limit: number }) {
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && following.current) element.scrollTop = 0;
  }, [rows]);

  return (
    <section className="panel feed" aria-label="Live incident feed">
      <header className="panel-header">
        <h2>Live Feed: incidents</h2>
        <span className="muted" data-testid="feed-count">
          {rows.length} of at most {limit} incidents, newest first; severity is the peak of their alerts
        </span>
      </header>
      <div
        className="feed-scroll"
        ref={scroller}
        data-testid="feed"
        onScroll={(event) => {
          following.current = event.currentTarget.scrollTop < FOLLOW_THRESHOLD_PX;
        }}
      >
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Source IP</th>
              <th>Dest IP</th>
              <th className="num">Port</th>
              <th>Threat Type</th>
              <th>Severity</th>
              <th className="num">Confidence</th>
              <th className="num" title="alerts (threat events) grouped into this incident">Alerts</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr className="feed-empty">
                <td colSpan={8}>No incidents yet.</td>
              </tr>
            ) : (
              rows.map((row) => <FeedRowView key={row.incidentId} row={row} />)
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
});
