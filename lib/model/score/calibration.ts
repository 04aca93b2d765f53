/**
 * Calibration of a model's attack probability, 1 − P(benign), so a value of 0.85 means that
 * about 85 % of flows scored there are attacks — what the monitor's severity tiers (Critical ≥
 * 0.85, High ≥ 0.70, Medium ≥ 0.50) claim. Fitted by the training script on held-out scores only
 * (lib/model/train/liveTraining.ts: leave-one-scenario-out), stored in model.json as `attackCalibration`
 * and applied by the monitor with `calibratedAttackProbability` (pure, no allocation).
 *
 * Two methods:
 * - isotonic: a monotone step table (pool-adjacent-violators); value of the last step whose lower
 *   edge ≤ the raw probability.
 * - platt: sigmoid(a · logit(p) + b) on the raw probability p.
 */
import { z } from 'zod';
import type { ModelMetadata } from '../export/modelMetadata.ts';

/** Raw probabilities are clamped to [ε, 1 − ε] before the logit of Platt scaling. */
const PLATT_EPSILON = 1e-6;

export const isotonicCalibrationSchema = z.object({
  method: z.literal('isotonic'),
  /** Name of the class whose probability is "not an attack". */
  benignClass: z.string().min(1),
  /** Ascending lower edges of the steps, on the raw attack probability 1 − P(benign). */
  edges: z.array(z.number()).min(1),
  /** Calibrated attack probability of each step, non-decreasing, in [0, 1]. */
  values: z.array(z.number().min(0).max(1)).min(1),
});

export const plattCalibrationSchema = z.object({
  method: z.literal('platt'),
  benignClass: z.string().min(1),
  /** Slope on logit(raw attack probability). */
  a: z.number(),
  /** Intercept. */
  b: z.number(),
});

export const attackCalibrationSchema = z
  .discriminatedUnion('method', [isotonicCalibrationSchema, plattCalibrationSchema])
  .superRefine((calibration, context) => {
    if (calibration.method !== 'isotonic') return;
    if (calibration.edges.length !== calibration.values.length) {
      context.addIssue({ code: 'custom', path: ['values'], message: `${calibration.values.length} values for ${calibration.edges.length} edges` });
    }
    for (let i = 1; i < calibration.edges.length; i++) {
      if (!(calibration.edges[i]! > calibration.edges[i - 1]!)) context.addIssue({ code: 'custom', path: ['edges', i], message: 'edges must be strictly ascending' });
      if (calibration.values[i]! < calibration.values[i - 1]!) context.addIssue({ code: 'custom', path: ['values', i], message: 'values must be non-decreasing' });
    }
  });

export type IsotonicCalibration = z.output<typeof isotonicCalibrationSchema>;
export type PlattCalibration = z.output<typeof plattCalibrationSchema>;
export type AttackCalibration = IsotonicCalibration | PlattCalibration;

