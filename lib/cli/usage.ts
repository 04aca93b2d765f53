/**
 * Exit code of `flows` and `monitor --file` when the capture was damaged: they read on past the
 * damage (and print a warning line), but the output lacks or alters some packets.
 */
export const CAPTURE_DAMAGED_EXIT_CODE = 3;

/** A mistake in the command line: main prints the message and the command's help, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A whole number within [min, max] from an option's text, or a UsageError naming the option. */
export function wholeNumberOption(name: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** A positive number of seconds from an option's text. */
export function secondsOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a number of seconds above 0, got "${text}"`);
  return value;
}
