import { datasetCommand } from '../datasets/datasetCommand.ts';

/** The registry of CLI commands, one module each, looked up by name. */
export interface Command {
  summary: string;
  /** Returns the process exit code. Throws only for runtime failures (exit 1). */
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, Command> = {
  dataset: datasetCommand,
};
