import { useState } from 'react';

/** `datetime-local` text -> ms since the epoch, or undefined when empty or invalid. */
function millis(value: string): number | undefined {
  if (value === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

export function reportHref(sessionId: string | null, from: number | undefined, to: number | undefined, token: string | null): string {
  const params = new URLSearchParams();
  if (sessionId) params.set('session', sessionId);
  if (from !== undefined) params.set('from', String(from));
  if (to !== undefined) params.set('to', String(to));
  if (token) params.set('token', token);
  const query = params.toString();
  return `/api/report.csv${query ? `?${query}` : ''}`;
}

/** Download Report: the current session's threats as CSV, optionally within a packet-time range. */
export function ReportLink({ sessionId, token }: { sessionId: string | null; token: string | null }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  return (
    <div className="report">
      <label>
        <span>From (packet time)</span>
        <input type="datetime-local" step={1} value={from} onChange={(e) => setFrom(e.target.value)} data-testid="report-from" />
      </label>
      <label>
        <span>To</span>
        <input type="datetime-local" step={1} value={to} onChange={(e) => setTo(e.target.value)} data-testid="report-to" />
      </label>
      <a
        className="button"
        href={reportHref(sessionId, millis(from), millis(to), token)}
        download
        data-testid="download-report"
        title={sessionId ? `Threats of session ${sessionId} as CSV` : 'Threats of all sessions as CSV'}
      >
        Download Report
      </a>
    </div>
  );
}
