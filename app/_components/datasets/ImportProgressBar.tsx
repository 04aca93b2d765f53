/** Parse progress: % of bytes, rows/s and ETA, as the server reports them. */
import type { ImportProgress } from '../../../lib/imports/importContract.ts';
import { formatCount } from '../format.ts';

export function ImportProgressBar({ progress, label }: { progress: ImportProgress | null; label: string }) {
  const percent = progress?.percent ?? 0;
  return (
    <div className="ds-progress" data-testid="import-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(percent)} aria-label={label}>
      <div className="ds-progress-track">
        <div className="ds-progress-fill" style={{ width: `${percent.toFixed(1)}%` }} />
      </div>
      <span className="mono">
        {label} {percent.toFixed(1)}%
        {progress && ` · ${formatCount(progress.rows)} rows · ${formatCount(progress.rowsPerSecond)} rows/s`}
        {progress?.etaSeconds != null && ` · ETA ${progress.etaSeconds.toFixed(1)} s`}
      </span>
    </div>
  );
}
