/**
 * Fine dataset labels → the attack families the monitor shows, and each family's threat
 * category. The tables are the single source of truth; the README repeats them for people.
 */
import type { FeatureTable } from './featureTable.ts';
import type { DatasetFormatName } from './formats.ts';
import { attemptedBaseLabel, cleanLabel, isAttemptedLabel } from './labels.ts';

/** Where an attack acts: the monitor groups alerts by this (lib/detect's ThreatEvent.category is this type). */
export type ThreatCategory = 'Network' | 'Reconnaissance' | 'Application' | 'Web' | 'Endpoint' | 'DNS' | 'Unknown';

/** A dataset class's category: a threat category, or 'None' for the benign class. */
export type ClassCategory = ThreatCategory | 'None';

export const THREAT_CATEGORY_OF_FAMILY: Readonly<Record<string, ClassCategory>> = {
  // CIC-IDS2017 (original and improved)
  BENIGN: 'None',
  DoS: 'Network',
  DDoS: 'Network',
  PortScan: 'Reconnaissance',
  BruteForce: 'Application',
  WebAttack: 'Web',
  Botnet: 'Endpoint',
  Infiltration: 'Endpoint',
  Heartbleed: 'Application',
  // NSL-KDD (DoS shared with CIC)
  normal: 'None',
  Probe: 'Reconnaissance',
  R2L: 'Application',
  U2R: 'Endpoint',
  // UNSW-NB15 attack_cat (DoS shared)
  Normal: 'None',
  Generic: 'Application',
  Exploits: 'Application',
  Fuzzers: 'Application',
  Reconnaissance: 'Reconnaissance',
  Analysis: 'Reconnaissance',
  Backdoor: 'Endpoint',
  Shellcode: 'Endpoint',
  Worms: 'Endpoint',
};

/** Standard NSL-KDD attack → class mapping, all 39 attack names of KDDTrain+ and KDDTest+. */
export const NSL_KDD_ATTACK_FAMILY: Readonly<Record<string, 'DoS' | 'Probe' | 'R2L' | 'U2R'>> = {
  back: 'DoS', land: 'DoS', neptune: 'DoS', pod: 'DoS', smurf: 'DoS', teardrop: 'DoS',
  apache2: 'DoS', udpstorm: 'DoS', processtable: 'DoS', worm: 'DoS', mailbomb: 'DoS',
  satan: 'Probe', ipsweep: 'Probe', nmap: 'Probe', portsweep: 'Probe', mscan: 'Probe', saint: 'Probe',
  guess_passwd: 'R2L', ftp_write: 'R2L', imap: 'R2L', phf: 'R2L', multihop: 'R2L',
  warezmaster: 'R2L', warezclient: 'R2L', spy: 'R2L', xlock: 'R2L', xsnoop: 'R2L',
  snmpguess: 'R2L', snmpgetattack: 'R2L', httptunnel: 'R2L', sendmail: 'R2L', named: 'R2L',
  buffer_overflow: 'U2R', loadmodule: 'U2R', rootkit: 'U2R', perl: 'U2R', sqlattack: 'U2R',
  xterm: 'U2R', ps: 'U2R',
};

/**
 * CIC-IDS2017 labels, keyed by the label lower-cased with everything but letters and digits
 * removed, so "Web Attack - Sql Injection", "Web Attack – SQL Injection" and the grouped
 * "WebAttack" of re-labelled copies all meet.
 */
const CIC_FAMILY_BY_KEY: Readonly<Record<string, string>> = {
  benign: 'BENIGN',
  dos: 'DoS', doshulk: 'DoS', dosgoldeneye: 'DoS', dosslowloris: 'DoS', dosslowhttptest: 'DoS',
  ddos: 'DDoS',
  portscan: 'PortScan',
  // The improved dataset's infiltrated host scanning the LAN: on the wire it is a port scan,
  // and that is what a flow model can see; the infiltration itself is labelled separately.
  infiltrationportscan: 'PortScan',
  ftppatator: 'BruteForce', sshpatator: 'BruteForce', bruteforce: 'BruteForce',
  webattackbruteforce: 'WebAttack', webattackxss: 'WebAttack', webattacksqlinjection: 'WebAttack', webattack: 'WebAttack',
  bot: 'Botnet', botnet: 'Botnet',
  infiltration: 'Infiltration',
  heartbleed: 'Heartbleed',
};

