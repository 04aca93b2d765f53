/**
 * What a model predicts, from a dataset's fine labels: the fine label itself ('multiclass'), its
 * attack family ('family', lib/datasets/families.ts) or benign-vs-attack ('binary'). The same rule
 * maps training labels and the labels of any file the model is later evaluated on.
 */
import type { FeatureTable } from '../../datasets/featureTable.ts';
import { familyOf, THREAT_CATEGORY_OF_FAMILY } from '../../datasets/families.ts';
import type { DatasetFormatName } from '../../datasets/formats.ts';

export const TARGET_KINDS = ['binary', 'multiclass', 'family'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** The attack class of a binary model; the benign class keeps the dataset's own name. */
export const ATTACK_CLASS = 'attack';

/** Each dataset spells its benign label its own way; a binary model keeps that spelling. */
const BENIGN_CLASS_OF_FORMAT: Readonly<Record<DatasetFormatName, string>> = {
  'nsl-kdd': 'normal',
  cic2017: 'BENIGN',
  'cic2017-improved': 'BENIGN',
  'unsw-nb15': 'Normal',
};

export function benignClassOf(format: DatasetFormatName): string {
  return BENIGN_CLASS_OF_FORMAT[format];
}

/**
 * The class a fine label belongs to under `kind`. Binary: every label that is not benign is an
 * attack, including labels the family tables do not know (a new attack is still an attack) and
 * CIC "Attempted" attacks (malicious intent, no effect).
 */
export function targetClassOf(label: string, kind: TargetKind, format: DatasetFormatName): string {
  if (kind === 'multiclass') return label;
  const family = familyOf(label, format);
  if (kind === 'family') return family.family;
  return family.threatCategory === 'None' ? benignClassOf(format) : ATTACK_CLASS;
}

export interface FineClass {
  /** The dataset's cleaned label. */
  label: string;
  /** The model class it is trained as. */
  class: string;
  family: string;
  threatCategory: string;
}

export interface RetargetedTable {
  /** Same columns; labelNames are the target classes, benign first. */
  table: FeatureTable;
  /** Every fine label of the source table, with its class, family and category. */
  fineClasses: FineClass[];
}

/**
 * Re-labels `table` for `kind`. Class order: the benign class first (so a binary model's
 * probability column 1 is P(attack)), then the others in the order their first fine label appears.
 */
export function retargetTable(table: FeatureTable, kind: TargetKind): RetargetedTable {
  const format = table.sourceFormat as DatasetFormatName;
  const benign = benignClassOf(format);
  const classOfLabel = table.labelNames.map((label) => targetClassOf(label, kind, format));
  const present = new Uint8Array(table.labelNames.length);
  for (let row = 0; row < table.rowCount; row++) present[table.labelCodes[row]!] = 1;
  const classNames: string[] = [];
  const hasBenign = classOfLabel.some((name, code) => present[code] === 1 && name === benign);
  if (hasBenign || kind === 'binary') classNames.push(benign);
  if (kind === 'binary') classNames.push(ATTACK_CLASS);
  classOfLabel.forEach((name, code) => {
    if (present[code] === 1 && !classNames.includes(name)) classNames.push(name);
  });
  const codeOfLabel = Int32Array.from(classOfLabel, (name) => classNames.indexOf(name));
  const labelCodes = new Int32Array(table.rowCount);
  for (let row = 0; row < table.rowCount; row++) labelCodes[row] = codeOfLabel[table.labelCodes[row]!]!;
  const fineClasses = table.labelNames
    .filter((_, code) => present[code] === 1)
    .map((label) => {
      const family = familyOf(label, format);
      return { label, class: targetClassOf(label, kind, format), family: family.family, threatCategory: family.threatCategory };
    });
  return { table: { ...table, labelNames: classNames, labelCodes }, fineClasses };
}

/**
 * Family and threat category of each model class, for the monitor (metadata `classFamilies`).
 * A family class is its own family; a fine class takes its label's; the binary attack class
 * spans families, so its category is the one its fine labels share, or 'Unknown'.
 */
export function targetClassFamilies(classNames: readonly string[], fineClasses: readonly FineClass[], kind: TargetKind): Record<string, { family: string; threatCategory: string }> {
  const result: Record<string, { family: string; threatCategory: string }> = {};
  for (const name of classNames) {
    const members = fineClasses.filter((fine) => fine.class === name);
    const categories = [...new Set(members.map((fine) => fine.threatCategory))];
    const families = [...new Set(members.map((fine) => fine.family))];
    if (kind === 'family') {
      result[name] = { family: name, threatCategory: THREAT_CATEGORY_OF_FAMILY[name] ?? (categories.length === 1 ? categories[0]! : 'Unknown') };
    } else {
      result[name] = {
        family: families.length === 1 ? families[0]! : name,
        threatCategory: categories.length === 1 ? categories[0]! : 'Unknown',
      };
    }
  }
  return result;
}
