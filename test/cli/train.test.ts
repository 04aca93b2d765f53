import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../lib/cli/main.ts';
import { sharedDataset } from '../sharedDatasets.ts';

const bin = fileURLToPath(new URL('../../bin/netguard.mjs', import.meta.url));
const KDD_TRAIN_20 = sharedDataset('nsl-kdd/KDDTrain+_20Percent.txt.gz');
const KDD_TEST = sharedDataset('nsl-kdd/KDDTest+.txt.gz');
const CIC_HEARTBLEED = sharedDataset('cic-ids2017/improved-cicids2017-rnd5000/Heartbleed_11.csv.gz');

function netguard(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** main() in this process, for commands that fail before heavy work (a spawn costs seconds on a loaded box). */
async function netguardInProcess(args: string[]): Promise<{ status: number; stderr: string }> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    return { status: await main(args), stderr: written.join('') };
  } finally {
    spy.mockRestore();
  }
}

/** Non-blank lines of a (gzip) text file. */
function dataLines(path: string): string[] {
  return gunzipSync(readFileSync(path)).toString('utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
}

describe('netguard train / evaluate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netguard-train-'));
  const model = join(dir, 'kdd-binary');
  const trained = netguard([
    'train', '--dataset', KDD_TRAIN_20, '--test', KDD_TEST, '--target', 'binary', '--trees', '8', '--max-depth', '5', '--out', model,
  ]);

  it('trains on a real slice: progress on stderr, metrics and top features on stdout, model files written', () => {
    expect(trained.status, trained.stderr).toBe(0);
    expect(trained.stderr).toMatch(/round\s+1\/8\s+train loss [\d.]+\s+valid loss [\d.]+/);
    expect(trained.stderr).toMatch(/round 8\/8/);
    expect(trained.stdout).toMatch(/test set: KDDTest\+\.txt\.gz/);
    expect(trained.stdout).toMatch(/accuracy \d+\.\d\d%\s+macro-F1 0\.\d{4}.*ROC-AUC 0\.\d{4}/);
    expect(trained.stdout).toMatch(/^normal\s+0\.\d{4}\s+0\.\d{4}\s+0\.\d{4}\s+9,711\s/m);
    expect(trained.stdout).toMatch(/confusion matrix \(rows = true class, columns = predicted\):\n\s+normal\s+attack\n/);
    const features = trained.stdout.split('top 15 features by gain:\n')[1]!.split('\n').filter((line) => /^\s+\d+\. /.test(line));
    expect(features).toHaveLength(15);
    for (const file of ['model.onnx', 'model.json', 'metrics.json']) expect(existsSync(join(model, file))).toBe(true);
  });

  it('evaluate --json prints one JSON object whose accuracy is the one training reported on the same file', () => {
    const result = netguard(['evaluate', '--model', model, '--dataset', KDD_TEST, '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(result.stdout);
    const metrics = JSON.parse(readFileSync(join(model, 'metrics.json'), 'utf8'));
    expect(report.accuracy).toBe(metrics.testSets['KDDTest+.txt.gz'].accuracy);
    expect(report.rocAuc).toBe(metrics.testSets['KDDTest+.txt.gz'].rocAuc);
    expect(trained.stdout).toContain(`accuracy ${(100 * report.accuracy).toFixed(2)}%`);
    expect(report.rows).toBe(dataLines(KDD_TEST).length);
    expect(report.confusion.classes).toEqual(['normal', 'attack']);
  });

  it('--predictions has one line per input row, in input order, with the row\'s own label', () => {
    const out = join(dir, 'predictions.csv');
    const result = netguard(['evaluate', '--model', model, '--dataset', KDD_TEST, '--predictions', out]);
    expect(result.status, result.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    const input = dataLines(KDD_TEST);
    expect(lines[0]).toBe('row_number,true_label,predicted_class,probability,label,drop_reason');
    expect(lines.length - 1).toBe(input.length);
    for (let i = 0; i < input.length; i += 997) {
      const [rowNumber, truth, predicted, probability, label] = lines[i + 1]!.split(',');
      expect(rowNumber).toBe(String(i + 1));
      expect(label).toBe(input[i]!.split(',')[41]);
      expect(truth).toBe(label === 'normal' ? 'normal' : 'attack');
      expect(['normal', 'attack']).toContain(predicted);
      expect(Number(probability)).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('keeps a line for a row the loader dropped, with the reason, so rows stay in input order', () => {
    // A real KDDTest+ excerpt with one line cut short (a truncated copy), as a damaged download would be.
    const input = dataLines(KDD_TEST).slice(0, 120);
    const damaged = input.slice();
    damaged[40] = damaged[40]!.split(',').slice(0, 20).join(',');
    const path = join(dir, 'damaged.txt');
    writeFileSync(path, `${damaged.join('\n')}\n`);
    const out = join(dir, 'damaged.csv');
    const result = netguard(['evaluate', '--model', model, '--dataset', path, '--predictions', out]);
    expect(result.status, result.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').slice(1);
    expect(lines).toHaveLength(120);
    expect(lines[40]).toMatch(/^41,,,,,"wrong-field-count: 20 fields, expected 43"$/);
    expect(lines[41]!.split(',')[4]).toBe(input[41]!.split(',')[41]);
    expect(lines[119]!.startsWith('120,')).toBe(true);
  });

  it('fails with one clear line (exit 1) when the dataset lacks the model\'s features, and refuses to overwrite', async () => {
    const wrong = netguard(['evaluate', '--model', model, '--dataset', CIC_HEARTBLEED]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/cic2017-improved data .* trained on nsl-kdd .*lacks the features/);

    const again = await netguardInProcess(['train', '--dataset', KDD_TRAIN_20, '--trees', '2', '--out', model, '--quiet']);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already holds a model.*--force/);

    const noModel = await netguardInProcess(['evaluate', '--model', join(dir, 'nothing-here'), '--dataset', KDD_TEST]);
    expect(noModel.status).toBe(1);
    expect(noModel.stderr).toMatch(/Cannot read model metadata/);
  });

  it('rejects bad command lines with exit 2 and the usage text', async () => {
    for (const args of [
      ['train'],
      ['train', '--dataset', KDD_TRAIN_20, '--target', 'everything'],
      ['train', '--dataset', KDD_TRAIN_20, '--trees', '0'],
      ['train', '--dataset', KDD_TRAIN_20, '--test', KDD_TEST, '--test-fraction', '0.2'],
      ['train', '--dataset', KDD_TRAIN_20, '--class-weights', 'heavy'],
      ['evaluate', '--model', model],
      ['evaluate', '--dataset', KDD_TEST],
      ['evaluate', '--model', model, '--dataset', KDD_TEST, '--bogus'],
    ]) {
      const { status, stderr } = await netguardInProcess(args);
      expect(status, args.join(' ')).toBe(2);
      expect(stderr).toMatch(/Usage:\n\s+netguard (train|evaluate)/);
    }
  });
});
