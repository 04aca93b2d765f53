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
  { key: 'totalThreats', label: 'Total Threats', testId: 'metric-total', tone: 'total' },
  { key: 'critical', label: 'Critical', testId: 'metric-critical', tone: 'critical' },
  { key: 'high', label: 'High', testId: 'metric-high', tone: 'high' },
  { key: 'medium', label: 'Medium', testId: 'metric-medium', tone: 'medium' },
  { key: 'low', label: 'Low', testId: 'metric-low', tone: 'low' },
  { key: 'packetsCaptured', label: 'Packets Captured', testId: 'metric-packets' },
  { key: 'flows', label: 'Flows', testId: 'metric-flows' },
  { key: 'packetsPerSecond', label: 'Packets/s', testId: 'metric-pps', rate: true },
  { key: 'drops', label: 'Drops', testId: 'metric-drops' },
];

export const MetricsRow = memo(function MetricsRow({ metrics }: { metrics: Metrics | null }) {
  return (
    <section className="metrics" aria-label="Metrics">
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
