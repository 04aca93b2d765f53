/**
 * Lets a list option take several values after one flag (`--dataset a.csv b.csv`), as well as the
 * repeated form node's parseArgs understands (`--dataset a.csv --dataset b.csv`): every bare word
 * after a listed flag, up to the next option, becomes another `--flag word`.
 */
export function expandListOptions(args: readonly string[], listOptions: readonly string[]): string[] {
  const flags = new Set(listOptions.map((name) => `--${name}`));
  const out: string[] = [];
  let current: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (arg.startsWith('-')) {
      const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
      current = flags.has(name) ? name : null;
      out.push(arg);
      if (flags.has(name) && !arg.includes('=') && i + 1 < args.length) out.push(args[++i]!);
      continue;
    }
    if (current !== null) out.push(current, arg);
    else out.push(arg);
  }
  return out;
}
