/** Safe stored names for uploaded files: the base name only, no path tricks, unique per upload. */
import { randomBytes } from 'node:crypto';

/** A client's file name as a plain base name of safe characters ("../x y.csv" → "x_y.csv"). */
export function safeFileName(clientName: string, taken: Set<string>): string {
  const base = clientName.split(/[\\/]/).pop() ?? '';
  let name = base.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^[.]+/, '').slice(0, 120);
  if (name === '') name = 'upload';
  let candidate = name;
  for (let copy = 1; taken.has(candidate); copy += 1) candidate = `${copy}-${name}`;
  taken.add(candidate);
  return candidate;
}

/** Sortable, unguessable folder ids: 'u-' for uploads, 'd-' for imports of samples or paths. */
export function newId(prefix: 'u' | 'd', now = Date.now()): string {
  return `${prefix}-${now.toString(36)}-${randomBytes(6).toString('hex')}`;
}

export const ID_PATTERN = /^[ud]-[a-z0-9]{1,12}-[0-9a-f]{12}$/;
