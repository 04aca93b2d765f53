import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CellKind, parseCell, parsedCell } from '../../lib/datasets/featureValues.ts';
import { CIC_IMPROVED, CIC_MONDIRKB, KDD_TEST, UNSW_TRAINING } from './sharedData.ts';

/** The reference is JavaScript's own decimal conversion; returns a description of a mismatch. */
function mismatch(text: string): string | null {
  const kind = parseCell(text);
  const reference = Number(text);
  if (!Number.isFinite(reference) || text.trim() === '') return null;
  const expectedKind = Math.abs(reference) > 3.4028234663852886e38 ? CellKind.INFINITE : CellKind.NUMBER;
  if (kind !== expectedKind || !Object.is(parsedCell.value, reference)) return `${text}: kind ${kind}, ${parsedCell.value} vs ${reference}`;
  return null;
}

describe('parseCell', () => {
  it('equals Number(text) bit for bit on every numeric cell of real files', () => {
    for (const path of [KDD_TEST, UNSW_TRAINING, CIC_MONDIRKB('xss'), CIC_IMPROVED('DoS_Slowloris_3859')]) {
      const cells = gunzipSync(readFileSync(path)).toString('utf8').split(/[\n,]/);
      let checked = 0;
      const wrong: string[] = [];
      for (const cell of cells) {
        const text = cell.replace('\r', '');
        if (text === '' || Number.isNaN(Number(text))) continue;
        const problem = mismatch(text);
        if (problem !== null) wrong.push(problem);
        checked++;
      }
      expect(wrong.slice(0, 5)).toEqual([]);
      expect(checked).toBeGreaterThan(10_000);
    }
  });

  it('equals Number(text) on any decimal string, including long and awkward ones', () => {
    const decimal = fc.tuple(fc.boolean(), fc.stringMatching(/^[0-9]{0,19}$/), fc.boolean(), fc.stringMatching(/^[0-9]{0,19}$/))
      .map(([negative, whole, dot, fraction]) => `${negative ? '-' : ''}${whole}${dot ? '.' : ''}${dot ? fraction : ''}`);
    fc.assert(fc.property(decimal, (text) => mismatch(text) === null), { numRuns: 20_000 });
    fc.assert(fc.property(fc.double({ noNaN: true }), (value) => mismatch(String(value)) === null), { numRuns: 20_000 });
  });

  it('classifies missing, infinite and invalid text', () => {
    for (const text of ['', ' ', 'NaN', 'nan', 'NA', 'null', '?']) expect(parseCell(text), JSON.stringify(text)).toBe(CellKind.MISSING);
    for (const text of ['Infinity', '-Infinity', 'inf', '-inf', '1e39']) expect(parseCell(text), text).toBe(CellKind.INFINITE);
    parseCell('inf');
    expect(parsedCell.value).toBe(Infinity);
    parseCell('-Infinity');
    expect(parsedCell.value).toBe(-Infinity);
    for (const text of ['abc', '12x34', '-', '.', '1.2.3', '--1']) expect(parseCell(text), text).toBe(CellKind.INVALID);
  });
});
