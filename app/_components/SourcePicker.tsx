import type { SourceRequest, SourcesInfo } from '../../lib/realtime/contract.ts';
import { formatBytes } from './format.ts';

/** A live interface, one of the server's samples, or a capture file in its allowed folders. */
export type SourceKind = 'interface' | 'sample' | 'file';

export interface SourceChoice {
  kind: SourceKind;
  interfaceName: string;
  filter: string;
  sampleName: string;
  filePath: string;
  /** Replay speed of a sample or a file. */
  speed: 'max' | 'recorded';
}

export const emptyChoice: SourceChoice = { kind: 'sample', interfaceName: '', filter: '', sampleName: '', filePath: '', speed: 'recorded' };

/** The request for the chosen source, or a message saying what is still missing. */
export function sourceRequest(choice: SourceChoice): SourceRequest | string {
  if (choice.kind === 'interface') {
    if (choice.interfaceName === '') return 'choose an interface';
    const filter = choice.filter.trim();
    return filter === '' ? { kind: 'interface', name: choice.interfaceName } : { kind: 'interface', name: choice.interfaceName, filter };
  }
  if (choice.kind === 'file') {
    if (choice.filePath === '') return 'choose a capture file';
    return { kind: 'file', path: choice.filePath, speed: choice.speed };
  }
  if (choice.sampleName === '') return 'choose a sample capture';
  return { kind: 'sample', name: choice.sampleName, speed: choice.speed };
}

/** Fills in defaults once the server's sources are known (first interface, first sample, first file). */
export function defaultChoice(sources: SourcesInfo, current: SourceChoice): SourceChoice {
  const firstInterface = sources.interfaces.find((i) => !i.isLoopback) ?? sources.interfaces[0];
  return {
    ...current,
    kind: sources.liveAvailable ? current.kind : 'sample',
    interfaceName: current.interfaceName || (firstInterface?.name ?? ''),
    sampleName: current.sampleName || (sources.samples[0]?.name ?? ''),
    filePath: current.filePath || (sources.captureFiles[0]?.path ?? ''),
  };
}

/** The name first (a narrow select shows the start of the text), then the size and the folder. */
function fileLabel(file: { path: string; bytes: number }): string {
  const cut = file.path.lastIndexOf('/');
  return `${file.path.slice(cut + 1)} — ${formatBytes(file.bytes)} — ${cut > 0 ? file.path.slice(0, cut) : '/'}`;
}

interface SourcePickerProps {
  sources: SourcesInfo | null;
  choice: SourceChoice;
  onChange: (choice: SourceChoice) => void;
  disabled: boolean;
}

export function SourcePicker({ sources, choice, onChange, disabled }: SourcePickerProps) {
  const live = sources?.liveAvailable ?? false;
  const files = sources?.captureFiles ?? [];
  const set = (patch: Partial<SourceChoice>) => onChange({ ...choice, ...patch });
  return (
    <fieldset className="source-picker" disabled={disabled || sources === null} data-testid="source-picker">
      <legend>Source</legend>
      <label>
        <span>Kind</span>
        <select value={choice.kind} onChange={(e) => set({ kind: e.target.value as SourceKind })} data-testid="source-kind">
          <option value="interface" disabled={!live}>
            Live interface{live ? '' : ' (unavailable)'}
          </option>
          <option value="sample">Sample capture</option>
          <option value="file" disabled={files.length === 0}>
            Capture file{files.length === 0 ? ' (none in the allowed folders)' : ''}
          </option>
        </select>
      </label>
      {choice.kind === 'interface' ? (
        <>
          <label>
            <span>Interface</span>
            <select value={choice.interfaceName} onChange={(e) => set({ interfaceName: e.target.value })} data-testid="interface-select">
              {(sources?.interfaces ?? []).map((i) => (
                <option key={i.name} value={i.name}>
                  {i.name}
                  {i.addresses.length > 0 ? ` (${i.addresses.slice(0, 2).join(', ')})` : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="grow">
            <span>BPF filter (optional)</span>
            <input
              type="text"
              value={choice.filter}
              placeholder="e.g. tcp and not port 22"
              spellCheck={false}
              maxLength={1000}
              onChange={(e) => set({ filter: e.target.value })}
              data-testid="bpf-filter"
            />
          </label>
        </>
      ) : (
        <>
          {choice.kind === 'sample' ? (
            <label className="grow">
              <span>Sample</span>
              <select value={choice.sampleName} onChange={(e) => set({ sampleName: e.target.value })} data-testid="sample-select">
                {(sources?.samples ?? []).map((s) => (
                  <option key={s.name} value={s.name} title={s.description}>
                    {s.name}
                    {s.packets !== undefined ? ` — ${s.packets.toLocaleString('en-US')} packets` : ''}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <label className="grow">
              <span>File (in the server's allowed folders)</span>
              <select value={choice.filePath} onChange={(e) => set({ filePath: e.target.value })} data-testid="file-select">
                {files.map((f) => (
                  <option key={f.path} value={f.path} title={f.path}>
                    {fileLabel(f)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            <span>Speed</span>
            <select value={choice.speed} onChange={(e) => set({ speed: e.target.value as 'max' | 'recorded' })} data-testid="speed-select">
              <option value="recorded">Recorded</option>
              <option value="max">Max</option>
            </select>
          </label>
        </>
      )}
      {sources !== null && !sources.liveAvailable && (
        <p className="notice" role="status" data-testid="live-unavailable">
          Live capture unavailable: {sources.liveUnavailableReason ?? 'this server may not capture packets'}
        </p>
      )}
    </fieldset>
  );
}
