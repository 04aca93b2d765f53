import { execFileSync } from 'node:child_process';

/** Runs tshark and returns its stdout lines (the setup script installs tshark). */
export function tsharkLines(args: string[]): string[] {
  const output = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  return output.split('\n').filter((line) => line.trim() !== '');
}

/** Order-independent conversation key "proto|a:port|b:port" with the endpoints sorted. */
export function conversationKey(protocol: number, a: string, aPort: number, b: string, bPort: number): string {
  const left = `${a}:${aPort}`;
  const right = `${b}:${bPort}`;
  return left < right ? `${protocol}|${left}|${right}` : `${protocol}|${right}|${left}`;
}
