import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { THREAT_CATEGORY_OF_FAMILY } from '../../lib/datasets/families.ts';
import { loadDataset } from '../../lib/datasets/loadDataset.ts';
import { decisionThresholdOf } from '../../lib/model/score/decisionThreshold.ts';
import { evaluateModel } from '../../lib/model/evaluate/evaluateModel.ts';
import { modelMetadataSchema } from '../../lib/model/export/modelMetadata.ts';
import { targetMetadataSchema } from '../../lib/model/train/targetMetadata.ts';
import { sharedDataset } from '../sharedDatasets.ts';

const repo = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

function readModel(name: string) {
  const raw = JSON.parse(readFileSync(repo(`trained_models/${name}/model.json`), 'utf8'));
  return { metadata: modelMetadataSchema.parse(raw), target: targetMetadataSchema.parse(raw), metrics: JSON.parse(readFileSync(repo(`trained_models/${name}/metrics.json`), 'utf8')) };
}

describe('shipped models (trained_models/)', () => {
  it('the CIC-IDS2017 model predicts monitor families from corrected-format features and keeps the fine labels', () => {
    const { metadata, target } = readModel('cic2017-corrected-family');
    expect(metadata.featureFormat).toBe('corrected');
    expect(target.target.kind).toBe('family');
    expect(metadata.classNames[0]).toBe('BENIGN');
    for (const name of metadata.classNames) {
      expect(THREAT_CATEGORY_OF_FAMILY[name], name).toBeDefined();
      expect(metadata.classFamilies[name]).toEqual({ family: name, threatCategory: THREAT_CATEGORY_OF_FAMILY[name] });
    }
    expect(target.target.fineClasses.find((fine) => fine.label === 'DoS Hulk')?.class).toBe('DoS');
    expect(target.target.fineClasses.find((fine) => fine.label === 'Infiltration - Portscan')?.class).toBe('PortScan');
    expect(target.dataSources.train).toHaveLength(16);
    expect(statSync(repo('trained_models/cic2017-corrected-family/model.onnx')).size).toBeLessThan(5e6);
  });

  it('the NSL-KDD models reproduce their recorded KDDTest-21 metrics when evaluated through the scorer', async () => {
    for (const name of ['nsl-kdd-binary', 'nsl-kdd-family']) {
      const { metadata, target, metrics } = readModel(name);
      expect(metadata.featureFormat).toBe('kdd');
      expect(target.dataSources.train.map((file) => file.file)).toEqual(['KDDTrain+.txt.gz']);
      expect(statSync(repo(`trained_models/${name}/model.onnx`)).size).toBeLessThan(5e6);
      const evaluation = await evaluateModel(repo(`trained_models/${name}`), [sharedDataset('nsl-kdd/KDDTest-21.txt.gz')]);
      expect(evaluation.report).toEqual(metrics.testSets['KDDTest-21']);
      expect(evaluation.report.rowsEvaluated).toBe(11_850);
      const decision = decisionThresholdOf(metadata);
      expect(evaluation.report.decision).toEqual(decision ? { benignClass: 'normal', threshold: decision.threshold } : null);
    }
    expect(readModel('nsl-kdd-family').metadata.classNames.slice().sort()).toEqual(['DoS', 'Probe', 'R2L', 'U2R', 'normal']);
    expect(readModel('nsl-kdd-binary').metadata.classNames).toEqual(['normal', 'attack']);
  });

  it('the samples in datasets/ load and score with the shipped models', async () => {
    const cic = repo('datasets/cic-ids2017-improved/improved_first30_per_class.csv.gz');
    const { report } = await loadDataset([cic]);
    expect(report.rows).toBe(432);
    const evaluation = await evaluateModel(repo('trained_models/cic2017-corrected-family'), [cic]);
    expect(evaluation.report.rowsEvaluated).toBe(432);
    expect(evaluation.report.perClass.every((entry) => entry.support > 0)).toBe(true);

    const kdd = await evaluateModel(repo('trained_models/nsl-kdd-binary'), [repo('datasets/nsl-kdd/KDDTest+_first500.txt.gz')]);
    expect(kdd.report.rows).toBe(500);
  });
});
