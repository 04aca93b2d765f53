/**
 * The registry of CLI commands, one module each, looked up by name. A command's module is loaded
 * only when it runs: importing all five cost `netguard flows` 0.4 s of start-up and 25 MB.
 */

export interface Command {
  /** Full usage text, printed after a usage error. */
  help?: string;
  /** Returns the process exit code. Throws UsageError for a bad command line (exit 2), anything else for a runtime failure (exit 1). */
  run(args: string[]): Promise<number>;
}

export interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}

export const commands: Record<string, CommandEntry> = {
  dataset: {
    summary: 'Load dataset CSVs and print their load report (optionally cache them)',
    load: async () => (await import('./datasetCommand.ts')).datasetCommand,
  },
  evaluate: {
    summary: 'Score labelled flow CSVs with a trained model: metrics, JSON, per-row predictions',
    load: async () => (await import('./evaluateCommand.ts')).evaluateCommand,
  },
  flows: {
    summary: 'Capture file or live interface -> flow features as CSV (cic2017, corrected, kdd)',
    load: async () => (await import('./flowsCommand.ts')).flowsCommand,
  },
  monitor: {
    summary: 'Detect threats on an interface or in a capture file, without the dashboard',
    load: async () => (await import('./monitorCommand.ts')).monitorCommand,
  },
  train: {
    summary: 'Train a GBDT model on labelled flow CSVs -> model.onnx + model.json + metrics.json',
    load: async () => (await import('./trainCommand.ts')).trainCommand,
  },
};
