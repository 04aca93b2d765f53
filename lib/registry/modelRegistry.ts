/**
 * The model registry: every model version is a folder `<directory>/<versionId>/` (model.onnx,
 * model.json, metrics.json, version.json); `active.json` says which one the monitor runs and
 * in what order versions were activated. Activation checks live compatibility first, then asks
 * the monitor to load the model, and only then persists, so the file never names a model the
 * monitor refused. Changes (register, activate, rollback, delete) run one at a time.
 */
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { EvaluationReport } from '../model/evaluate/evaluation.ts';
import { evaluateModel } from '../model/evaluate/evaluateModel.ts';
import type { ModelActivation } from '../monitor/monitor.ts';
import { type ActiveState, readActiveState, writeActiveState } from './activeState.ts';
import { liveCompatibility } from './liveCompatibility.ts';
import { type ModelVersionSummary, readModelMetadata, summarizeVersion, VERSION_INFO_FILE, type VersionInfo } from './modelVersion.ts';

/** What the monitor says when asked to run a model: `appliesTo` 'now' or 'next-session'. */
export type { ModelActivation };

export interface ModelActivator {
  activateModel(directory: string): Promise<ModelActivation>;
}

export interface ActivationResult extends ModelActivation {
  /** Live caveat of this model (e.g. NSL-KDD content features always 0). */
  note?: string;
}

export interface ComparedModel {
  id: string;
  name: string;
  report: EvaluationReport;
}

export interface ModelComparison {
  dataset: string[];
  /** Rows loaded from the dataset (the same for both models). */
  rows: number;
  a: ComparedModel;
  b: ComparedModel;
}

export interface RegistryOptions {
  directory: string;
  /** Folders of models to copy in at first start (e.g. trained_models/). */
  shippedModelsDirectory?: string;
  activator?: ModelActivator;
  log?: (line: string) => void;
}

const VERSION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const COPIED_FILES = ['model.onnx', 'model.json', 'metrics.json'] as const;

export class ModelRegistry {
  private state: ActiveState;
  private activator: ModelActivator | undefined;
  private changes: Promise<unknown> = Promise.resolve();

  private constructor(readonly directory: string, activator: ModelActivator | undefined) {
    this.state = readActiveState(directory);
    this.activator = activator;
  }

  /** Opens (creating if needed) the registry; at first start copies in the shipped models. */
  static async open(options: RegistryOptions): Promise<ModelRegistry> {
    const directory = resolve(options.directory);
    await mkdir(directory, { recursive: true });
    const registry = new ModelRegistry(directory, options.activator);
    if (!registry.state.seeded) {
      const shipped = options.shippedModelsDirectory;
      if (shipped !== undefined && existsSync(shipped)) {
        for (const entry of readdirSync(shipped, { withFileTypes: true })) {
          const folder = join(shipped, entry.name);
          if (!entry.isDirectory() || !existsSync(join(folder, 'model.json'))) continue;
          try {
            await registry.copyIn(folder, entry.name);
          } catch (error) {
            options.log?.(`shipped model ${folder} not registered: ${(error as Error).message}`);
          }
        }
      }
      registry.save({ ...registry.state, seeded: true });
    }
    return registry;
  }

  setActivator(activator: ModelActivator): void {
    this.activator = activator;
  }

  /** Copies a model folder (a training run's output) in as a version; the same model twice is one version. */
  register(sourceDirectory: string, name?: string): Promise<string> {
    return this.serially(() => this.copyIn(sourceDirectory, name ?? basename(resolve(sourceDirectory))));
  }

  /**
   * The folder the monitor should load at start: the persisted active version when it still
   * exists, else `fallback` (registered and recorded as active, without calling the monitor).
   */
  async startupModelDirectory(fallback: string): Promise<string> {
    const active = this.state.active;
    if (active !== null && existsSync(join(this.directory, active, 'model.json'))) return this.directoryOf(active);
    const id = await this.register(fallback);
    this.save({ ...this.state, active: id, history: [...this.state.history, { id, at: new Date().toISOString() }] });
    return this.directoryOf(id);
  }

  activeVersion(): string | null {
    return this.state.active;
  }

  directoryOf(id: string): string {
    if (!VERSION_ID.test(id)) throw new Error(`"${id}" is not a model version id`);
    return join(this.directory, id);
  }

