import { cic2017Format } from './cic2017Format.ts';
import { correctedFormat } from './correctedFormat.ts';
import type { FeatureFormat } from './featureFormat.ts';
import { kddFormat } from './kdd/kddFormat.ts';

/** Flow-feature layouts by name; more can be added with registerFeatureFormat. */
export const featureFormats: Record<string, FeatureFormat> = {
  cic2017: cic2017Format,
  corrected: correctedFormat,
  kdd: kddFormat,
};

export function registerFeatureFormat(format: FeatureFormat): void {
  if (featureFormats[format.name] !== undefined) throw new Error(`feature format "${format.name}" is already registered`);
  featureFormats[format.name] = format;
}

/** The format called `name`; an unknown name fails with the list of known ones. */
export function getFeatureFormat(name: string): FeatureFormat {
  const format = Object.hasOwn(featureFormats, name) ? featureFormats[name] : undefined;
  if (format === undefined) {
    throw new Error(`unknown feature format "${name}"; known formats: ${Object.keys(featureFormats).join(', ')}`);
  }
  return format;
}
