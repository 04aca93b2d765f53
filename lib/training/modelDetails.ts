/**
 * What the /models page shows of one version beyond the registry's summary: per test set the
 * confusion matrix and per-class figures, and the top features by gain, read from the version's
 * metrics.json (written by runTraining). Served as 'models:details' { id } -> Ack<ModelDetails>.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from 'socket.io';
import { z } from 'zod';
import type { ClientToServerEvents, ServerToClientEvents } from '../realtime/contract.ts';
import { answer } from '../realtime/socketHandlers.ts';

const testSetSchema = z.object({
  rows: z.number(),
  accuracy: z.number(),
  macroF1: z.number(),
  perClass: z.array(z.object({ class: z.string(), precision: z.number(), recall: z.number(), f1: z.number(), support: z.number() })).default([]),
  confusion: z.object({ classes: z.array(z.string()), matrix: z.array(z.array(z.number())) }).nullable().default(null),
});

const metricsFileSchema = z.object({
  testSets: z.record(z.string(), testSetSchema).default({}),
  topFeatures: z.array(z.object({ feature: z.string(), gain: z.number(), share: z.number() })).default([]),
  training: z.object({ trainRows: z.number().optional(), validationRows: z.number().optional(), roundsTrained: z.number().optional(), trainingMs: z.number().optional() }).passthrough().optional(),
});

export type ModelDetails = z.infer<typeof metricsFileSchema> & { id: string };

export async function readModelDetails(directory: string, id: string): Promise<ModelDetails> {
  const path = join(directory, 'metrics.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`model version ${id} has no readable metrics.json: ${(error as Error).message}`);
  }
  const parsed = metricsFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`metrics.json of model version ${id} is not in the trainer's layout: ${parsed.error.issues[0]?.path.join('.')}`);
  return { id, ...parsed.data };
}

type DetailsServer = Server<{ 'models:details': (request: { id: string }, ack: (reply: { ok: true; data: ModelDetails } | { ok: false; msg: string }) => void) => void }>;

const idSchema = z.object({ id: z.string().min(1).max(200) });

/** Answers 'models:details' { id } from the registry's version folders. */
export function attachModelDetails(hubIo: Server<ClientToServerEvents, ServerToClientEvents>, registry: { directoryOf(id: string): string }): void {
  const io = hubIo as unknown as DetailsServer;
  io.on('connection', (socket) => {
    socket.on('models:details', (...args: unknown[]) => {
      void answer(args[args.length - 1], async () => {
        const request = idSchema.safeParse(args.length > 1 ? args[0] : undefined);
        if (!request.success) throw new Error('invalid details request: id: a model version id is required');
        return readModelDetails(registry.directoryOf(request.data.id), request.data.id);
      });
    });
  });
}
