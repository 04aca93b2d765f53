'use client';
import './chartSetup.ts';
import type { ChartData, ChartOptions, TooltipItem } from 'chart.js';
import { memo, useMemo } from 'react';
import { Bar as BarCanvas } from 'react-chartjs-2';
import { LIVE_UPDATE } from './chartSetup.ts';
import { ChartFigure, describeValues, type ChartTable } from './ChartFigure.tsx';

export interface Bar {
  label: string;
  value: number;
  /** This bar's colour instead of the chart's (e.g. a feature that is 0 in live use). */
  color?: string;
}

interface BarChartProps {
  title: string;
  bars: readonly Bar[];
  color: string;
  testId: string;
  /** What one value is, for the legend and the tooltip ("alerts", "F1", "% of gain"). */
  unit: string;
  /** Axis labels longer than this wrap onto more lines (never cut); the tooltip and the table say them whole too. */
  maxLabel?: number;
  emptyNote?: string;
  /** Counts: whole-number ticks only. */
  counts?: boolean;
}

const ROW_HEIGHT = 24;
const LINE_HEIGHT = 14;
const AXES_HEIGHT = 56;

/**
 * The label as lines of at most `max` characters, broken after spaces, '_' or '/' where it can
 * and inside a word only when one word is longer than a line. chart.js draws an array as lines,
 * and sizes the axis to the widest line, so no name is clipped at the canvas's edge.
 */
export function wrapLabel(label: string, max: number): string[] {
  const lines: string[] = [];
  let rest = label;
  while (rest.length > max) {
    let cut = -1;
    for (let i = max; i > 0; i--) {
      const c = rest[i - 1];
      if (c === ' ' || c === '_' || c === '/') {
        cut = i;
        break;
      }
    }
    if (cut <= 0) cut = max;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || lines.length === 0) lines.push(rest);
  return lines;
}

/** Horizontal bars in the order given, one row per label; the canvas grows with the rows. */
export const BarChart = memo(function BarChart({ title, bars, color, testId, unit, maxLabel = 24, emptyNote = 'No data yet', counts = false }: BarChartProps) {
  const data = useMemo<ChartData<'bar', number[], string>>(
    () => ({
      labels: bars.map((b) => b.label),
      datasets: [{ label: unit, data: bars.map((b) => b.value), backgroundColor: bars.map((b) => b.color ?? color), borderRadius: 3, maxBarThickness: 18 }],
    }),
    [bars, color, unit],
  );
  const options = useMemo<ChartOptions<'bar'>>(
    () => ({
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: 'y',
      scales: {
        x: { beginAtZero: true, grid: { color: '#1b2742' }, ticks: counts ? { precision: 0 } : {} },
        y: {
          grid: { display: false },
          ticks: {
            autoSkip: false,
            // `this` is the scale: the tick value is an index into the labels.
            callback(value) {
              return wrapLabel(this.getLabelForValue(Number(value)), maxLabel);
            },
          },
        },
      },
      plugins: {
        legend: { position: 'top', align: 'end' },
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'bar'>[]) => items[0]?.label ?? '',
            label: (item: TooltipItem<'bar'>) => ` ${unit}: ${item.parsed.x}`,
          },
        },
      },
    }),
    [counts, maxLabel, unit],
  );
  const table: ChartTable = { columns: ['Label', unit], rows: bars.map((b) => ({ label: b.label, values: [b.value] })) };
  return (
    <ChartFigure
      title={title}
      testId={testId}
      table={table}
      height={Math.max(bars.reduce((sum, b) => sum + Math.max(ROW_HEIGHT, wrapLabel(b.label, maxLabel).length * LINE_HEIGHT + 8), 0), 3 * ROW_HEIGHT) + AXES_HEIGHT}
      emptyNote={bars.length === 0 ? emptyNote : null}
      data={{ 'data-bars': bars.length }}
    >
      <BarCanvas data={data} options={options} updateMode={LIVE_UPDATE} aria-label={describeValues(title, table.rows)} />
    </ChartFigure>
  );
});
