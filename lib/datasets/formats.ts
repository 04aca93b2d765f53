/**
 * The dataset layouts the loader knows, by name. Each entry says which columns exist, which one is
 * the label, which are identifiers (never features) and which are categorical, and which live
 * flow-engine feature format (lib/flows) writes the same column names.
 */

export type DatasetFormatName = 'nsl-kdd' | 'cic2017' | 'cic2017-improved' | 'unsw-nb15';

/** Column-name sets of the live flow engine. null: the engine cannot compute these features. */
export type FeatureFormatName = 'kdd' | 'cic2017' | 'corrected';

export interface DatasetFormat {
  name: DatasetFormatName;
  featureFormat: FeatureFormatName | null;
  /** false for NSL-KDD: the first line is already data and `columns` is the fixed layout. */
  hasHeader: boolean;
  /** Every column the format can have, canonical names, file order. */
  columns: readonly string[];
  labelColumn: string;
  /** Columns kept out of the features: flow identity, time, row ids, side labels. */
  nonFeatureColumns: ReadonlySet<string>;
  /** Text-valued features stored as dictionary codes. */
  categoricalColumns: ReadonlySet<string>;
}

/** The 41 NSL-KDD feature names, in file order, as in the dataset's "Field Names.csv". */
export const KDD_FEATURE_NAMES: readonly string[] = [
  'duration', 'protocol_type', 'service', 'flag', 'src_bytes', 'dst_bytes', 'land',
  'wrong_fragment', 'urgent', 'hot', 'num_failed_logins', 'logged_in', 'num_compromised',
  'root_shell', 'su_attempted', 'num_root', 'num_file_creations', 'num_shells',
  'num_access_files', 'num_outbound_cmds', 'is_host_login', 'is_guest_login', 'count',
  'srv_count', 'serror_rate', 'srv_serror_rate', 'rerror_rate', 'srv_rerror_rate',
  'same_srv_rate', 'diff_srv_rate', 'srv_diff_host_rate', 'dst_host_count',
  'dst_host_srv_count', 'dst_host_same_srv_rate', 'dst_host_diff_srv_rate',
  'dst_host_same_src_port_rate', 'dst_host_srv_diff_host_rate', 'dst_host_serror_rate',
  'dst_host_srv_serror_rate', 'dst_host_rerror_rate', 'dst_host_srv_rerror_rate',
];

/**
 * CIC-IDS2017 GeneratedLabelledFlows (TrafficLabelling) header, 85 columns, leading spaces
 * trimmed. " Fwd Header Length" occurs twice in the original (columns 41 and 62); the second
 * copy is named "Fwd Header Length.1", the name pandas gives it and the name already used by
 * re-saved copies of the dataset (e.g. the western-oc2 sample).
 */
