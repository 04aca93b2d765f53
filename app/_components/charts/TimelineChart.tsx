'use client';
import './chartSetup.ts';
import type { ChartData, ChartOptions, TooltipItem } from 'chart.js';
import { memo, useMemo } from 'react';
import { Line } from 'react-chartjs-2';
import type { Severity } from '../../../lib/detect/threatEvent.ts';
import { BATCH_INTERVAL_MS } from '../../../lib/realtime/contract.ts';
import type { TimelinePoint } from '../realtimeState.ts';
import { SEVERITIES, SEVERITY_COLORS } from '../severity.ts';
import { LIVE_UPDATE } from './chartSetup.ts';
import { ChartFigure, describeValues, type ChartTable } from './ChartFigure.tsx';

type Point = { x: number; y: number };

/** Tick steps a five-minute window reads well in, from one batch (2 s) to five minutes. */
const STEPS_MS = [2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000];
const MAX_TICKS = 7;
/** The axis shows at least this much time, so a short replay does not fill it edge to edge. */
const MIN_WINDOW_MS = 60_000;

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/**
 * Alerts (threat events) per batch interval, stacked by severity, on a time axis. The axis is linear in epoch
 * ms with clock-time ticks on round steps, which is all a time axis does here, without the two
 * packages (a date adapter and its date library) chart.js's `time` scale needs.
 */
export const TimelineChart = memo(function TimelineChart({ points, testId }: { points: readonly TimelinePoint[]; testId: string }) {
  const data = useMemo<ChartData<'line', Point[]>>(
    () => ({
      // Low is drawn first so the stack reads Critical on top.
      datasets: [...SEVERITIES].reverse().map((severity: Severity) => ({
        label: severity,
        // Each point counts the 2 s before it: a zero where the first interval began gives even
        // a one-batch replay a shape to draw.
        data: [
          ...(points[0] ? [{ x: points[0].time - BATCH_INTERVAL_MS, y: 0 }] : []),
          ...points.map((p) => ({ x: p.time, y: p.counts[severity] })),
        ],
        borderColor: SEVERITY_COLORS[severity],
        backgroundColor: `${SEVERITY_COLORS[severity]}99`,
        fill: 'stack',
        pointRadius: 0,
        pointHitRadius: 6,
        borderWidth: 1.5,
        // Monotone: a curve through counts never dips below zero or above the next count.
        cubicInterpolationMode: 'monotone',
      })),
    }),
    [points],
  );
  const last = points.at(-1)?.time ?? 0;
  const first = Math.min((points[0]?.time ?? 0) - BATCH_INTERVAL_MS, last - MIN_WINDOW_MS);
  const step = STEPS_MS.find((s) => (last - first) / s <= MAX_TICKS) ?? STEPS_MS.at(-1)!;
  const options = useMemo<ChartOptions<'line'>>(
    () => ({
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: {
          type: 'linear',
          // Explicit ends: chart.js pads a one-value linear axis by 5% of the value, years in epoch ms.
          min: first,
          max: last,
          ticks: { display: last > 0, stepSize: step, callback: (value) => clock(Number(value)), maxRotation: 0 },
          grid: { color: '#1b2742' },
        },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'alerts / 2 s' } },
      },
      plugins: {
        legend: { position: 'top', align: 'end' },
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => (items[0] ? clock(items[0].parsed.x ?? 0) : ''),
            label: (item: TooltipItem<'line'>) => ` ${item.dataset.label}: ${item.parsed.y}`,
          },
        },
      },
    }),
    [first, last, step],
  );
  const totals = SEVERITIES.map((severity) => points.reduce((sum, p) => sum + p.counts[severity], 0));
  const table: ChartTable = {
    columns: ['Time', ...SEVERITIES],
    rows: points.filter((p) => SEVERITIES.some((s) => p.counts[s] > 0)).map((p) => ({ label: clock(p.time), values: SEVERITIES.map((s) => p.counts[s]) })),
  };
  const summary = describeValues(
    'Alerts over time',
    SEVERITIES.map((severity, i) => ({ label: severity, values: [totals[i]!] })),
  );
  return (
    <ChartFigure
      title="Alerts over time (by severity, per 2 s)"
      testId={testId}
      table={table}
      height={220}
      emptyNote={points.length === 0 ? 'Fills while a monitoring session runs' : null}
      data={{ 'data-points': points.length, 'data-total': totals.reduce((a, b) => a + b, 0) }}
    >
      <Line data={data} options={options} updateMode={LIVE_UPDATE} aria-label={`${summary} since this page connected`} />
    </ChartFigure>
  );
});
