/**
 * cli/ — the `netguard` command line: parses arguments and hands each command to lib/.
 * Input: argv. Output: files, stdout, an exit code (0 ok, 1 runtime failure, 2 bad usage,
 * 3 a capture file was damaged: read past the damage, with a warning line on stderr).
 */
import { commands } from './commands.ts';
import { UsageError } from './usage.ts';

const usageText = `Usage: netguard <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(12)}${command.summary}`)
  .join('\n')}

Run "netguard <command> --help" for the options of one command.

Exit codes: 0 ok, 1 runtime failure, 2 bad usage, 3 the capture file was damaged (flows,
monitor --file: read past the damage; a warning line on standard error says what was lost).`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usageText + '\n');
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (entry === undefined) {
    process.stderr.write(`netguard: unknown command "${name}"\n\n${usageText}\n`);
    return 2;
  }
  const command = await entry.load();
  try {
    return await command.run(rest);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // parseArgs reports unknown or malformed options with these codes.
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`netguard ${name}: ${message}\n`);
    if (usage) {
      process.stderr.write(`\n${command.help ?? usageText}\n`);
      return 2;
    }
    return 1;
  }
}