export const CIC2017_COLUMNS: readonly string[] = [
  'Flow ID', 'Source IP', 'Source Port', 'Destination IP', 'Destination Port', 'Protocol',
  'Timestamp', 'Flow Duration', 'Total Fwd Packets', 'Total Backward Packets',
  'Total Length of Fwd Packets', 'Total Length of Bwd Packets', 'Fwd Packet Length Max',
  'Fwd Packet Length Min', 'Fwd Packet Length Mean', 'Fwd Packet Length Std',
  'Bwd Packet Length Max', 'Bwd Packet Length Min', 'Bwd Packet Length Mean',
  'Bwd Packet Length Std', 'Flow Bytes/s', 'Flow Packets/s', 'Flow IAT Mean', 'Flow IAT Std',
  'Flow IAT Max', 'Flow IAT Min', 'Fwd IAT Total', 'Fwd IAT Mean', 'Fwd IAT Std', 'Fwd IAT Max',
  'Fwd IAT Min', 'Bwd IAT Total', 'Bwd IAT Mean', 'Bwd IAT Std', 'Bwd IAT Max', 'Bwd IAT Min',
  'Fwd PSH Flags', 'Bwd PSH Flags', 'Fwd URG Flags', 'Bwd URG Flags', 'Fwd Header Length',
  'Bwd Header Length', 'Fwd Packets/s', 'Bwd Packets/s', 'Min Packet Length',
  'Max Packet Length', 'Packet Length Mean', 'Packet Length Std', 'Packet Length Variance',
  'FIN Flag Count', 'SYN Flag Count', 'RST Flag Count', 'PSH Flag Count', 'ACK Flag Count',
  'URG Flag Count', 'CWE Flag Count', 'ECE Flag Count', 'Down/Up Ratio', 'Average Packet Size',
  'Avg Fwd Segment Size', 'Avg Bwd Segment Size', 'Fwd Header Length.1', 'Fwd Avg Bytes/Bulk',
  'Fwd Avg Packets/Bulk', 'Fwd Avg Bulk Rate', 'Bwd Avg Bytes/Bulk', 'Bwd Avg Packets/Bulk',
  'Bwd Avg Bulk Rate', 'Subflow Fwd Packets', 'Subflow Fwd Bytes', 'Subflow Bwd Packets',
  'Subflow Bwd Bytes', 'Init_Win_bytes_forward', 'Init_Win_bytes_backward', 'act_data_pkt_fwd',
  'min_seg_size_forward', 'Active Mean', 'Active Std', 'Active Max', 'Active Min', 'Idle Mean',
  'Idle Std', 'Idle Max', 'Idle Min', 'Label',
];

/** The columns MachineLearningCVE leaves out of the GeneratedLabelledFlows layout (85 → 79). */
export const CIC2017_MACHINE_LEARNING_CVE_OMITS: readonly string[] = [
  'Flow ID', 'Source IP', 'Source Port', 'Destination IP', 'Protocol', 'Timestamp',
];

/** Header of the improved CIC-IDS2017 (Engelen et al., CNS 2022), 91 columns. */
export const CIC2017_IMPROVED_COLUMNS: readonly string[] = [
  'id', 'Flow ID', 'Src IP', 'Src Port', 'Dst IP', 'Dst Port', 'Protocol', 'Timestamp',
  'Flow Duration', 'Total Fwd Packet', 'Total Bwd packets', 'Total Length of Fwd Packet',
  'Total Length of Bwd Packet', 'Fwd Packet Length Max', 'Fwd Packet Length Min',
  'Fwd Packet Length Mean', 'Fwd Packet Length Std', 'Bwd Packet Length Max',
  'Bwd Packet Length Min', 'Bwd Packet Length Mean', 'Bwd Packet Length Std', 'Flow Bytes/s',
  'Flow Packets/s', 'Flow IAT Mean', 'Flow IAT Std', 'Flow IAT Max', 'Flow IAT Min',
  'Fwd IAT Total', 'Fwd IAT Mean', 'Fwd IAT Std', 'Fwd IAT Max', 'Fwd IAT Min', 'Bwd IAT Total',
  'Bwd IAT Mean', 'Bwd IAT Std', 'Bwd IAT Max', 'Bwd IAT Min', 'Fwd PSH Flags', 'Bwd PSH Flags',
  'Fwd URG Flags', 'Bwd URG Flags', 'Fwd RST Flags', 'Bwd RST Flags', 'Fwd Header Length',
  'Bwd Header Length', 'Fwd Packets/s', 'Bwd Packets/s', 'Packet Length Min',
  'Packet Length Max', 'Packet Length Mean', 'Packet Length Std', 'Packet Length Variance',
  'FIN Flag Count', 'SYN Flag Count', 'RST Flag Count', 'PSH Flag Count', 'ACK Flag Count',
  'URG Flag Count', 'CWR Flag Count', 'ECE Flag Count', 'Down/Up Ratio', 'Average Packet Size',
  'Fwd Segment Size Avg', 'Bwd Segment Size Avg', 'Fwd Bytes/Bulk Avg', 'Fwd Packet/Bulk Avg',
  'Fwd Bulk Rate Avg', 'Bwd Bytes/Bulk Avg', 'Bwd Packet/Bulk Avg', 'Bwd Bulk Rate Avg',
  'Subflow Fwd Packets', 'Subflow Fwd Bytes', 'Subflow Bwd Packets', 'Subflow Bwd Bytes',
  'FWD Init Win Bytes', 'Bwd Init Win Bytes', 'Fwd Act Data Pkts', 'Fwd Seg Size Min',
  'Active Mean', 'Active Std', 'Active Max', 'Active Min', 'Idle Mean', 'Idle Std', 'Idle Max',
  'Idle Min', 'ICMP Code', 'ICMP Type', 'Total TCP Flow Time', 'Label', 'Attempted Category',
];

