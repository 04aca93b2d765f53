import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultDetectorConfig, parseDetectorConfig } from '../../lib/detect/detectorConfig.ts';

/** Every leaf of the parsed defaults as [dotted path, value]. */
function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, inner]) => leaves(inner, prefix === '' ? key : `${prefix}.${key}`));
  }
  return [[prefix, value]];
}

/** README rows "| path[, path…] | value | why |" → path → value text. */
function readmeDefaults(): Map<string, string> {
  const text = readFileSync(new URL('../../lib/detect/README.md', import.meta.url), 'utf8');
  const rows = new Map<string, string>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 4 || !/^[a-zA-Z]+(\.[a-zA-Z]+)?(, [a-zA-Z]+\.[a-zA-Z]+)*$/.test(cells[1])) continue;
    for (const path of cells[1].split(', ')) rows.set(path, cells[2]);
  }
  return rows;
}

/** The README's text read back as the value it states: "5,000" → 5000, "21, 22" → [21, 22]. */
function readmeValue(text: string, like: unknown): unknown {
  if (Array.isArray(like)) return text.split(', ').map(Number);
  if (typeof like === 'number') return Number(text.replaceAll(',', ''));
  return text;
}

describe('detector config', () => {
  it('README documents every default, with the value the schema fills in', () => {
    const documented = readmeDefaults();
    for (const [path, value] of leaves(defaultDetectorConfig)) {
      expect(documented.has(path), `${path} is missing from lib/detect/README.md`).toBe(true);
      expect(readmeValue(documented.get(path) ?? '', value), path).toEqual(typeof value === 'boolean' ? String(value) : value);
    }
  });

  it('fills defaults around a partial config', () => {
    const config = parseDetectorConfig({ synFlood: { minHalfOpen: 5 }, bruteForce: { ports: [2222] } });
    expect(config.synFlood.minHalfOpen).toBe(5);
    expect(config.synFlood.halfOpenPerSecond).toBe(defaultDetectorConfig.synFlood.halfOpenPerSecond);
    expect(config.bruteForce.ports).toEqual([2222]);
    expect(config.portScan).toEqual(defaultDetectorConfig.portScan);
  });

  it('rejects values out of range, naming the field', () => {
    expect(() => parseDetectorConfig({ portScan: { distinctPorts: 1 } })).toThrow(/distinctPorts/);
    expect(() => parseDetectorConfig({ synFlood: { windowSeconds: 0 } })).toThrow(/windowSeconds/);
    expect(() => parseDetectorConfig({ bruteForce: { ports: [70_000] } })).toThrow(/ports/);
    expect(() => parseDetectorConfig({ severity: { critical: 0.6, high: 0.7 } })).toThrow(/critical >= high/);
  });
});