const UNSW_CATEGORIES = ['Normal', 'Generic', 'Exploits', 'Fuzzers', 'DoS', 'Reconnaissance', 'Analysis', 'Backdoor', 'Shellcode', 'Worms'];

export interface LabelFamily {
  /** The cleaned fine label. */
  label: string;
  /** Family shown by the monitor; 'Attempted' for the improved dataset's "<attack> - Attempted". */
  family: string;
  threatCategory: ClassCategory;
  /** For 'Attempted': the family of the attack that was attempted; else equal to `family`. */
  baseFamily: string;
  attempted: boolean;
  /** false when the label is in no table: family 'Unknown', category 'Unknown'. */
  known: boolean;
}

function labelKey(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function baseFamilyOf(label: string, format: DatasetFormatName): string | null {
  switch (format) {
    case 'nsl-kdd':
      if (label === 'normal') return 'normal';
      return NSL_KDD_ATTACK_FAMILY[label] ?? null;
    case 'unsw-nb15':
      // The full UNSW-NB15 CSVs spell "Backdoors"; the partitions "Backdoor".
      if (label === 'Backdoors') return 'Backdoor';
      return UNSW_CATEGORIES.includes(label) ? label : null;
    case 'cic2017':
    case 'cic2017-improved':
      return CIC_FAMILY_BY_KEY[labelKey(label)] ?? null;
  }
}

export function familyOf(rawLabel: string, format: DatasetFormatName): LabelFamily {
  const label = cleanLabel(rawLabel);
  const attempted = format === 'cic2017-improved' && isAttemptedLabel(label);
  const base = baseFamilyOf(attempted ? attemptedBaseLabel(label) : label, format);
  if (base === null) {
    return { label, family: 'Unknown', threatCategory: 'Unknown', baseFamily: 'Unknown', attempted, known: false };
  }
  return {
    label,
    family: attempted ? 'Attempted' : base,
    threatCategory: THREAT_CATEGORY_OF_FAMILY[base] ?? 'Unknown',
    baseFamily: base,
    attempted,
    known: true,
  };
}

/** Re-codes a table's fine labels as families, for training a family-level model. */
export function familyCodes(table: FeatureTable): { familyNames: string[]; codes: Int32Array } {
  const format = table.sourceFormat as DatasetFormatName;
  const familyNames: string[] = [];
  const familyIndex = new Map<string, number>();
  const codeOfLabel = new Int32Array(table.labelNames.length);
  table.labelNames.forEach((label, labelCode) => {
    const family = familyOf(label, format).family;
    let index = familyIndex.get(family);
    if (index === undefined) {
      index = familyNames.length;
      familyNames.push(family);
      familyIndex.set(family, index);
    }
    codeOfLabel[labelCode] = index;
  });
  const codes = new Int32Array(table.rowCount);
  for (let row = 0; row < table.rowCount; row++) codes[row] = codeOfLabel[table.labelCodes[row]!]!;
  return { familyNames, codes };
}

/** Family and threat category of every label name, e.g. for a model's metadata (classFamilies). */
export function classFamilies(labelNames: readonly string[], format: DatasetFormatName): Record<string, { family: string; threatCategory: ClassCategory }> {
  const result: Record<string, { family: string; threatCategory: ClassCategory }> = {};
  for (const label of labelNames) {
    const { family, threatCategory } = familyOf(label, format);
    result[label] = { family, threatCategory };
  }
  return result;
}