/** The model's calibration, or null for an uncalibrated model; a malformed one is an error. */
export function attackCalibrationOf(metadata: ModelMetadata): AttackCalibration | null {
  const raw = metadata.attackCalibration;
  if (raw === undefined) return null;
  const parsed = attackCalibrationSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Model ${metadata.versionId}: attackCalibration is invalid: ${parsed.error.issues[0]?.message ?? 'bad value'}`);
  }
  if (!metadata.classNames.includes(parsed.data.benignClass)) {
    throw new Error(`Model ${metadata.versionId}: attackCalibration names benign class '${parsed.data.benignClass}', not one of ${metadata.classNames.join(', ')}`);
  }
  return parsed.data;
}

/** The calibrated value of a raw attack probability. */
export function calibrateAttackProbability(calibration: AttackCalibration | null, raw: number): number {
  if (calibration === null) return raw;
  if (calibration.method === 'platt') {
    const p = raw < PLATT_EPSILON ? PLATT_EPSILON : raw > 1 - PLATT_EPSILON ? 1 - PLATT_EPSILON : raw;
    return 1 / (1 + Math.exp(-(calibration.a * Math.log(p / (1 - p)) + calibration.b)));
  }
  const { edges, values } = calibration;
  // Last edge ≤ raw (binary search); below the first edge the first value holds.
  let low = 0;
  let high = edges.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (edges[middle]! <= raw) low = middle;
    else high = middle - 1;
  }
  return values[low]!;
}

/** Calibrated probability that a flow is an attack, from its raw class probabilities row (benign class index given). */
export function calibratedAttackProbability(
  calibration: AttackCalibration | null, probabilities: Float32Array, row: number, classCount: number, benignClass: number,
): number {
  const raw = 1 - probabilities[row * classCount + benignClass]!;
  return calibrateAttackProbability(calibration, raw < 0 ? 0 : raw);
}

/**
 * Weighted pool-adjacent-violators fit of y (0/1 or a share) on x; the step table of the result.
 * `minRowsPerStep` then merges each step holding fewer rows into the next (merging neighbours of a
 * monotone table keeps it monotone): a step resting on a handful of rows of one scenario is noise
 * that does not carry over to other captures.
 */
export function fitIsotonic(
  x: ArrayLike<number>, y: ArrayLike<number>, weight: ArrayLike<number>, benignClass: string, minRowsPerStep = 1,
): IsotonicCalibration {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  // Blocks: lower edge, weighted sum of y, weight, rows; equal x values always share a block.
  const edges: number[] = [];
  const sums: number[] = [];
  const weights: number[] = [];
  const counts: number[] = [];
  // The previous row is always in the last block, so a tie with it joins that block.
  let previousX = NaN;
  for (const i of order) {
    const w = weight[i]!;
    if (!(w > 0)) continue;
    if (edges.length > 0 && previousX === x[i]) {
      sums[sums.length - 1]! += w * y[i]!;
      weights[weights.length - 1]! += w;
      counts[counts.length - 1]!++;
    } else {
      edges.push(x[i]!);
      sums.push(w * y[i]!);
      weights.push(w);
      counts.push(1);
    }
    previousX = x[i]!;
    while (sums.length > 1 && sums[sums.length - 2]! / weights[weights.length - 2]! >= sums[sums.length - 1]! / weights[weights.length - 1]!) {
      const s = sums.pop()!;
      const w2 = weights.pop()!;
      const c = counts.pop()!;
      edges.pop();
      sums[sums.length - 1]! += s;
      weights[weights.length - 1]! += w2;
      counts[counts.length - 1]! += c;
    }
  }
  if (edges.length === 0) throw new Error('isotonic calibration needs at least one row with positive weight');
  const steps: { edge: number; sum: number; weight: number; count: number }[] = [];
  for (let k = 0; k < edges.length; k++) {
    const last = steps[steps.length - 1];
    if (last !== undefined && last.count < minRowsPerStep) {
      last.sum += sums[k]!;
      last.weight += weights[k]!;
      last.count += counts[k]!;
    } else {
      steps.push({ edge: edges[k]!, sum: sums[k]!, weight: weights[k]!, count: counts[k]! });
    }
  }
  const tail = steps[steps.length - 1]!;
  if (steps.length > 1 && tail.count < minRowsPerStep) {
    steps.pop();
    const before = steps[steps.length - 1]!;
    before.sum += tail.sum;
    before.weight += tail.weight;
    before.count += tail.count;
  }
  // The first step covers everything below the lowest raw score seen.
  steps[0]!.edge = 0;
  return {
    method: 'isotonic',
    benignClass,
    edges: steps.map((step) => step.edge),
    values: steps.map((step) => Math.min(1, Math.max(0, step.sum / step.weight))),
  };
}

/**
 * Platt scaling: logistic regression of y on logit(x), weighted, by Newton's method with
 * backtracking (Lin, Lin & Weng 2007), so nearly separable scores cannot make it diverge. Targets
 * are Platt's smoothed labels so separable data keeps finite parameters.
 */
export function fitPlatt(x: ArrayLike<number>, y: ArrayLike<number>, weight: ArrayLike<number>, benignClass: string): PlattCalibration {
  let positive = 0;
  let negative = 0;
  for (let i = 0; i < x.length; i++) {
    if (y[i]! >= 0.5) positive += weight[i]!;
    else negative += weight[i]!;
  }
  const high = (positive + 1) / (positive + 2);
  const low = 1 / (negative + 2);
  const z = new Float64Array(x.length);
  const target = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const p = Math.min(1 - PLATT_EPSILON, Math.max(PLATT_EPSILON, x[i]!));
    z[i] = Math.log(p / (1 - p));
    target[i] = y[i]! >= 0.5 ? high : low;
  }
  // Weighted cross-entropy of sigmoid(a·z + b) against the targets, computed without overflow.
  const loss = (a: number, b: number) => {
    let sum = 0;
    for (let i = 0; i < z.length; i++) {
      const f = a * z[i]! + b;
      const t = target[i]!;
      sum += weight[i]! * (f >= 0 ? (1 - t) * f + Math.log1p(Math.exp(-f)) : -t * f + Math.log1p(Math.exp(f)));
    }
    return sum;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < z.length; i++) {
      const w = weight[i]!;
      if (!(w > 0)) continue;
      const f = a * z[i]! + b;
      const p = f >= 0 ? 1 / (1 + Math.exp(-f)) : Math.exp(f) / (1 + Math.exp(f));
      const d = w * (p - target[i]!);
      const h = w * p * (1 - p);
      ga += d * z[i]!;
      gb += d;
      haa += h * z[i]! * z[i]!;
      hab += h * z[i]!;
      hbb += h;
    }
    if (Math.abs(ga) < 1e-9 && Math.abs(gb) < 1e-9) break;
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const stepA = -(hbb * ga - hab * gb) / det;
    const stepB = -(haa * gb - hab * ga) / det;
    const slope = ga * stepA + gb * stepB;
    let size = 1;
    let accepted = false;
    while (size >= 1e-10) {
      const candidate = loss(a + size * stepA, b + size * stepB);
      if (candidate <= current + 1e-4 * size * slope) {
        a += size * stepA;
        b += size * stepB;
        current = candidate;
        accepted = true;
        break;
      }
      size /= 2;
    }
    if (!accepted) break;
  }
  return { method: 'platt', benignClass, a, b };
}

export interface ReliabilityBin {
  /** Bin of the predicted (calibrated) probability: [from, to). The last bin includes 1. */
  from: number;
  to: number;
  meanPredicted: number;
  /** Weighted share of attack rows in the bin. */
  observedAttackShare: number;
  /** Rows in the bin (unweighted). */
  count: number;
  /** Sum of the row weights in the bin. */
  weight: number;
}

/** Reliability table over fixed bins (default: the severity tiers' edges plus tenths below 0.5). */
export function reliabilityTable(
  predicted: ArrayLike<number>, isAttack: ArrayLike<number>, weight: ArrayLike<number>,
  edges: readonly number[] = [0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.85, 0.95, 1],
): ReliabilityBin[] {
  const bins = edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1]!, sumPredicted: 0, sumAttack: 0, weight: 0, count: 0 }));
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i]!;
    let k = bins.findIndex((bin) => p < bin.to);
    if (k < 0) k = bins.length - 1;
    const bin = bins[k]!;
    const w = weight[i]!;
    bin.sumPredicted += w * p;
    bin.sumAttack += w * isAttack[i]!;
    bin.weight += w;
    bin.count++;
  }
  return bins.map((bin) => ({
    from: bin.from,
    to: bin.to,
    meanPredicted: bin.weight > 0 ? bin.sumPredicted / bin.weight : 0,
    observedAttackShare: bin.weight > 0 ? bin.sumAttack / bin.weight : 0,
    count: bin.count,
    weight: bin.weight,
  }));
}

/** Weighted Brier score: mean of w·(p − y)² over the weights. */
export function brierScore(predicted: ArrayLike<number>, isAttack: ArrayLike<number>, weight: ArrayLike<number>): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < predicted.length; i++) {
    const d = predicted[i]! - isAttack[i]!;
    sum += weight[i]! * d * d;
    total += weight[i]!;
  }
  return total > 0 ? sum / total : 0;
}

/** Weighted expected calibration error over a reliability table. */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number {
  let total = 0;
  let sum = 0;
  for (const bin of bins) {
    sum += bin.weight * Math.abs(bin.meanPredicted - bin.observedAttackShare);
    total += bin.weight;
  }
  return total > 0 ? sum / total : 0;
}
