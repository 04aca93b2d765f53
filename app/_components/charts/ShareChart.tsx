'use client';
import './chartSetup.ts';
import type { ChartData, ChartOptions, TooltipItem } from 'chart.js';
import { memo, useMemo } from 'react';
import { Doughnut } from 'react-chartjs-2';
import { LIVE_UPDATE, THEME } from './chartSetup.ts';
import { ChartFigure, describeValues, type ChartTable } from './ChartFigure.tsx';

export interface Slice {
  label: string;
  value: number;
  color: string;
}

interface ShareChartProps {
  title: string;
  slices: readonly Slice[];
  kind: 'doughnut' | 'pie';
  testId: string;
}

function percent(value: number, total: number): string {
  return total > 0 ? `${((value / total) * 100).toFixed(1)}%` : '0%';
}

/**
 * A doughnut or pie: shares of a whole, a tooltip with count and percent, and a legend whose
 * entries hide and show their slice. New slices arrive in place (same chart, no animation).
 */
export const ShareChart = memo(function ShareChart({ title, slices, kind, testId }: ShareChartProps) {
  const total = slices.reduce((sum, slice) => sum + slice.value, 0);
  const data = useMemo<ChartData<'doughnut', number[], string>>(
    () => ({
      labels: slices.map((s) => s.label),
      datasets: [
        {
          label: title,
          data: slices.map((s) => s.value),
          backgroundColor: slices.map((s) => s.color),
          borderColor: THEME.panel,
          borderWidth: 1.5,
        },
      ],
    }),
    [slices, title],
  );
  const options = useMemo<ChartOptions<'doughnut'>>(
    () => ({
      responsive: true,
      maintainAspectRatio: false,
      // chart.js's pie is its doughnut with no hole, so one controller draws both.
      cutout: kind === 'doughnut' ? '60%' : 0,
      plugins: {
        legend: { position: 'right' },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'doughnut'>) => {
              const values = item.dataset.data;
              const sum = values.reduce((s, v) => s + v, 0);
              return ` ${item.label}: ${item.parsed} (${percent(item.parsed, sum)})`;
            },
          },
        },
      },
    }),
    [kind],
  );
  const table: ChartTable = {
    columns: ['Label', 'Count', 'Share'],
    rows: slices.map((s) => ({ label: s.label, values: [s.value, percent(s.value, total)] })),
  };
  return (
    <ChartFigure
      title={`${title} · ${total}`}
      testId={testId}
      table={table}
      height={200}
      emptyNote={total === 0 ? 'No alerts yet' : null}
      data={{ 'data-total': total }}
    >
      <Doughnut data={data} options={options} updateMode={LIVE_UPDATE} aria-label={describeValues(title, table.rows)} />
    </ChartFigure>
  );
});
