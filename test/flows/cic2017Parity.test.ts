import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cic2017Format } from '../../lib/flows/cic2017Format.ts';
import { closeEnough, collectFlows, sharedDataset } from './collectFlows.ts';

const PCAP = sharedDataset('cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz');
const REFERENCE = sharedDataset('cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap_CIC.csv.gz');
/** The reference was written on a host at UTC-3 (08:32 there is 11:32 UTC in the pcap). */
const REFERENCE_UTC_OFFSET_MINUTES = -180;

const referenceLines = gunzipSync(readFileSync(REFERENCE)).toString('utf8').split('\n').filter((line) => line !== '');
const referenceRows = referenceLines.slice(1).map((line) => line.split(','));

/** Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp. */
function matchKey(cells: string[]): string {
  return cells.slice(1, 7).join('|');
}

describe('cic2017 format against CICFlowMeter output for test.pcap', async () => {
  const { flows, result } = await collectFlows(PCAP, cic2017Format, {
    utcOffsetMinutes: REFERENCE_UTC_OFFSET_MINUTES,
    label: 'BENIGN',
  });
  const ours = flows.map((flow) => flow.cells);

  it('writes the dataset header byte for byte', () => {
    expect(cic2017Format.headerLine).toBe(referenceLines[0]);
    expect(cic2017Format.columns).toHaveLength(85);
    expect(cic2017Format.columns[61]!.name).toBe('Fwd Header Length.1');
  });

  it('decodes every packet of the capture', () => {
    expect(result.source.frames).toBe(3292);
    expect(result.table.packets).toBe(3292);
    expect(result.table.nonIpPackets).toBe(0);
  });

  it('produces the same number of flows, each matched by 5-tuple and start time', () => {
    expect(referenceRows).toHaveLength(96);
    expect(ours).toHaveLength(referenceRows.length);
    const referenceKeys = referenceRows.map(matchKey).sort();
    const ourKeys = ours.map(matchKey).sort();
    expect(ourKeys).toEqual(referenceKeys);
  });

  it('matches every feature column on at least 95% of flows (1e-6 relative)', () => {
    // Pair flows sharing a key (same 5-tuple and second) by duration, then packet counts.
    const order = (a: string[], b: string[]): number =>
      matchKey(a).localeCompare(matchKey(b)) || Number(a[7]) - Number(b[7]) || Number(a[8]) - Number(b[8]);
    const reference = [...referenceRows].sort(order);
    const mine = [...ours].sort(order);
    const table: { column: string; matched: number; mismatched: number; example: string }[] = [];
    const failing: string[] = [];
    for (let c = 0; c < cic2017Format.columns.length; c++) {
      const column = cic2017Format.columns[c]!;
      let matched = 0;
      let example = '';
      for (let r = 0; r < reference.length; r++) {
        const expected = reference[r]![c]!;
        const actual = mine[r]![c]!;
        const same = column.kind === 'text' ? expected === actual : closeEnough(Number(expected), Number(actual));
        if (same) matched++;
        else if (example === '') example = `${matchKey(reference[r]!)}: expected ${expected}, got ${actual}`;
      }
      table.push({ column: column.name, matched, mismatched: reference.length - matched, example });
      // Label is the only column the tool filled from a hard-coded rule rather than the packets.
      if (column.name !== 'Label' && matched < 0.95 * reference.length) failing.push(column.name);
    }
    console.log('cic2017 parity per column (test.pcap, 96 flows):');
    console.table(table.filter((entry) => entry.mismatched > 0).length > 0 ? table : table.map(({ column, matched }) => ({ column, matched })));
    expect(failing).toEqual([]);
  });
});
