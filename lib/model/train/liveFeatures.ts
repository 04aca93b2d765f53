/**
 * Which `corrected` flow features a model meant for real networks may learn from. The improved
 * CIC-IDS2017 data was recorded in one lab: its attacks hit fixed ports from one Kali host, its
 * benign clients were mostly Windows. Features that encode *that* (ports, addresses, the
 * operating systems' TCP options and windows, time) separate the lab's classes perfectly and say
 * nothing about an attack elsewhere; the shipped CIC model put 25 % of its gain on `Dst Port`.
 * The list is the single place these exclusions are named; research/live-model/FINDINGS.md has
 * the measurements behind each one.
 */
import type { FeatureTable } from '../../datasets/featureTable.ts';

/** Feature name (as the `corrected` format writes it) → why a live model must not see it. */
export const LIVE_EXCLUDED_FEATURES: Readonly<Record<string, string>> = {
  // Identifiers of one capture (the dataset loader already leaves them out; named so the list is complete).
  id: 'row number of the CSV',
  'Flow ID': 'addresses and ports as text',
  'Src IP': 'address of one lab host',
  'Dst IP': 'address of one lab host',
  Timestamp: 'wall-clock time of one recording',
  Label: 'the answer',
  'Attempted Category': 'label metadata (-1 in every row)',
  // Ports: the CIC attacks used fixed services (21, 22, 80, 8080, 444 …), so the port names the class.
  'Src Port': 'ephemeral port chosen by the client OS',
  'Dst Port': "the lab's service ports: 25 % of the CIC model's gain, names the attacked service, not the attack",
  // Operating-system fingerprints: CIC's attacker (Kali) sent 29,200-byte windows and 32-byte TCP
  // headers (timestamps option), its benign clients mostly 8,192 and 20 bytes (Windows).
  'FWD Init Win Bytes': "initial TCP window of the client's OS (29200 = CIC's Kali attacker)",
  'Bwd Init Win Bytes': "initial TCP window of the server's OS",
  'Fwd Seg Size Min': 'smallest forward TCP header = TCP options of the client OS (32 in every CIC brute-force and web-attack row)',
  'Fwd Header Length': 'sum of forward header bytes: packets × the client OS header size',
  'Bwd Header Length': 'sum of backward header bytes: packets × the server OS header size',
};

export const LIVE_EXCLUDED_FEATURE_NAMES: readonly string[] = Object.keys(LIVE_EXCLUDED_FEATURES);

export function isLiveExcludedFeature(name: string): boolean {
  return Object.hasOwn(LIVE_EXCLUDED_FEATURES, name);
}

/** The features of `names` a live model may use, in their order. */
export function liveFeatureNames(names: readonly string[]): string[] {
  return names.filter((name) => !isLiveExcludedFeature(name));
}

/** The same rows with only the named features, in that order (columns shared, not copied). */
export function selectFeatures(table: FeatureTable, featureNames: readonly string[]): FeatureTable {
  const columns = featureNames.map((name) => {
    const index = table.featureNames.indexOf(name);
    if (index < 0) throw new Error(`feature '${name}' is not in the table (${table.featureNames.length} features)`);
    return table.columns[index]!;
  });
  const categories: Record<string, string[]> = {};
  for (const name of featureNames) if (table.categories[name]) categories[name] = table.categories[name]!;
  return { ...table, featureNames: featureNames.slice(), columns, categories };
}
