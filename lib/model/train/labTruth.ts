/**
 * The ground truth recorded beside each lab capture (`datasets/lab/<scenario>.truth.json`) and the
 * rule that labels a flow from it. The rule is the lab's contract, shared by everyone who scores
 * lab captures: a flow is an attack flow when either endpoint is one of the `attackers`, or — for
 * tools that spoof random sources — when it is towards a victim during the attack window from an
 * address that is not a lab host. Everything else (benign-only scenarios, benign hosts) is benign.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** Families the lab records; each is a class of the live model. */
export const LAB_FAMILIES = ['PortScan', 'DoS', 'BruteForce'] as const;

export const labTruthSchema = z.object({
  scenario: z.string().min(1),
  /** train: the live model may learn from it; eval: never trained on or calibrated with. */
  split: z.enum(['train', 'eval']),
  network: z.enum(['lan', 'loopback']),
  description: z.string().default(''),
  /** null = benign-only scenario. */
  family: z.enum(LAB_FAMILIES).nullable(),
  attackers: z.array(z.string()),
  spoofedSources: z.boolean().default(false),
  victims: z.array(z.string()),
  benignHosts: z.array(z.string()),
  /** Packet clock (µs since the epoch) just before the attack tool started; null if benign. */
  attackStartUs: z.number().nullable(),
  attackEndUs: z.number().nullable(),
  commands: z.array(z.string()).default([]),
  durationSeconds: z.number().optional(),
});

export type LabTruth = z.output<typeof labTruthSchema>;

export async function readLabTruth(path: string): Promise<LabTruth> {
  const parsed = labTruthSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`${path} is not a lab truth file: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The flow facts the rule looks at: both endpoint addresses (text) and the packet-clock span. */
export interface LabeledFlowEnds {
  sourceIp: string;
  destinationIp: string;
  startUs: number;
  lastUs: number;
}

/** Precomputed address sets of one truth file; `isAttack` is called once per flow. */
export class LabFlowLabeler {
  private readonly attackers: Set<string>;
  private readonly victims: Set<string>;
  private readonly labHosts: Set<string>;

  constructor(readonly truth: LabTruth) {
    this.attackers = new Set(truth.attackers);
    this.victims = new Set(truth.victims);
    this.labHosts = new Set([...truth.attackers, ...truth.victims, ...truth.benignHosts]);
  }

  isAttack(flow: LabeledFlowEnds): boolean {
    const { truth } = this;
    if (truth.family === null) return false;
    if (this.attackers.has(flow.sourceIp) || this.attackers.has(flow.destinationIp)) return true;
    if (!truth.spoofedSources || truth.attackStartUs === null || truth.attackEndUs === null) return false;
    if (flow.lastUs < truth.attackStartUs || flow.startUs > truth.attackEndUs) return false;
    // Either orientation: the victim's SYN-ACK can open a flow before the spoofed SYN is seen.
    return (this.victims.has(flow.destinationIp) && !this.labHosts.has(flow.sourceIp))
      || (this.victims.has(flow.sourceIp) && !this.labHosts.has(flow.destinationIp));
  }

  /** The flow's class: the scenario's family for an attack flow, else `benignClass`. */
  classOf(flow: LabeledFlowEnds, benignClass: string): string {
    return this.isAttack(flow) ? this.truth.family! : benignClass;
  }
}
