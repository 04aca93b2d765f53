/** Paths of the shared real datasets (see /work/shared/datasets/SOURCES.md) for the dataset tests. */
import { sharedDataset } from '../sharedDatasets.ts';

export { sharedDataset };

export const KDD_TRAIN = sharedDataset('nsl-kdd/KDDTrain+.txt.gz');
export const KDD_TRAIN_20 = sharedDataset('nsl-kdd/KDDTrain+_20Percent.txt.gz');
export const KDD_TEST = sharedDataset('nsl-kdd/KDDTest+.txt.gz');
export const KDD_TEST_21 = sharedDataset('nsl-kdd/KDDTest-21.txt.gz');
export const KDD_FIELD_NAMES = sharedDataset('nsl-kdd/Field Names.csv.gz');
export const KDD_ATTACK_TYPES = sharedDataset('nsl-kdd/Attack Types.csv.gz');
export const CIC_HEAD300 = sharedDataset('cic-ids2017/generatedlabelledflows-head300/Friday-WorkingHours-Afternoon-DDos.pcap_ISCX.csv.gz');
export const CIC_MONDIRKB = (name: 'ddos' | 'portscan' | 'xss' | 'sqli') => sharedDataset(`cic-ids2017/mondirkb-baseline/baseline_${name}.csv.gz`);
export const CIC_WESTERN = sharedDataset('cic-ids2017/western-oc2-sample/CICIDS2017_sample.csv.gz');
export const CIC_IMPROVED = (name: string) => sharedDataset(`cic-ids2017/improved-cicids2017-rnd5000/${name}.csv.gz`);
export const CIC_IMPROVED_HEADER = CIC_IMPROVED('data_header_reference');
export const CICFLOWMETER_TEST_CIC = sharedDataset('cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap_CIC.csv.gz');
export const CICFLOWMETER_TEST_NEW = sharedDataset('cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.csv.gz');
export const CICFLOWMETER_TEST_PCAP = sharedDataset('cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz');
export const UNSW_TRAINING = sharedDataset('unsw-nb15/UNSW_NB15_training-set.csv.gz');

/**
 * The improved CIC-IDS2017 sample files and their labels, from SOURCES.md (the number in each
 * file name is its row count).
 */
export const IMPROVED_FILES: ReadonlyArray<{ name: string; label: string; rows: number }> = [
  { name: 'BENIGN_5000', label: 'BENIGN', rows: 5000 },
  { name: 'Botnet_736', label: 'Botnet', rows: 736 },
  { name: 'DDoS_5000', label: 'DDoS', rows: 5000 },
  { name: 'DoS_GoldenEye_5000', label: 'DoS GoldenEye', rows: 5000 },
  { name: 'DoS_Hulk_5000', label: 'DoS Hulk', rows: 5000 },
  { name: 'DoS_Slowhttptest_1740', label: 'DoS Slowhttptest', rows: 1740 },
  { name: 'DoS_Slowloris_3859', label: 'DoS Slowloris', rows: 3859 },
  { name: 'FTP-Patator_3972', label: 'FTP-Patator', rows: 3972 },
  { name: 'Heartbleed_11', label: 'Heartbleed', rows: 11 },
  { name: 'Infiltration_-_Portscan_5000', label: 'Infiltration - Portscan', rows: 5000 },
  { name: 'Infiltration_36', label: 'Infiltration', rows: 36 },
  { name: 'Portscan_5000', label: 'Portscan', rows: 5000 },
  { name: 'SSH-Patator_2961', label: 'SSH-Patator', rows: 2961 },
  { name: 'Web_Attack_-_Brute_Force_73', label: 'Web Attack - Brute Force', rows: 73 },
  { name: 'Web_Attack_-_SQL_Injection_13', label: 'Web Attack - SQL Injection', rows: 13 },
  { name: 'Web_Attack_-_XSS_18', label: 'Web Attack - XSS', rows: 18 },
];
