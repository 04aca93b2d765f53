import { memo } from 'react';

export interface Bar {
  label: string;
  value: number;
}

interface HorizontalBarChartProps {
  title: string;
  bars: readonly Bar[];
  color: string;
  testId: string;
  width?: number;
}

const ROW = 24;
const LABEL_WIDTH = 130;
const VALUE_WIDTH = 56;

/** Horizontal bars, largest first as given, scaled to the largest value. */
export const HorizontalBarChart = memo(function HorizontalBarChart({ title, bars, color, testId, width = 420 }: HorizontalBarChartProps) {
  const max = bars.reduce((m, bar) => Math.max(m, bar.value), 0);
  const track = width - LABEL_WIDTH - VALUE_WIDTH;
  const height = Math.max(bars.length, 1) * ROW + 4;
  const description = bars.length === 0 ? 'no data yet' : bars.map((b) => `${b.label} ${b.value}`).join(', ');
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption className="chart-title">{title}</figcaption>
      <svg width="100%" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: ${description}`} preserveAspectRatio="xMinYMin meet">
        <title>{`${title}: ${description}`}</title>
        {bars.length === 0 && (
          <text x={width / 2} y={ROW / 2 + 2} className="chart-note" textAnchor="middle" dominantBaseline="central">
            No threats yet
          </text>
        )}
        {bars.map((bar, i) => {
          const y = i * ROW + 2;
          const barWidth = max > 0 ? Math.max(2, (bar.value / max) * track) : 0;
          return (
            <g key={bar.label} data-testid={`${testId}-bar`} data-label={bar.label} data-value={bar.value}>
              <title>{`${bar.label}: ${bar.value}`}</title>
              <text x={LABEL_WIDTH - 8} y={y + ROW / 2} className="bar-label" textAnchor="end" dominantBaseline="central">
                {bar.label.length > 18 ? `${bar.label.slice(0, 17)}…` : bar.label}
              </text>
              <rect x={LABEL_WIDTH} y={y + 4} width={track} height={ROW - 8} rx={3} className="bar-track" />
              <rect x={LABEL_WIDTH} y={y + 4} width={barWidth} height={ROW - 8} rx={3} fill={color} />
              <text x={LABEL_WIDTH + track + 8} y={y + ROW / 2} className="bar-value" dominantBaseline="central">
                {bar.value}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
});
