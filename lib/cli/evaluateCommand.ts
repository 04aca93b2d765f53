/**
 * `netguard evaluate`: a trained model directory + labelled dataset files → metrics (text or one
 * JSON object) and optionally a per-row predictions CSV.
 */
import { parseArgs } from 'node:util';
import { evaluateModel, writePredictionsCsv } from '../model/evaluate/evaluateModel.ts';
import { formatEvaluation } from '../model/evaluate/evaluation.ts';
import type { Command } from './commands.ts';
import { expandListOptions } from './repeatedOptions.ts';
import { UsageError } from './usage.ts';

export const evaluateHelp = `Usage:
  netguard evaluate --model <dir> --dataset <file>... [--json] [--predictions <file.csv>]

Scores labelled dataset files with a trained model (through onnxruntime, as the monitor does)
and reports accuracy, per-class precision/recall/F1, macro-F1, ROC-AUC (binary) and the
confusion matrix. Labels are mapped to the model's target (binary, family or multiclass).

Options:
  --model <dir>            directory with model.onnx + model.json (from "netguard train")
  --dataset <file>...      labelled files of the format the model was trained on
  --json                   print one JSON object with the metrics instead of text
  --predictions <file>     write row_number,true_label,predicted_class,probability,label,drop_reason:
                           one line per input data row in input order; a row the loader dropped
                           as malformed has only row_number and drop_reason
  -h, --help               this text`;

export const evaluateCommand: Command = {
  help: evaluateHelp,
  async run(args) {
    const { values, positionals } = parseArgs({
      args: expandListOptions(args, ['dataset']),
      allowPositionals: true,
      options: {
        model: { type: 'string' },
        dataset: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        predictions: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(`${evaluateHelp}\n`);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; give files with --dataset`);
    if (values.model === undefined) throw new UsageError('give the model directory with --model');
    const paths = values.dataset ?? [];
    if (paths.length === 0) throw new UsageError('give at least one labelled file with --dataset');

    const evaluation = await evaluateModel(values.model, paths);
    const written = values.predictions === undefined ? undefined : await writePredictionsCsv(values.predictions, evaluation);
    const { metadata, report, loadReport } = evaluation;
    if (values.json) {
      const result = {
        model: { directory: values.model, versionId: metadata.versionId, target: evaluation.target.target.kind, classNames: metadata.classNames },
        dataset: { files: paths, format: loadReport.format, variant: loadReport.variant, rowsLoaded: loadReport.rows, rowsDropped: loadReport.rowsDropped },
        ...report,
        ...(written ? { predictions: { file: values.predictions, ...written } } : {}),
      };
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    }
    const lines = [
      `model ${metadata.versionId} (${evaluation.target.target.kind}, ${metadata.classNames.length} classes) on ${paths.join(', ')}`
        + `: ${loadReport.rows.toLocaleString('en-US')} rows${loadReport.rowsDropped > 0 ? `, ${loadReport.rowsDropped} malformed rows dropped` : ''}`,
      formatEvaluation(report),
    ];
    if (written) lines.push(`wrote ${values.predictions}: ${written.rows.toLocaleString('en-US')} rows (${written.dropped} dropped by the loader)`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
