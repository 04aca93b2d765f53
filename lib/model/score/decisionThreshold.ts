/**
 * A decision threshold on "not benign": a row is flagged when 1 − P(benign) ≥ threshold, and then
 * takes the most probable non-benign class; otherwise it is benign. For a binary model this is
 * the usual P(attack) ≥ threshold. The threshold travels in the model metadata JSON under
 * `metrics.decisionThreshold` (the free-form part of the schema), so a scorer applies exactly the
 * rule that was validated; without one the scorer's argmax (threshold 0.5 for binary) stands.
 */
import { z } from 'zod';
import type { ModelMetadata } from '../export/modelMetadata.ts';

export const DECISION_THRESHOLD_KEY = 'decisionThreshold';

export const decisionThresholdSchema = z.object({
  /** The class whose probability is compared the other way round: flagged = 1 − P(benign) ≥ threshold. */
  benignClass: z.string().min(1),
  threshold: z.number().gt(0).lt(1),
  /** How the threshold was chosen, e.g. 'leave-family-out balanced accuracy'. */
  method: z.string(),
  /** What the method measured at the chosen threshold (free-form, for the model card). */
  validation: z.record(z.string(), z.unknown()).default({}),
});

export type DecisionThreshold = z.output<typeof decisionThresholdSchema>;

/** The threshold stored with a model, or null when it has none; a malformed one is an error. */
export function decisionThresholdOf(metadata: Pick<ModelMetadata, 'metrics' | 'classNames' | 'versionId'>): DecisionThreshold | null {
  const raw = metadata.metrics[DECISION_THRESHOLD_KEY];
  if (raw === undefined) return null;
  const parsed = decisionThresholdSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Model ${metadata.versionId}: metrics.${DECISION_THRESHOLD_KEY} is invalid: ${parsed.error.issues[0]?.message ?? 'bad value'}`);
  }
  if (!metadata.classNames.includes(parsed.data.benignClass)) {
    throw new Error(`Model ${metadata.versionId}: decision threshold names benign class '${parsed.data.benignClass}', not one of ${metadata.classNames.join(', ')}`);
  }
  return parsed.data;
}

/**
 * Labels from row-major probabilities [rows × classes] under the threshold rule. Writes into
 * `out` when given (no allocation per batch on the scoring path).
 */
export function applyDecisionThreshold(
  probabilities: Float32Array, classNames: readonly string[], rule: Pick<DecisionThreshold, 'benignClass' | 'threshold'>, out?: Int32Array,
): Int32Array {
  const classCount = classNames.length;
  const benign = classNames.indexOf(rule.benignClass);
  if (benign < 0) throw new Error(`Benign class '${rule.benignClass}' is not one of ${classNames.join(', ')}`);
  const rowCount = probabilities.length / classCount;
  const labels = out ?? new Int32Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    const base = row * classCount;
    if (1 - probabilities[base + benign]! < rule.threshold) {
      labels[row] = benign;
      continue;
    }
    let best = -1;
    for (let k = 0; k < classCount; k++) {
      if (k !== benign && (best < 0 || probabilities[base + k]! > probabilities[base + best]!)) best = k;
    }
    labels[row] = best;
  }
  return labels;
}
