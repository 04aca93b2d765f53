'use client';
import { useState } from 'react';
import type { ModelComparison } from '../../../lib/realtime/contract.ts';
import { percent } from './format.ts';

interface ComparePanelProps {
  ids: readonly string[];
  busy: boolean;
  onCompare(a: string, b: string, dataset: string[]): Promise<ModelComparison | null>;
}

/** Two versions evaluated on the same labelled file(s), side by side. */
export function ComparePanel({ ids, busy, onCompare }: ComparePanelProps) {
  const [dataset, setDataset] = useState('');
  const [result, setResult] = useState<ModelComparison | null>(null);
  const [running, setRunning] = useState(false);
  const ready = ids.length === 2 && dataset.trim() !== '';
  const run = async () => {
    if (ids.length !== 2) return;
    setRunning(true);
    setResult(await onCompare(ids[0]!, ids[1]!, dataset.split('\n').map((l) => l.trim()).filter((l) => l !== '')));
    setRunning(false);
  };
  const classes = result ? [...new Set([...result.a.report.perClass.map((c) => c.class), ...result.b.report.perClass.map((c) => c.class)])] : [];
  const f1 = (side: 'a' | 'b', name: string) => result?.[side].report.perClass.find((c) => c.class === name)?.f1;
  return (
    <section className="panel" data-testid="compare-panel">
      <div className="panel-header"><h2>Compare two versions</h2><span className="muted">{ids.length === 2 ? `${ids[0]} vs ${ids[1]}` : 'tick two versions in the list'}</span></div>
      <div className="controls">
        <label className="train-datasets">Labelled test file(s) on the server, one per line
          <textarea data-testid="compare-dataset" rows={1} value={dataset} onChange={(e) => setDataset(e.target.value)} />
        </label>
        <button className="button" type="button" data-testid="compare-button" disabled={busy || running || !ready} onClick={() => void run()}>
          {running ? 'Comparing…' : 'Compare'}
        </button>
      </div>
      {result && (
        <div className="table-scroll">
          <table className="versions" data-testid="compare-result">
            <thead><tr><th>{`${result.rows} rows`}</th><th className="num mono">{result.a.id}</th><th className="num mono">{result.b.id}</th></tr></thead>
            <tbody>
              <tr><td>Accuracy</td><td className="num">{percent(result.a.report.accuracy)}</td><td className="num">{percent(result.b.report.accuracy)}</td></tr>
              <tr><td>Macro-F1</td><td className="num">{percent(result.a.report.macroF1)}</td><td className="num">{percent(result.b.report.macroF1)}</td></tr>
              {classes.map((name) => (
                <tr key={name}><td>F1 {name}</td><td className="num">{percent(f1('a', name))}</td><td className="num">{percent(f1('b', name))}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
