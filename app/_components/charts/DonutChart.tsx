import { memo } from 'react';
import { arcPath } from './arcPath.ts';

export interface Slice {
  label: string;
  value: number;
  color: string;
}

interface DonutChartProps {
  title: string;
  slices: readonly Slice[];
  /** 0 draws a pie; 0.6 a doughnut. */
  innerRatio: number;
  testId: string;
  size?: number;
}

function percent(value: number, total: number): string {
  return total > 0 ? `${((value / total) * 100).toFixed(1)}%` : '0%';
}

/** A doughnut or pie of hand-drawn SVG arcs, with a legend that doubles as the text version. */
export const DonutChart = memo(function DonutChart({ title, slices, innerRatio, testId, size = 180 }: DonutChartProps) {
  const total = slices.reduce((sum, slice) => sum + slice.value, 0);
  const radius = size / 2 - 4;
  const center = size / 2;
  const description = total === 0 ? 'no data yet' : slices.map((s) => `${s.label} ${s.value}`).join(', ');
  let angle = 0;
  return (
    <figure className="chart" data-testid={testId} data-total={total}>
      <figcaption className="chart-title">{title}</figcaption>
      <div className="donut">
        <svg width={size} height={size} viewBox={`0 0 ${size} ${size}`} role="img" aria-label={`${title}: ${description}`}>
          <title>{`${title}: ${description}`}</title>
          {total === 0 ? (
            <path className="chart-empty" d={arcPath(center, center, radius, radius * innerRatio, 0, Math.PI * 2)} />
          ) : (
            slices
              .filter((slice) => slice.value > 0)
              .map((slice) => {
                const start = angle;
                angle += (slice.value / total) * Math.PI * 2;
                return (
                  <path
                    key={slice.label}
                    d={arcPath(center, center, radius, radius * innerRatio, start, angle)}
                    fill={slice.color}
                    className="chart-slice"
                    data-testid={`${testId}-slice`}
                    data-label={slice.label}
                    data-value={slice.value}
                  >
                    <title>{`${slice.label}: ${slice.value} (${percent(slice.value, total)})`}</title>
                  </path>
                );
              })
          )}
          {innerRatio > 0 && (
            <text x={center} y={center} className="donut-total" textAnchor="middle" dominantBaseline="central">
              {total}
            </text>
          )}
        </svg>
        <ul className="legend">
          {slices.map((slice) => (
            <li key={slice.label} data-testid={`${testId}-legend`} data-label={slice.label}>
              <span className="swatch" style={{ background: slice.color }} aria-hidden="true" />
              <span className="legend-label">{slice.label}</span>
              <span className="legend-value">{slice.value}</span>
            </li>
          ))}
        </ul>
      </div>
    </figure>
  );
});
