import { memo } from 'react';
import type { MonitorStatus } from '../../lib/realtime/contract.ts';
import { formatCount, formatElapsed, formatPercent, formatRate } from './format.ts';
import type { Connection } from './site/useSocket.ts';

interface StatusBarProps {
  status: MonitorStatus | null;
  connection: Connection;
  connectionError: string | null;
  missedBatches: number;
}

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  disconnected: 'Reconnecting…',
  refused: 'Refused',
};

export const StatusBar = memo(function StatusBar({ status, connection, connectionError, missedBatches }: StatusBarProps) {
  const running = status?.running ?? false;
  return (
    <footer className="status-bar" aria-label="Status">
      <span className={`dot dot-${connection}`} aria-hidden="true" />
      <span data-testid="connection-status" data-state={connection} title={connectionError ?? undefined}>
        {CONNECTION_TEXT[connection]}
        {connectionError && connection !== 'connected' ? `: ${connectionError}` : ''}
      </span>
      <span className="sep" />
      <span data-testid="status-running" data-running={running}>
        {running ? 'Monitoring' : 'Stopped'}
      </span>
      <span>
        Source: <b data-testid="status-source">{status?.source || '—'}</b>
      </span>
      <span>
        Elapsed: <b data-testid="status-elapsed">{formatElapsed(status?.elapsedMs ?? 0)}</b>
      </span>
      <span>
        Packets/s: <b data-testid="status-pps">{formatRate(status?.packetsPerSecond ?? 0)}</b>
      </span>
      {/* Kernel drops: packets libpcap lost; engine drops: finished flows detection sampled out to keep up. */}
      <span>
        Drops: <span title="packets the kernel dropped (capture buffer full)">kernel <b data-testid="status-drops">{formatCount(status?.drops ?? 0)}</b></span>
        {' · '}
        <span title="finished flows the model did not score because detection could not keep up">
          engine <b data-testid="status-engine-drops">{formatCount(status?.engineDrops ?? 0)}</b>
        </span>
        {status !== null && status.engineSampling < 1 && (
          <>
            {' · '}
            <b data-testid="status-engine-sampling">{formatPercent(status.engineSampling)}</b> of flows scored
          </>
        )}
      </span>
      <span>
        Model: <b data-testid="status-model">{status?.modelVersion || '—'}</b>
      </span>
      {missedBatches > 0 && <span className="warn">{missedBatches} updates missed</span>}
      {status?.warning && (
        <span className="warn" role="status" data-testid="status-warning">
          Warning: {status.warning}
        </span>
      )}
      {status?.error && (
        <span className="error" role="alert" data-testid="status-error">
          Error: {status.error}
        </span>
      )}
    </footer>
  );
});
