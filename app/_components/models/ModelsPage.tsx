'use client';
/** /models: the registry's versions, one version's details, compare, activate / roll back / delete, and training. */
import { useEffect, useState } from 'react';
import './models.css';
import type { ModelDetails } from '../../../lib/registry/modelDetails.ts';
import { ComparePanel } from './ComparePanel.tsx';
import { TrainPanel } from './TrainPanel.tsx';
import { VersionDetail } from './VersionDetail.tsx';
import { VersionTable } from './VersionTable.tsx';
import { useModels } from './useModels.ts';

export default function ModelsPage() {
  const models = useModels();
  const [selected, setSelected] = useState<string | null>(null);
  const [details, setDetails] = useState<ModelDetails | null>(null);
  const [compareIds, setCompareIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const { versions, details: fetchDetails } = models;

  const shown = versions.find((v) => v.id === selected) ?? versions.find((v) => v.active) ?? versions[0] ?? null;
  const shownId = shown?.id ?? null;
  useEffect(() => {
    if (shownId === null) return;
    let current = true;
    setDetails(null);
    void fetchDetails(shownId).then((d) => {
      if (current) setDetails(d);
    });
    return () => {
      current = false;
    };
    // fetchDetails is a new function each render; the id is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shownId]);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setNotice(null);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };
  const activation = (result: { versionId: string; appliesTo: string; note?: string } | null) => {
    if (result) setNotice(`Now running ${result.versionId}${result.appliesTo === 'next-session' ? ' from the next session' : ''}.${result.note ? ` ${result.note}` : ''}`);
  };

  return (
    <main className="dashboard">
      <header className="topbar">
        <h1>Models</h1>
        <span className="muted" data-testid="models-connection">{models.connected ? 'connected' : 'not connected'}</span>
        <button className="button" type="button" data-testid="rollback-button" disabled={busy} onClick={() => void act(async () => activation(await models.rollback()))}>
          Roll back
        </button>
      </header>
      {models.error && <p className="notice error" data-testid="models-error" role="alert">{models.error}</p>}
      {notice && <p className="notice" data-testid="models-notice">{notice}</p>}
      <section className="panel">
        <div className="panel-header"><h2>Versions</h2><span className="muted">{versions.length}</span></div>
        <VersionTable
          versions={versions}
          selected={shownId}
          compareIds={compareIds}
          busy={busy}
          onSelect={setSelected}
          onToggleCompare={(id) => setCompareIds((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id].slice(-2)))}
          onActivate={(id) => void act(async () => activation(await models.activate(id)))}
          onDelete={(id) => {
            if (window.confirm(`Delete model version ${id}?`)) void act(() => models.remove(id));
          }}
        />
      </section>
      {shown && <VersionDetail version={shown} details={details?.id === shown.id ? details : null} />}
      <ComparePanel ids={compareIds} busy={busy} onCompare={models.compare} />
      <TrainPanel job={models.training} catalogue={models.catalogue} disabled={!models.connected} onStart={models.startTraining} onCancel={models.cancelTraining} />
    </main>
  );
}
