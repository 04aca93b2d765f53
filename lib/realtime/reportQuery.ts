/**
 * The query of the stored-alerts exports (CSV report, EVE alerts): `?session=<id>&from=<ms>&to=<ms>`,
 * validated with zod; a bad one is a 400 with the reason.
 */
import { z } from 'zod';

export interface ReportQuery {
  sessionId?: string;
  /** Inclusive bounds, ms since the epoch. */
  from?: number;
  to?: number;
}

const millis = z
  .string()
  .regex(/^\d{1,16}$/, 'must be milliseconds since the epoch (digits only)')
  .transform(Number);

const querySchema = z
  .object({
    session: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits or . _ : -')
      .optional(),
    from: millis.optional(),
    to: millis.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });

/** The query, or the message for a 400. Empty parameters (`?session=`) count as absent. */
export function parseReportQuery(params: URLSearchParams): { ok: true; query: ReportQuery } | { ok: false; msg: string } {
  const raw: Record<string, string> = {};
  for (const key of ['session', 'from', 'to'] as const) {
    const values = params.getAll(key);
    if (values.length > 1) return { ok: false, msg: `${key}: given ${values.length} times` };
    if (values[0] !== undefined && values[0] !== '') raw[key] = values[0];
  }
  const parsed = querySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, msg: `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}` };
  }
  const query: ReportQuery = {};
  if (parsed.data.session !== undefined) query.sessionId = parsed.data.session;
  if (parsed.data.from !== undefined) query.from = parsed.data.from;
  if (parsed.data.to !== undefined) query.to = parsed.data.to;
  return { ok: true, query };
}
