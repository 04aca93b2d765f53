/**
 * The columnar form every dataset loader produces and the trainer consumes: one Float32Array
 * per feature (NaN = missing), integer label codes, and the dictionaries that give codes meaning.
 */
export interface FeatureTable {
  /** Dataset format the rows came from: 'nsl-kdd', 'cic2017', 'cic2017-improved', 'unsw-nb15'. */
  sourceFormat: string;
  /**
   * The live flow-engine format whose column names `featureNames` use ('kdd', 'cic2017',
   * 'corrected'), or null when the engine cannot produce these features (UNSW-NB15).
   */
  featureFormat: string | null;
  rowCount: number;
  /** Feature names, exactly the strings the flow engine writes for `featureFormat`. */
  featureNames: string[];
  /** columns[j][i] = value of feature j in row i. */
  columns: Float32Array[];
  /** For categorical features: name -> dictionary; the column holds the index into it. */
  categories: Record<string, string[]>;
  /** labelCodes[i] indexes labelNames; the original (cleaned) label strings. */
  labelCodes: Int32Array;
  labelNames: string[];
  /**
   * Which flavour of `sourceFormat` the rows came from, e.g. 'MachineLearningCVE (79 columns)'.
   * Optional: tables built by hand may leave it out.
   */
  sourceVariant?: string;
  /**
   * How ±Infinity in the source was stored: 'missing' = as NaN (the loader's default),
   * 'keep' = as ±Infinity. The live encoder must apply the same rule before scoring.
   */
  infinityAs?: 'missing' | 'keep';
}
