/**
 * Growable columnar storage for the loader: one Float32Array per feature plus Int32 label codes,
 * doubling capacity like fflate's output buffers, and the dictionaries for categorical values
 * and labels (codes in first-seen order, optionally seeded so codes match an existing model).
 */
import type { FeatureTable } from './featureTable.ts';

const INITIAL_CAPACITY = 4096;

export class CodeDictionary {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(seed: readonly string[] = []) {
    for (const name of seed) this.codeOf(name);
  }

  codeOf(name: string): number {
    let code = this.index.get(name);
    if (code === undefined) {
      code = this.names.length;
      this.names.push(name);
      this.index.set(name, code);
    }
    return code;
  }
}

export class TableBuilder {
  rowCount = 0;
  capacity = INITIAL_CAPACITY;
  columns: Float32Array[];
  labelCodes = new Int32Array(INITIAL_CAPACITY);
  readonly labels: CodeDictionary;
  /** Dictionary per categorical feature name. */
  readonly dictionaries = new Map<string, CodeDictionary>();

  constructor(
    readonly featureNames: readonly string[],
    categoricalNames: ReadonlySet<string>,
    seeds: { categories?: Readonly<Record<string, readonly string[]>>; labelNames?: readonly string[] } = {},
  ) {
    this.columns = featureNames.map(() => new Float32Array(INITIAL_CAPACITY));
    this.labels = new CodeDictionary(seeds.labelNames);
    for (const name of featureNames) {
      if (categoricalNames.has(name)) this.dictionaries.set(name, new CodeDictionary(seeds.categories?.[name]));
    }
  }

  /** Makes room for one more row; amortised O(1) by doubling. */
  reserveRow(): void {
    if (this.rowCount < this.capacity) return;
    const capacity = this.capacity * 2;
    this.columns = this.columns.map((column) => {
      const grown = new Float32Array(capacity);
      grown.set(column);
      return grown;
    });
    const labels = new Int32Array(capacity);
    labels.set(this.labelCodes);
    this.labelCodes = labels;
    this.capacity = capacity;
  }

  /** Trims the spare capacity (one column at a time, so the peak is one extra column). */
  finish(meta: Pick<FeatureTable, 'sourceFormat' | 'featureFormat'> & Partial<Pick<FeatureTable, 'sourceVariant' | 'infinityAs'>>): FeatureTable {
    const rows = this.rowCount;
    const columns = this.columns.map((column) => column.slice(0, rows));
    this.columns = [];
    const categories: Record<string, string[]> = {};
    for (const [name, dictionary] of this.dictionaries) categories[name] = dictionary.names;
    return {
      ...meta,
      rowCount: rows,
      featureNames: [...this.featureNames],
      columns,
      categories,
      labelCodes: this.labelCodes.slice(0, rows),
      labelNames: this.labels.names,
    };
  }
}
