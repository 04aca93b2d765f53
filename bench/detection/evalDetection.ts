/**
 * The detection scorecard (npm run eval:detection): replays every lab capture and every real
 * shared capture with known truth through the monitor's path, prints per-capture figures and
 * totals, and writes DETECTION.md.
 *
 *   npm run eval:detection                          lab + shared, writes DETECTION.md
 *   npm run eval:detection -- --captures DIR        also every <name>.pcap.gz + <name>.truth.json in DIR
 *   npm run eval:detection -- --model DIR --out FILE --only NAME,NAME
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { labCaptures, sharedCaptures, type TruthCapture } from './groundTruth.ts';
import { type CaptureScore, scoreCapture } from './scorecard.ts';
import { formatScorecard } from './formatScorecard.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));

const argsSchema = z.object({
  model: z.string().default(join(repo, 'trained_models/live-corrected-family')),
  out: z.string().default(join(repo, 'DETECTION.md')),
  captures: z.string().optional(),
  only: z.string().optional(),
  datasets: z.string().default(process.env.NETGUARD_DATASETS ?? join(repo, '../shared/datasets')),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, out: { type: 'string' }, captures: { type: 'string' }, only: { type: 'string' }, datasets: { type: 'string' } },
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new Error(`eval:detection: ${parsed.error.issues[0]?.message}`);
  const args = parsed.data;
  let captures: TruthCapture[] = [
    ...labCaptures(join(repo, 'datasets/lab')),
    ...(args.captures === undefined ? [] : labCaptures(resolve(args.captures))),
    ...sharedCaptures(resolve(args.datasets)),
  ];
  if (args.only !== undefined) {
    const wanted = new Set(args.only.split(','));
    captures = captures.filter((capture) => wanted.has(capture.truth.scenario));
  }
  if (captures.length === 0) throw new Error('eval:detection: no capture with ground truth found');
  const scores: CaptureScore[] = [];
  for (const capture of captures) {
    process.stderr.write(`scoring ${capture.truth.scenario} ...\n`);
    scores.push(await scoreCapture(capture, resolve(args.model)));
  }
  const text = formatScorecard(scores, { model: resolve(args.model), date: new Date().toISOString() });
  process.stdout.write(`${text}\n`);
  writeFileSync(resolve(args.out), `${text}\n`);
  process.stderr.write(`wrote ${resolve(args.out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