/** UNSW-NB15 training/testing-set partition header, 45 columns. */
export const UNSW_NB15_COLUMNS: readonly string[] = [
  'id', 'dur', 'proto', 'service', 'state', 'spkts', 'dpkts', 'sbytes', 'dbytes', 'rate', 'sttl',
  'dttl', 'sload', 'dload', 'sloss', 'dloss', 'sinpkt', 'dinpkt', 'sjit', 'djit', 'swin', 'stcpb',
  'dtcpb', 'dwin', 'tcprtt', 'synack', 'ackdat', 'smean', 'dmean', 'trans_depth',
  'response_body_len', 'ct_srv_src', 'ct_state_ttl', 'ct_dst_ltm', 'ct_src_dport_ltm',
  'ct_dst_sport_ltm', 'ct_dst_src_ltm', 'is_ftp_login', 'ct_ftp_cmd', 'ct_flw_http_mthd',
  'ct_src_ltm', 'ct_srv_dst', 'is_sm_ips_ports', 'attack_cat', 'label',
];

export const datasetFormats: Record<DatasetFormatName, DatasetFormat> = {
  'nsl-kdd': {
    name: 'nsl-kdd',
    featureFormat: 'kdd',
    hasHeader: false,
    columns: [...KDD_FEATURE_NAMES, 'label', 'difficulty'],
    labelColumn: 'label',
    // difficulty = how many of 21 reference learners got the row right: a property of the
    // benchmark, not of the connection.
    nonFeatureColumns: new Set(['label', 'difficulty']),
    categoricalColumns: new Set(['protocol_type', 'service', 'flag']),
  },
  cic2017: {
    name: 'cic2017',
    featureFormat: 'cic2017',
    hasHeader: true,
    columns: CIC2017_COLUMNS,
    labelColumn: 'Label',
    // Source Port is ephemeral and IPs/Flow ID/Timestamp name one capture; a model that learns
    // them learns the lab, not the attack. Destination Port is a feature (as in MachineLearningCVE)
    // and Protocol too: the live engine writes both.
    nonFeatureColumns: new Set(['Flow ID', 'Source IP', 'Source Port', 'Destination IP', 'Timestamp', 'Label']),
    categoricalColumns: new Set(),
  },
  'cic2017-improved': {
    name: 'cic2017-improved',
    featureFormat: 'corrected',
    hasHeader: true,
    columns: CIC2017_IMPROVED_COLUMNS,
    labelColumn: 'Label',
    // Attempted Category restates the label (-1 unless the label is "... - Attempted").
    nonFeatureColumns: new Set(['id', 'Flow ID', 'Src IP', 'Src Port', 'Dst IP', 'Timestamp', 'Label', 'Attempted Category']),
    categoricalColumns: new Set(),
  },
  'unsw-nb15': {
    name: 'unsw-nb15',
    featureFormat: null,
    hasHeader: true,
    columns: UNSW_NB15_COLUMNS,
    labelColumn: 'attack_cat',
    // label is attack_cat != Normal: keeping it as a feature would leak the answer.
    nonFeatureColumns: new Set(['id', 'attack_cat', 'label']),
    categoricalColumns: new Set(['proto', 'service', 'state']),
  },
};

export const DATASET_FORMAT_NAMES = Object.keys(datasetFormats) as DatasetFormatName[];
