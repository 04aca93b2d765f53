/**
 * Settings of evidence fusion (evidenceFusion.ts): how much one flow verdict counts, how evidence
 * adds up and when it becomes an alert. lib/detect/README.md gives the reason for each default.
 */
import { z } from 'zod';

export const fusionConfigSchema = z
  .object({
    windowSeconds: z
      .number().gt(0).max(86_400)
      .default(120)
      .describe('Evidence about one (attacker, family) older than this is forgotten; a quiet key starts again from nothing.'),
    flowFloor: z
      .number().min(0).max(1)
      .default(0.7)
      .describe('A flow verdict is evidence only at or above this calibrated attack probability.'),
    flowWeight: z
      .number().gt(0).max(1)
      .default(0.1)
      .describe('What one flow verdict adds: model evidence = 1 − Π(1 − flowWeight × p) over the flagged flows in the window.'),
    alertThreshold: z
      .number().gt(0).max(1)
      .default(0.3)
      .describe('Fused confidence at or above which the evidence becomes an alert (severity from the fused confidence).'),
    victimMinSources: z
      .number().int().min(2).max(1_000_000)
      .default(20)
      .describe('Distinct sources of flow verdicts against one victim before they add up as a many-source flood.'),
    reportIntervalSeconds: z
      .number().gt(0).max(86_400)
      .default(30)
      .describe('An alert is updated at most this often while its evidence keeps coming (sooner when its severity rises).'),
    maxKeys: z
      .number().int().min(16).max(10_000_000)
      .default(20_000)
      .describe('Most (attacker, family) keys held at once; the one quiet the longest is dropped when full (spoofed floods).'),
    evidencePerAlert: z
      .number().int().min(1).max(1_000_000)
      .default(100)
      .describe('Evidence rows stored per alert; the rest are counted in the alert.'),
  })
  .prefault({});

export type FusionConfig = z.output<typeof fusionConfigSchema>;
export type FusionConfigInput = z.input<typeof fusionConfigSchema>;
