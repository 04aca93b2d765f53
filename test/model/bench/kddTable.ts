/**
 * Test/bench-local reader of NSL-KDD files into a FeatureTable (numeric columns as floats,
 * protocol/service/flag as codes in order of first appearance, label = column 42).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { FeatureTable } from '../../../lib/datasets/featureTable.ts';

const KDD_FEATURES = [
  'duration', 'protocol_type', 'service', 'flag', 'src_bytes', 'dst_bytes', 'land', 'wrong_fragment', 'urgent', 'hot',
  'num_failed_logins', 'logged_in', 'num_compromised', 'root_shell', 'su_attempted', 'num_root', 'num_file_creations',
  'num_shells', 'num_access_files', 'num_outbound_cmds', 'is_host_login', 'is_guest_login', 'count', 'srv_count',
  'serror_rate', 'srv_serror_rate', 'rerror_rate', 'srv_rerror_rate', 'same_srv_rate', 'diff_srv_rate',
  'srv_diff_host_rate', 'dst_host_count', 'dst_host_srv_count', 'dst_host_same_srv_rate', 'dst_host_diff_srv_rate',
  'dst_host_same_src_port_rate', 'dst_host_srv_diff_host_rate', 'dst_host_serror_rate', 'dst_host_srv_serror_rate',
  'dst_host_rerror_rate', 'dst_host_srv_rerror_rate',
];
const CATEGORICAL = new Set([1, 2, 3]);

export function readKddTable(path: string, maxRows = Infinity, labelOf: (label: string) => string = (label) => label): FeatureTable {
  const lines = gunzipSync(readFileSync(path)).toString('latin1').split('\n').filter((line) => line.length > 0);
  const rowCount = Math.min(lines.length, maxRows);
  const columns = KDD_FEATURES.map(() => new Float32Array(rowCount));
  const dictionaries = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  const labelCodes = new Int32Array(rowCount);
  const labels = new Map<string, number>();
  for (let i = 0; i < rowCount; i++) {
    const fields = lines[i]!.split(',');
    for (let j = 0; j < KDD_FEATURES.length; j++) {
      if (CATEGORICAL.has(j)) {
        const dictionary = dictionaries[j - 1]!;
        let code = dictionary.get(fields[j]!);
        if (code === undefined) dictionary.set(fields[j]!, (code = dictionary.size));
        columns[j]![i] = code;
      } else columns[j]![i] = Number(fields[j]);
    }
    const label = labelOf(fields[41]!);
    let code = labels.get(label);
    if (code === undefined) labels.set(label, (code = labels.size));
    labelCodes[i] = code;
  }
  return {
    sourceFormat: 'nsl-kdd',
    featureFormat: 'kdd',
    rowCount,
    featureNames: KDD_FEATURES.slice(),
    columns,
    categories: {
      protocol_type: [...dictionaries[0]!.keys()],
      service: [...dictionaries[1]!.keys()],
      flag: [...dictionaries[2]!.keys()],
    },
    labelCodes,
    labelNames: [...labels.keys()],
  };
}
