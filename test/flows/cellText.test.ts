import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cic2017Timestamp, isoMicrosTimestamp, javaDouble, javaLong } from '../../lib/flows/cellText.ts';
import { sharedDataset } from './collectFlows.ts';

/** Every cell Java printed with Double.toString in the two reference CSVs (they contain a '.' or an 'E'). */
function javaDoubleCells(relative: string): string[] {
  const text = gunzipSync(readFileSync(sharedDataset(relative))).toString('utf8');
  const cells: string[] = [];
  for (const line of text.split('\n').slice(1)) {
    for (const cell of line.split(',')) {
      if (/^-?\d+(\.\d+)?(E-?\d+)?$/.test(cell) && (cell.includes('.') || cell.includes('E'))) cells.push(cell);
    }
  }
  return cells;
}

describe('javaDouble', () => {
  for (const relative of [
    'cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap_CIC.csv.gz',
    'cic-ids2017/generatedlabelledflows-head300/Friday-WorkingHours-Afternoon-DDos.pcap_ISCX.csv.gz',
    'cic-ids2017/improved-cicids2017-rnd5000/Botnet_736.csv.gz',
  ]) {
    it(`prints doubles as Java did in ${relative.split('/').pop()}`, () => {
      const cells = javaDoubleCells(relative);
      expect(cells.length).toBeGreaterThan(1000);
      let identical = 0;
      for (const cell of cells) {
        const printed = javaDouble(Number(cell));
        // Always the same double back...
        expect(Number(printed)).toBe(Number(cell));
        if (printed === cell) identical++;
      }
      // ...and nearly always the same text (old JDKs sometimes printed one digit more than needed).
      expect(identical / cells.length).toBeGreaterThan(0.99);
    });
  }

  it('spells non-finite values and exponents the Java way', () => {
    expect(javaDouble(NaN)).toBe('NaN');
    expect(javaDouble(Infinity)).toBe('Infinity');
    expect(javaDouble(0)).toBe('0.0');
    expect(javaDouble(2.0824295e7)).toBe('2.0824295E7');
    expect(javaDouble(1e7)).toBe('1.0E7');
    expect(javaDouble(0.000125)).toBe('1.25E-4');
    expect(javaLong(-1)).toBe('-1');
  });
});

describe('timestamps', () => {
  // 2015-03-31 11:32:22 UTC, the first flow of test.pcap; the reference CSV shows 31/03/2015 08:32:22 at UTC-3.
  const start = Date.UTC(2015, 2, 31, 11, 32, 22) * 1000 + 901_234;
  it('writes CIC-IDS2017 local time with a 12-hour clock and no AM/PM', () => {
    expect(cic2017Timestamp(start, -180)).toBe('31/03/2015 08:32:22');
    expect(cic2017Timestamp(start + 5 * 3600e6, -180)).toBe('31/03/2015 01:32:22');
    expect(cic2017Timestamp(Date.UTC(2017, 6, 7, 3, 0, 1) * 1000, -180)).toBe('07/07/2017 12:00:01');
  });
  it('writes the improved dataset style with microseconds', () => {
    expect(isoMicrosTimestamp(start, 0)).toBe('2015-03-31 11:32:22.901234');
  });
});
