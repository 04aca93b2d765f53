'use client';
import '../charts/chartSetup.ts';
import type { ChartData, ChartOptions, TooltipItem } from 'chart.js';
import { memo, useMemo } from 'react';
import { Line } from 'react-chartjs-2';
import type { RoundPoint } from '../../../lib/training/trainingRequest.ts';
import { LIVE_UPDATE, THEME } from '../charts/chartSetup.ts';
import { ChartFigure, type ChartTable } from '../charts/ChartFigure.tsx';

type Point = { x: number; y: number };

const VALID_COLOR = '#f59e0b';

/**
 * Train and validation loss per boosting round, on one linear scale from 0, with the x axis
 * fixed to the planned rounds so the line grows across it as progress messages arrive (each
 * one updates the same chart, without animation).
 */
export const LossChart = memo(function LossChart({ rounds, totalRounds }: { rounds: readonly RoundPoint[]; totalRounds: number }) {
  const data = useMemo<ChartData<'line', Point[]>>(
    () => ({
      datasets: [
        {
          label: 'train',
          data: rounds.map((r) => ({ x: r.round, y: r.trainLoss })),
          borderColor: THEME.accent,
          backgroundColor: THEME.accent,
          pointRadius: 0,
          pointHitRadius: 6,
          borderWidth: 2,
        },
        {
          label: 'validation',
          data: rounds.filter((r) => r.validLoss !== null).map((r) => ({ x: r.round, y: r.validLoss! })),
          borderColor: VALID_COLOR,
          backgroundColor: VALID_COLOR,
          borderDash: [5, 3],
          pointRadius: 0,
          pointHitRadius: 6,
          borderWidth: 2,
        },
      ],
    }),
    [rounds],
  );
  const options = useMemo<ChartOptions<'line'>>(
    () => ({
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { type: 'linear', min: 0, max: Math.max(totalRounds, 1), ticks: { precision: 0 }, title: { display: true, text: 'round' } },
        y: { beginAtZero: true, title: { display: true, text: 'loss' } },
      },
      plugins: {
        legend: { position: 'top', align: 'end' },
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => `round ${items[0]?.parsed.x ?? ''}`,
            label: (item: TooltipItem<'line'>) => ` ${item.dataset.label}: ${(item.parsed.y ?? 0).toFixed(4)}`,
          },
        },
      },
    }),
    [totalRounds],
  );
  const last = rounds.at(-1);
  const description = last
    ? `round ${last.round} of ${totalRounds}: train loss ${last.trainLoss.toFixed(4)}${last.validLoss !== null ? `, validation loss ${last.validLoss.toFixed(4)}` : ''}`
    : 'no rounds yet';
  const table: ChartTable = {
    columns: ['Round', 'Train loss', 'Validation loss'],
    rows: rounds.map((r) => ({ label: String(r.round), values: [r.trainLoss.toFixed(4), r.validLoss === null ? '—' : r.validLoss.toFixed(4)] })),
  };
  return (
    <ChartFigure
      title="Loss per round"
      testId="loss-chart"
      table={table}
      height={200}
      emptyNote={rounds.length === 0 ? 'No rounds yet' : null}
      data={{ 'data-rounds': rounds.length }}
    >
      <Line data={data} options={options} updateMode={LIVE_UPDATE} aria-label={`Loss per round: ${description}`} />
    </ChartFigure>
  );
});
