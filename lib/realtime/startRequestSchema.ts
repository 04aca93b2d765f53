/**
 * The only shape 'monitor:start' accepts. Anything a browser sends is checked here before the
 * monitor sees it; the monitor still decides whether the named interface or sample exists.
 */
import { z } from 'zod';
import type { StartRequest } from './contract.ts';

const name = z.string().trim().min(1, 'name is empty').max(256, 'name is longer than 256 characters');
const speed = z.enum(['max', 'recorded']);

export const sourceRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('interface'),
    name,
    /** A BPF expression; tcpdump syntax, checked by libpcap when the capture opens. */
    filter: z.string().max(1000, 'filter is longer than 1000 characters').optional(),
  }),
  z.strictObject({ kind: z.literal('sample'), name, speed }),
  z.strictObject({ kind: z.literal('file'), path: z.string().min(1, 'path is empty').max(4096), speed }),
]);

export const startRequestSchema = z.strictObject({ source: sourceRequestSchema });

/** The request, or a one-line message saying what is wrong with it. */
export function parseStartRequest(input: unknown): { ok: true; request: StartRequest } | { ok: false; msg: string } {
  const parsed = startRequestSchema.safeParse(input);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, msg: `invalid start request: ${where}${issue?.message ?? 'not an object'}` };
}
