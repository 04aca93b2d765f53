/**
 * `active.json`: the active version and the activation history (oldest first), so a restart
 * keeps the chosen model and rollback knows what came before. Written to a temporary file and
 * renamed over the old one, so a crash leaves either the old or the new state, never half.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const ACTIVE_FILE = 'active.json';
/** Activations remembered for rollback. */
export const HISTORY_LIMIT = 50;

export const activeStateSchema = z.object({
  active: z.string().nullable(),
  /** Version ids in activation order; the last one is `active`. */
  history: z.array(z.object({ id: z.string(), at: z.string() })),
  /** The shipped models were copied in (first start done): a deleted one stays deleted. */
  seeded: z.boolean(),
});
export type ActiveState = z.infer<typeof activeStateSchema>;

export function readActiveState(directory: string): ActiveState {
  const path = join(directory, ACTIVE_FILE);
  if (!existsSync(path)) return { active: null, history: [], seeded: false };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is unreadable (${(error as Error).message}); fix or delete it to choose the model again`);
  }
  const parsed = activeStateSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not a NetGuard active-model file; fix or delete it to choose the model again`);
  return parsed.data;
}

export function writeActiveState(directory: string, state: ActiveState): void {
  const path = join(directory, ACTIVE_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  const kept = { ...state, history: state.history.slice(-HISTORY_LIMIT) };
  writeFileSync(temporary, `${JSON.stringify(kept, null, 2)}\n`);
  renameSync(temporary, path);
}
