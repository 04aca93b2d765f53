/**
 * Scores every lab scenario (train and eval) with an exported model, per flow, through the Scorer
 * and the model's own calibration (none for the CIC model: 1 − P(benign)). For the "before"
 * column of FINDINGS.md: what the previously shipped CIC model does on the same flows.
 *
 *   npx tsx research/live-model/scoreScenarios.ts trained_models/cic2017-corrected-family
 */
import { resolve } from 'node:path';
import { attackCalibrationOf } from '../../lib/model/score/calibration.ts';
import { findLabScenarios, labFlowTable } from '../../lib/model/train/labFlows.ts';
import { detectionFigures, formatFigures } from '../../lib/model/train/liveFigures.ts';
import { toRowMajor } from '../../lib/model/train/predict.ts';
import { Scorer } from '../../lib/model/score/scorer.ts';
import { LAB_DIRECTORY } from '../../scripts/trainLive.ts';

const modelDir = resolve(process.argv[2] ?? 'trained_models/live-corrected-family');
const scorer = await Scorer.load(modelDir);
const { metadata } = scorer;
const benign = metadata.classNames.indexOf('BENIGN');
if (benign !== 0) throw new Error(`expects BENIGN as class 0, got ${metadata.classNames.join(', ')}`);
const calibration = attackCalibrationOf(metadata);
for (const scenario of await findLabScenarios(LAB_DIRECTORY)) {
  const flows = await labFlowTable(scenario, metadata.featureNames, 'BENIGN');
  const { probabilities } = await scorer.score(toRowMajor(flows.table.columns), metadata.featureNames);
  const truth = Int32Array.from(flows.table.labelCodes, (code) => metadata.classNames.indexOf(flows.table.labelNames[code]!));
  const figures = detectionFigures(probabilities, truth, metadata.classNames, calibration);
  process.stdout.write(`${formatFigures(`${scenario.truth.scenario} (${scenario.truth.split})`, figures)}  benign flagged as ${JSON.stringify(figures.benignFlaggedFamilies)}\n`);
}
await scorer.close();
