'use client';
import type { ModelVersionSummary } from '../../../lib/realtime/contract.ts';
import { percent } from './format.ts';

interface VersionTableProps {
  versions: readonly ModelVersionSummary[];
  selected: string | null;
  compareIds: readonly string[];
  busy: boolean;
  onSelect(id: string): void;
  onToggleCompare(id: string): void;
  onActivate(id: string): void;
  onDelete(id: string): void;
}

/** Every version, newest first, with the headline figures of its first test set. */
export function VersionTable({ versions, selected, compareIds, busy, onSelect, onToggleCompare, onActivate, onDelete }: VersionTableProps) {
  if (versions.length === 0) return <p className="muted">No model versions yet.</p>;
  return (
    <div className="table-scroll">
      <table className="versions" data-testid="model-table">
        <thead>
          <tr>
            <th>Compare</th><th>Version</th><th>Name</th><th>Created</th><th>Target</th><th>Feature format</th>
            <th className="num">Accuracy</th><th className="num">Macro-F1</th><th>Live</th><th />
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => {
            const headline = v.metrics[0];
            return (
              <tr key={v.id} data-testid="model-row" data-id={v.id} data-active={v.active} className={v.id === selected ? 'selected' : undefined} onClick={() => onSelect(v.id)}>
                <td onClick={(e) => e.stopPropagation()}>
                  <input type="checkbox" aria-label={`compare ${v.id}`} data-testid="compare-select" checked={compareIds.includes(v.id)} onChange={() => onToggleCompare(v.id)} />
                </td>
                <td className="mono">
                  {v.id} {v.active && <span className="badge" data-testid="active-model">active</span>}
                </td>
                <td>{v.name}</td>
                <td>{new Date(v.createdAt).toLocaleString()}</td>
                <td>{v.target ?? '—'}</td>
                <td>{v.featureFormat ?? v.sourceFormat}</td>
                <td className="num" title={headline?.testSet}>{percent(headline?.accuracy)}</td>
                <td className="num" title={headline?.testSet}>{percent(headline?.macroF1)}</td>
                <td title={v.live.reason ?? v.live.note ?? ''}>{v.live.capable ? 'yes' : 'no'}</td>
                <td className="buttons" onClick={(e) => e.stopPropagation()}>
                  {!v.active && (
                    <>
                      <button className="button" type="button" data-testid="activate-button" disabled={busy || !v.live.capable} title={v.live.capable ? '' : (v.live.reason ?? '')} onClick={() => onActivate(v.id)}>Activate</button>
                      <button className="button danger" type="button" data-testid="delete-button" disabled={busy} onClick={() => onDelete(v.id)}>Delete</button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
