/** What training produces: the forest plus everything needed to use and explain it. */
import type { Forest } from './forest.ts';
import type { ObjectiveName } from './objectives.ts';
import type { TrainConfig } from './trainConfig.ts';

export interface RoundInfo {
  /** 1-based round number. */
  round: number;
  trainLoss: number;
  /** NaN without a validation split. */
  validLoss: number;
  /** Wall time since training started. */
  elapsedMs: number;
}

export interface TrainedModel {
  objective: ObjectiveName;
  classNames: string[];
  featureNames: string[];
  forest: Forest;
  /** Bin edges learned from the training rows (float32 cut points per feature). */
  binThresholds: Float32Array[];
  config: TrainConfig;
  /** Weight given to each class's rows (1 without class weights). */
  classWeights: Float64Array;
  /** Rounds kept in the forest (the best round with early stopping). */
  rounds: number;
  /** Rounds actually grown. */
  roundsTrained: number;
  stoppedEarly: boolean;
  history: RoundInfo[];
  /** Table rows used to grow trees, and the held-out validation rows (ascending). */
  trainRows: Int32Array;
  validationRows: Int32Array;
  trainingMs: number;
}
