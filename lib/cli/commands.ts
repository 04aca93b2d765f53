import { datasetCommand } from './datasetCommand.ts';
import { evaluateCommand } from './evaluateCommand.ts';
import { flowsCommand } from './flowsCommand.ts';
import { monitorCommand } from './monitorCommand.ts';
import { trainCommand } from './trainCommand.ts';

/** The registry of CLI commands, one module each, looked up by name. */
export interface Command {
  summary: string;
  /** Full usage text, printed after a usage error. */
  help?: string;
  /** Returns the process exit code. Throws UsageError for a bad command line (exit 2), anything else for a runtime failure (exit 1). */
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, Command> = {
  dataset: datasetCommand,
  evaluate: evaluateCommand,
  flows: flowsCommand,
  monitor: monitorCommand,
  train: trainCommand,
};
