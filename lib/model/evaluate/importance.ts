/** Gain-based feature importance: the loss reduction each feature's splits brought, summed. */
import type { TrainedModel } from '../train/trainedModel.ts';

export interface FeatureImportance {
  feature: string;
  /** Sum of split gains over all trees. */
  gain: number;
  /** gain / total gain of all features (0 when nothing split). */
  share: number;
  splits: number;
}

/** One entry per feature, most important first (ties keep feature order). */
export function featureImportance(model: TrainedModel): FeatureImportance[] {
  const featureCount = model.featureNames.length;
  const gains = new Float64Array(featureCount);
  const splits = new Int32Array(featureCount);
  const { feature, gain } = model.forest;
  for (let node = 0; node < feature.length; node++) {
    const f = feature[node]!;
    if (f < 0) continue;
    gains[f] += gain[node]!;
    splits[f]++;
  }
  let total = 0;
  for (let f = 0; f < featureCount; f++) total += gains[f]!;
  return model.featureNames
    .map((name, f) => ({ feature: name, gain: gains[f]!, share: total > 0 ? gains[f]! / total : 0, splits: splits[f]! }))
    .sort((a, b) => b.gain - a.gain);
}
