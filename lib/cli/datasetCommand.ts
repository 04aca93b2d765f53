/**
 * `netguard dataset <file...>`: loads dataset CSVs, prints the load report (text or JSON) and
 * optionally writes the columnar cache. Exit 0 ok, 1 load failure, 2 bad usage.
 */
import { parseArgs } from 'node:util';
import { loadDatasetCached } from '../datasets/columnarCache.ts';
import { DatasetError } from '../datasets/errors.ts';
import { formatLoadReport } from '../datasets/formatLoadReport.ts';
import { DATASET_FORMAT_NAMES, type DatasetFormatName } from '../datasets/formats.ts';
import { loadDataset, type LoadOptions } from '../datasets/loadDataset.ts';

const help = `Usage: netguard dataset <file...> [options]

Loads NSL-KDD, CIC-IDS2017 (original or improved) or UNSW-NB15 CSV files (plain or .gz) and
prints rows, features, label counts, dropped rows and non-finite cells.

Options:
  --format <name>     auto (default), ${DATASET_FORMAT_NAMES.join(', ')}
  --max-rows <n>      stop after n rows
  --infinity <rule>   missing (default: store ±Infinity as NaN) or keep
  --cache <path>      read/write a columnar cache (.ngtable) for these files
  --json              print the report as JSON
  -h, --help          this text`;

export interface DatasetCommandOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function runDatasetCommand(
  args: string[],
  output: DatasetCommandOutput = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        'max-rows': { type: 'string' },
        infinity: { type: 'string' },
        cache: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    output.err(`netguard dataset: ${(error as Error).message}\n\n${help}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    output.out(`${help}\n`);
    return 0;
  }
  const usage = (message: string) => {
    output.err(`netguard dataset: ${message}\n\n${help}\n`);
    return 2;
  };
  if (positionals.length === 0) return usage('no dataset files given');
  const format = values.format ?? 'auto';
  if (format !== 'auto' && !DATASET_FORMAT_NAMES.includes(format as DatasetFormatName)) return usage(`unknown --format "${format}"`);
  const infinity = values.infinity ?? 'missing';
  if (infinity !== 'missing' && infinity !== 'keep') return usage(`--infinity must be "missing" or "keep", got "${infinity}"`);
  let maxRows: number | undefined;
  if (values['max-rows'] !== undefined) {
    maxRows = Number(values['max-rows']);
    if (!Number.isInteger(maxRows) || maxRows < 1) return usage(`--max-rows must be a whole number ≥ 1, got "${values['max-rows']}"`);
  }

  const options: LoadOptions = { format: format as LoadOptions['format'], infinity, maxRows };
  try {
    const loaded = values.cache !== undefined
      ? await loadDatasetCached(positionals, { ...options, cachePath: values.cache })
      : { ...(await loadDataset(positionals, options)), fromCache: false };
    if (values.json) {
      output.out(`${JSON.stringify({ fromCache: loaded.fromCache, report: loaded.report }, null, 2)}\n`);
    } else {
      const origin = values.cache === undefined ? '' : loaded.fromCache ? `(from cache ${values.cache})\n` : `(cache written to ${values.cache})\n`;
      output.out(`${origin}${formatLoadReport(loaded.report)}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof DatasetError) {
      output.err(`netguard dataset: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

export const datasetCommand = {
  run: (args: string[]) => runDatasetCommand(args),
};
