/**
 * Whether the live flow engine can feed a model: its feature format must be one the engine
 * writes (lib/flows/featureFormats.ts) and that format must produce every feature the model
 * reads. A refusal carries a reason a user can act on; an NSL-KDD model is live-capable with a
 * note, because the engine cannot see payload content and writes those features as 0.
 */
import { featureFormats } from '../flows/featureFormats.ts';
import { KDD_CONTENT_FEATURES } from '../flows/kdd/kddFormat.ts';
import { decisionThresholdOf } from '../model/score/decisionThreshold.ts';
import type { ModelMetadata } from '../model/export/modelMetadata.ts';
import { featureSources } from '../detect/modelDetector.ts';

export interface LiveCompatibility {
  capable: boolean;
  /** Why the model cannot run live (only when not capable). */
  reason?: string;
  /** What to know when it runs live (e.g. features that are always 0). */
  note?: string;
}

type FeedingMetadata = Pick<ModelMetadata, 'versionId' | 'featureFormat' | 'sourceFormat' | 'featureNames' | 'categories' | 'metrics' | 'classNames'>;

export function liveCompatibility(metadata: FeedingMetadata): LiveCompatibility {
  const formatName = metadata.featureFormat;
  if (formatName === null) {
    return {
      capable: false,
      reason: `model ${metadata.versionId} was trained on ${metadata.sourceFormat} features, which the live flow engine cannot produce; `
        + 'it can score imported datasets but not live traffic',
    };
  }
  const format = Object.hasOwn(featureFormats, formatName) ? featureFormats[formatName] : undefined;
  if (format === undefined) {
    return {
      capable: false,
      reason: `model ${metadata.versionId} needs the "${formatName}" flow format, which the live engine does not have `
        + `(it writes ${Object.keys(featureFormats).join(', ')})`,
    };
  }
  try {
    featureSources(format, metadata as ModelMetadata);
  } catch (error) {
    return { capable: false, reason: (error as Error).message };
  }
  try {
    // The live scorer applies the model's decision threshold to every batch: a malformed one would fail them all.
    decisionThresholdOf(metadata);
  } catch (error) {
    return { capable: false, reason: (error as Error).message };
  }
  if (formatName === 'kdd') {
    const zeroed = KDD_CONTENT_FEATURES.filter((name) => metadata.featureNames.includes(name));
    if (zeroed.length > 0) {
      return {
        capable: true,
        note: `payload-content features (${zeroed.slice(0, 3).join(', ')}, ...) are always 0 live: `
          + `the flow engine does not read payloads, so ${zeroed.length} of the model's features carry no information`,
      };
    }
  }
  return { capable: true };
}
