'use client';
import { type FormEvent, useState } from 'react';
import type { CatalogueEntry } from '../../../lib/imports/importContract.ts';
import type { TrainingJobState, TrainingRequestInput } from '../../../lib/training/trainingRequest.ts';
import { duration } from './format.ts';
import { LossChart } from './LossChart.tsx';

interface TrainPanelProps {
  job: TrainingJobState | null;
  /** Imported datasets (lib/imports) to choose from. */
  catalogue: readonly CatalogueEntry[];
  disabled: boolean;
  onStart(request: TrainingRequestInput): Promise<unknown>;
  onCancel(): Promise<unknown>;
}

/** The training form (datasets, target, trees, depth, rate, balancing, validation split) and the running job. */
export function TrainPanel({ job, catalogue, disabled, onStart, onCancel }: TrainPanelProps) {
  const [datasets, setDatasets] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [target, setTarget] = useState<'binary' | 'family'>('binary');
  const [trees, setTrees] = useState(100);
  const [maxDepth, setMaxDepth] = useState(6);
  const [learningRate, setLearningRate] = useState(0.3);
  const [classBalancing, setClassBalancing] = useState<'balanced' | 'none'>('none');
  const [validationFraction, setValidationFraction] = useState(0.1);
  const running = job?.status === 'running';
  const last = job?.rounds[job.rounds.length - 1];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const list = [...chosen, ...datasets.split('\n').map((line) => line.trim()).filter((line) => line !== '')];
    void onStart({ datasets: list, target, trees, maxDepth, learningRate, classBalancing, validationFraction });
  };

  return (
    <section className="panel" data-testid="train-panel">
      <div className="panel-header"><h2>Train a new version</h2></div>
      <form onSubmit={submit}>
        <fieldset className="train-form" disabled={disabled || running}>
          {catalogue.length > 0 && (
            <div className="train-datasets" data-testid="train-catalogue">
              Imported datasets
              {catalogue.map((entry) => (
                <label key={entry.id} className="train-choice">
                  <input
                    type="checkbox"
                    data-testid="train-dataset-option"
                    data-id={entry.id}
                    checked={chosen.includes(entry.id)}
                    onChange={() => setChosen((ids) => (ids.includes(entry.id) ? ids.filter((id) => id !== entry.id) : [...ids, entry.id]))}
                  />
                  {entry.name} · {entry.sourceFormat} · {entry.rows.toLocaleString()} rows
                </label>
              ))}
            </div>
          )}
          <label className="train-datasets">
            Other datasets (file paths on the server or catalogue ids, one per line)
            <textarea data-testid="train-datasets" rows={2} value={datasets} onChange={(e) => setDatasets(e.target.value)} placeholder="/data/KDDTrain+.txt.gz" />
          </label>
          <label>Target
            <select data-testid="train-target" value={target} onChange={(e) => setTarget(e.target.value as 'binary' | 'family')}>
              <option value="binary">binary (benign / attack)</option>
              <option value="family">attack family</option>
            </select>
          </label>
          <label>Trees
            <input data-testid="train-trees" type="number" min={1} max={2000} value={trees} onChange={(e) => setTrees(Number(e.target.value))} />
          </label>
          <label>Max depth
            <input data-testid="train-depth" type="number" min={1} max={16} value={maxDepth} onChange={(e) => setMaxDepth(Number(e.target.value))} />
          </label>
          <label>Learning rate
            <input data-testid="train-learning-rate" type="number" min={0.01} max={1} step={0.01} value={learningRate} onChange={(e) => setLearningRate(Number(e.target.value))} />
          </label>
          <label>Class balancing
            <select data-testid="train-balancing" value={classBalancing} onChange={(e) => setClassBalancing(e.target.value as 'balanced' | 'none')}>
              <option value="none">none</option>
              <option value="balanced">balanced</option>
            </select>
          </label>
          <label>Validation split
            <input data-testid="train-validation" type="number" min={0} max={0.5} step={0.05} value={validationFraction} onChange={(e) => setValidationFraction(Number(e.target.value))} />
          </label>
          <button className="button primary" type="submit" data-testid="train-button">Train</button>
        </fieldset>
      </form>
      {job && (
        <div className="train-progress" data-testid="train-progress" data-status={job.status} data-phase={job.phase} data-round={last?.round ?? 0}>
          <p>
            <strong>{job.status === 'running' ? job.phase : job.status}</strong>
            {' · '}round {last?.round ?? 0} / {job.totalRounds}
            {last && <> · train loss {last.trainLoss.toFixed(4)}{last.validLoss !== null && <> · validation loss {last.validLoss.toFixed(4)}</>}</>}
            {' · '}elapsed {duration(job.elapsedMs)}
            {running && <> · ETA <span data-testid="train-eta">{duration(job.etaMs)}</span></>}
          </p>
          <progress max={job.totalRounds} value={last?.round ?? 0} />
          {job.status === 'done' && <p data-testid="train-result">New version <span className="mono">{job.versionId}</span></p>}
          {job.message && job.status !== 'done' && <p className={job.status === 'failed' ? 'error' : 'muted'} data-testid="train-message">{job.message}</p>}
          {running && <button className="button danger" type="button" data-testid="cancel-training" onClick={() => void onCancel()}>Cancel</button>}
          <LossChart rounds={job.rounds} totalRounds={job.totalRounds} />
        </div>
      )}
    </section>
  );
}
