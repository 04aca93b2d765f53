'use client';
/**
 * The /datasets page: pick files to upload, a shipped sample or a file on the server; see the
 * detected format; import (streaming parse with progress); see the summary and the catalogue.
 */
import { useRef, useState } from 'react';
import type { CatalogueEntry, FileFormatInfo, ImportSource } from '../../../lib/imports/importContract.ts';
import { formatCount } from '../format.ts';
import { DatasetSummary } from './DatasetSummary.tsx';
import { ImportProgressBar } from './ImportProgressBar.tsx';
import { uploadFiles, type UploadHandle } from './uploadFiles.ts';
import { useDatasets } from './useDatasets.ts';
import './datasets.css';

type Phase = 'idle' | 'uploading' | 'detecting' | 'detected' | 'importing' | 'done';

interface Pending {
  source: ImportSource;
  files: FileFormatInfo[];
}

export default function DatasetImport() {
  const { connected, catalogue, samples, progress, token, detect, runImport } = useDatasets();
  const fileInput = useRef<HTMLInputElement>(null);
  const uploadRef = useRef<UploadHandle | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [uploadFraction, setUploadFraction] = useState(0);
  const [pending, setPending] = useState<Pending | null>(null);
  const [result, setResult] = useState<CatalogueEntry | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sample, setSample] = useState('');
  const [serverPath, setServerPath] = useState('');
  const busy = phase === 'uploading' || phase === 'detecting' || phase === 'importing';

  const begin = () => {
    setError(null);
    setResult(null);
    setPending(null);
  };

  const onUpload = async () => {
    const files = Array.from(fileInput.current?.files ?? []);
    if (files.length === 0) {
      setError('Choose one or more dataset files first.');
      return;
    }
    begin();
    setPhase('uploading');
    setUploadFraction(0);
    const handle = uploadFiles(files, token, setUploadFraction);
    uploadRef.current = handle;
    const reply = await handle.done;
    uploadRef.current = null;
    if (!reply.ok) {
      setError(reply.msg);
      setPhase('idle');
      return;
    }
    setPending({ source: { kind: 'upload', uploadId: reply.upload.uploadId }, files: reply.upload.detected });
    setPhase('detected');
  };

  const onDetect = async (source: ImportSource) => {
    begin();
    setPhase('detecting');
    const reply = await detect(source);
    if (!reply.ok) {
      setError(reply.msg);
      setPhase('idle');
      return;
    }
    const failed = reply.data.files.filter((f) => f.error !== null);
    if (failed.length > 0) {
      setError(failed.map((f) => `${f.name}: ${f.error}`).join('; '));
      setPhase('idle');
      return;
    }
    setPending({ source, files: reply.data.files });
    setPhase('detected');
  };

  const onImport = async () => {
    if (!pending) return;
    setError(null);
    setPhase('importing');
    const reply = await runImport(pending.source);
    if (reply.ok) {
      setResult(reply.data);
      setPhase('done');
    } else {
      setError(`Import failed: ${reply.msg}`);
      setPhase('idle');
    }
    setPending(null);
  };

  return (
    <main className="dashboard">
      <header className="topbar">
        <h1>Datasets</h1>
        <span className="muted">Import NSL-KDD, CIC-IDS2017, UNSW-NB15</span>
      </header>

      <section className="panel" aria-label="Import a dataset">
        <div className="panel-header">
          <h2>Import</h2>
          <span className="muted" data-testid="datasets-connection">{connected ? 'connected' : 'connecting…'}</span>
        </div>
        <div className="ds-sources">
          <div className="ds-source">
            <label htmlFor="upload-input">Upload files (CSV / TXT, gzip or not; several files = one dataset)</label>
            <input id="upload-input" ref={fileInput} type="file" multiple data-testid="upload-input" disabled={busy} />
            <div className="buttons">
              <button type="button" className="button primary" onClick={onUpload} disabled={busy} data-testid="upload-button">
                Upload
              </button>
              {phase === 'uploading' && (
                <button type="button" className="button danger" onClick={() => uploadRef.current?.abort()} data-testid="upload-cancel">
                  Cancel
                </button>
              )}
            </div>
          </div>
          <div className="ds-source">
            <label htmlFor="sample-select">Shipped sample</label>
            <select id="sample-select" value={sample} onChange={(e) => setSample(e.target.value)} disabled={busy} data-testid="dataset-sample-select">
              <option value="">— choose —</option>
              {samples.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name} ({formatCount(s.bytes)} B)
                </option>
              ))}
            </select>
            <button type="button" className="button" disabled={busy || sample === ''} onClick={() => onDetect({ kind: 'sample', name: sample })} data-testid="sample-button">
              Use sample
            </button>
          </div>
          <div className="ds-source">
            <label htmlFor="server-path">File already on the server (absolute path)</label>
            <input id="server-path" type="text" value={serverPath} onChange={(e) => setServerPath(e.target.value)} disabled={busy} placeholder="/srv/data/KDDTrain+.txt" data-testid="server-path-input" />
            <button type="button" className="button" disabled={busy || serverPath.trim() === ''} onClick={() => onDetect({ kind: 'path', path: serverPath.trim() })} data-testid="path-button">
              Use file
            </button>
          </div>
        </div>
      </section>

      {phase === 'uploading' && (
        <section className="panel">
          <ImportProgressBar label="Uploading" progress={{ requestId: '', bytesRead: 0, totalBytes: 0, percent: uploadFraction * 100, rows: 0, rowsPerSecond: 0, etaSeconds: null, file: '' }} />
        </section>
      )}

      {pending && (
        <section className="panel" data-testid="dataset-format" aria-label="Detected format">
          <div className="panel-header">
            <h2>Detected format</h2>
          </div>
          <ul className="ds-detected">
            {pending.files.map((f) => (
              <li key={f.name}>
                <span className="mono">{f.name}</span> ({formatCount(f.bytes)} B): <strong>{f.format}</strong> — {f.variant}, {f.columns} fields
              </li>
            ))}
          </ul>
          <div className="buttons" style={{ marginTop: 10 }}>
            <button type="button" className="button primary" onClick={onImport} disabled={phase === 'importing'} data-testid="import-button">
              Import
            </button>
          </div>
          {phase === 'importing' && <ImportProgressBar label="Parsing" progress={progress} />}
        </section>
      )}

      {error && (
        <p className="panel error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}

      {result && <DatasetSummary entry={result} />}

      <section className="panel ds-catalogue" data-testid="dataset-catalogue" aria-label="Imported datasets">
        <div className="panel-header">
          <h2>Imported datasets</h2>
          <span className="muted">{catalogue.length}</span>
        </div>
        {catalogue.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Format</th>
                  <th className="num">Rows</th>
                  <th className="num">Columns</th>
                  <th className="num">Rejected</th>
                  <th>Imported</th>
                </tr>
              </thead>
              <tbody>
                {catalogue.map((entry) => (
                  <tr key={entry.id} data-testid="dataset-entry">
                    <td className="mono">{entry.name}</td>
                    <td>{entry.sourceFormat}</td>
                    <td className="num">{formatCount(entry.rows)}</td>
                    <td className="num">{formatCount(entry.columns)}</td>
                    <td className="num">{formatCount(entry.rowsRejected)}</td>
                    <td>{new Date(entry.importedAt).toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </main>
  );
}