  /** Every version, newest first. */
  async list(): Promise<ModelVersionSummary[]> {
    const versions: ModelVersionSummary[] = [];
    for (const entry of readdirSync(this.directory, { withFileTypes: true })) {
      if (!entry.isDirectory() || !VERSION_ID.test(entry.name) || !existsSync(join(this.directory, entry.name, 'model.json'))) continue;
      try {
        versions.push(await summarizeVersion(join(this.directory, entry.name), this.state.active));
      } catch {
        // A folder that is not a readable model is not a version; list() stays usable.
      }
    }
    return versions.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<ModelVersionSummary> {
    return summarizeVersion(this.existing(id), this.state.active);
  }

  /** Makes `id` the monitor's model; refuses a model the live engine cannot feed, saying why. */
  activate(id: string): Promise<ActivationResult> {
    return this.serially(async () => {
      const result = await this.runOnMonitor(id);
      if (this.state.active !== id) {
        this.save({ ...this.state, active: id, history: [...this.state.history, { id, at: new Date().toISOString() }] });
      }
      return result;
    });
  }

  /** Goes back to the version active before the current one (deleted versions are skipped). */
  rollback(): Promise<ActivationResult> {
    return this.serially(async () => {
      const history = [...this.state.history];
      while (history.length > 0 && history[history.length - 1]!.id === this.state.active) history.pop();
      while (history.length > 0 && !existsSync(join(this.directory, history[history.length - 1]!.id, 'model.json'))) history.pop();
      const previous = history[history.length - 1];
      if (previous === undefined) throw new Error('there is no earlier model version to roll back to');
      const result = await this.runOnMonitor(previous.id);
      this.save({ ...this.state, active: previous.id, history });
      return result;
    });
  }

  /** Removes a version; the active one is refused. */
  delete(id: string): Promise<void> {
    return this.serially(async () => {
      const directory = this.existing(id);
      if (this.state.active === id) {
        throw new Error(`model ${id} is the active model; activate another version before deleting it`);
      }
      // Renamed away first, so a half-deleted folder is never listed as a version.
      const doomed = join(this.directory, `.deleting-${id}-${process.pid}`);
      await rename(directory, doomed);
      await rm(doomed, { recursive: true, force: true });
    });
  }

  /** Both versions evaluated on the same labelled dataset files (lib/model/evaluate/evaluateModel.ts). */
  async compare(idA: string, idB: string, datasetPaths: string[]): Promise<ModelComparison> {
    if (datasetPaths.length === 0) throw new Error('choose a labelled dataset to compare the models on');
    const directoryA = this.existing(idA);
    const directoryB = this.existing(idB);
    const [summaryA, summaryB] = [await this.get(idA), await this.get(idB)];
    // One after the other: each evaluation holds a whole dataset in memory.
    const a = await evaluateModel(directoryA, datasetPaths);
    const aRows = a.table.rowCount;
    const aReport = a.report;
    const b = await evaluateModel(directoryB, datasetPaths);
    return {
      dataset: datasetPaths,
      rows: Math.max(aRows, b.table.rowCount),
      a: { id: idA, name: summaryA.name, report: aReport },
      b: { id: idB, name: summaryB.name, report: b.report },
    };
  }

  private async runOnMonitor(id: string): Promise<ActivationResult> {
    const directory = this.existing(id);
    const compatibility = liveCompatibility(await readModelMetadata(directory));
    if (!compatibility.capable) throw new Error(`model ${id} cannot run on live traffic: ${compatibility.reason}`);
    if (this.activator === undefined) throw new Error('no monitor is attached to the model registry');
    const activation = await this.activator.activateModel(directory);
    return compatibility.note === undefined ? activation : { ...activation, note: compatibility.note };
  }

  private existing(id: string): string {
    const directory = this.directoryOf(id);
    if (!existsSync(join(directory, 'model.json'))) throw new Error(`there is no model version "${id}"`);
    return directory;
  }

  private async copyIn(sourceDirectory: string, name: string): Promise<string> {
    const source = resolve(sourceDirectory);
    for (const file of ['model.onnx', 'model.json']) {
      if (!existsSync(join(source, file))) throw new Error(`${source} has no ${file}; is it a model folder from "netguard train"?`);
    }
    const id = (await readModelMetadata(source)).versionId;
    const target = this.directoryOf(id);
    if (existsSync(join(target, 'model.json'))) return id;
    // Built beside the target and renamed in, so a version folder is always complete.
    const building = join(this.directory, `.building-${id}-${process.pid}`);
    await rm(building, { recursive: true, force: true });
    await mkdir(building);
    for (const file of COPIED_FILES) {
      if (existsSync(join(source, file))) await copyFile(join(source, file), join(building, file));
    }
    const info: VersionInfo = { name, registeredAt: new Date().toISOString(), origin: source };
    await writeFile(join(building, VERSION_INFO_FILE), `${JSON.stringify(info, null, 2)}\n`);
    await rm(target, { recursive: true, force: true });
    await rename(building, target);
    return id;
  }

  private save(state: ActiveState): void {
    writeActiveState(this.directory, state);
    this.state = state;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.changes.then(work);
    this.changes = run.catch(() => undefined);
    return run;
  }
}

/** What the realtime layer may ask of the registry (lib/realtime/modelHandlers.ts). */
export type ModelRegistryApi = Pick<ModelRegistry, 'list' | 'activate' | 'rollback' | 'delete' | 'compare' | 'directoryOf'>;
