import { memo } from 'react';
import type { RoundPoint } from '../../../lib/training/trainingRequest.ts';

const WIDTH = 460;
const HEIGHT = 180;
const PAD = { left: 44, right: 10, top: 10, bottom: 22 };

function path(points: readonly { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}

/** Train and validation loss per boosting round, both on one linear scale from 0. */
export const LossChart = memo(function LossChart({ rounds, totalRounds }: { rounds: readonly RoundPoint[]; totalRounds: number }) {
  const max = rounds.reduce((m, r) => Math.max(m, r.trainLoss, r.validLoss ?? 0), 0) || 1;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (round: number) => PAD.left + (round / Math.max(totalRounds, 1)) * plotW;
  const y = (loss: number) => PAD.top + plotH - (loss / max) * plotH;
  const train = rounds.map((r) => ({ x: x(r.round), y: y(r.trainLoss) }));
  const valid = rounds.filter((r) => r.validLoss !== null).map((r) => ({ x: x(r.round), y: y(r.validLoss!) }));
  const last = rounds[rounds.length - 1];
  const description = last
    ? `round ${last.round}: train loss ${last.trainLoss.toFixed(4)}${last.validLoss !== null ? `, validation loss ${last.validLoss.toFixed(4)}` : ''}`
    : 'no rounds yet';
  return (
    <figure className="chart" data-testid="loss-chart" data-rounds={rounds.length}>
      <figcaption className="chart-title">Loss per round</figcaption>
      <svg width="100%" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Loss per round: ${description}`} preserveAspectRatio="xMinYMin meet">
        <title>{`Loss per round: ${description}`}</title>
        <line x1={PAD.left} y1={PAD.top + plotH} x2={PAD.left + plotW} y2={PAD.top + plotH} className="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + plotH} className="axis" />
        <text x={PAD.left - 6} y={PAD.top + 4} className="bar-value" textAnchor="end">{max.toFixed(3)}</text>
        <text x={PAD.left - 6} y={PAD.top + plotH} className="bar-value" textAnchor="end">0</text>
        <text x={PAD.left + plotW} y={HEIGHT - 4} className="bar-value" textAnchor="end">{`round ${totalRounds}`}</text>
        {train.length > 0 && <path d={path(train)} className="loss-train" fill="none" />}
        {valid.length > 0 && <path d={path(valid)} className="loss-valid" fill="none" />}
      </svg>
      <div className="legend-row">
        <span><span className="swatch" style={{ background: 'var(--accent)' }} /> train</span>
        <span><span className="swatch" style={{ background: '#f59e0b' }} /> validation</span>
      </div>
    </figure>
  );
});
