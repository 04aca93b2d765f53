import { memo } from 'react';
import type { Metrics } from '../../lib/realtime/contract.ts';
import { formatCount, formatRate } from './format.ts';

interface Card {
  key: keyof Metrics;
  label: string;
  testId: string;
  tone?: string;
  rate?: boolean;
}

const CARDS: readonly Card[] = [
  { key: 'totalThreats', label: 'Alerts', testId: 'metric-total', tone: 'total' },
  { key: 'critical', label: 'Critical alerts', testId: 'metric-critical', tone: 'critical' },
  { key: 'high', label: 'High alerts', testId: 'metric-high', tone: 'high' },
  { key: 'medium', label: 'Medium alerts', testId: 'metric-medium', tone: 'medium' },
  { key: 'low', label: 'Low alerts', testId: 'metric-low', tone: 'low' },
  { key: 'packetsCaptured', label: 'Packets Captured', testId: 'metric-packets' },
  { key: 'flows', label: 'Flows', testId: 'metric-flows' },
  { key: 'packetsPerSecond', label: 'Packets/s', testId: 'metric-pps', rate: true },
  { key: 'drops', label: 'Drops', testId: 'metric-drops' },
];

interface MetricsRowProps {
  metrics: Metrics | null;
  /** Incidents in the feed; the feed keeps at most `feedLimit`, so beyond it the count reads "500+". */
  incidents: number;
  feedLimit: number;
}

export const MetricsRow = memo(function MetricsRow({ metrics, incidents, feedLimit }: MetricsRowProps) {
  return (
    <section className="metrics" aria-label="Metrics" title="Alerts are threat events, each at its own severity; the feed groups them into incidents">
      <div className="metric metric-incidents" title="groups of alerts from one source and attack, as the feed lists them">
        <div className="metric-label">Incidents</div>
        <div className="metric-value" data-testid="metric-incidents" data-value={incidents}>
          {incidents >= feedLimit ? `${formatCount(feedLimit)}+` : formatCount(incidents)}
        </div>
      </div>
      {CARDS.map((card) => {
        const value = metrics?.[card.key] ?? 0;
        return (
          <div key={card.key} className={`metric${card.tone ? ` metric-${card.tone}` : ''}`}>
            <div className="metric-label">{card.label}</div>
            <div className="metric-value" data-testid={card.testId} data-value={value}>
              {card.rate ? formatRate(value) : formatCount(value)}
            </div>
          </div>
        );
      })}
    </section>
  );
});
