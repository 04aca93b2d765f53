import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FlowCsvWriter } from '../../lib/flows/csvWriter.ts';
import { extractFlowsFromFile } from '../../lib/flows/extractFlows.ts';
import { getFeatureFormat } from '../../lib/flows/featureFormats.ts';
import { closeEnough, sharedDataset } from './collectFlows.ts';

describe('FlowCsvWriter', () => {
  it('writes a file that reads back like the reference CSV', async () => {
    const format = getFeatureFormat('cic2017');
    const chunks: string[] = [];
    const decoder = new TextDecoder();
    const writer = new FlowCsvWriter(format, { write: (chunk: Uint8Array) => chunks.push(decoder.decode(chunk)) }, {
      utcOffsetMinutes: -180,
      label: 'BENIGN',
      flushThreshold: 4096,
    });
    writer.writeHeader();
    await extractFlowsFromFile(sharedDataset('cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap.gz'), format, (flow) =>
      writer.writeFlow(flow),
    );
    writer.flush();
    expect(chunks.length).toBeGreaterThan(1);
    const written = chunks.join('');
    const reference = gunzipSync(readFileSync(sharedDataset('cicflowmeter-reference/ahlashkari-CICFlowMeter-test/test.pcap_CIC.csv.gz'))).toString('utf8');
    expect(written.endsWith('\n')).toBe(true);
    const ours = written.trimEnd().split('\n');
    const theirs = reference.trimEnd().split('\n');
    expect(ours[0]).toBe(theirs[0]);
    expect(ours).toHaveLength(theirs.length);
    expect(writer.rowsWritten).toBe(theirs.length - 1);
    // Same multiset of rows once each cell is read as a number (text cells compared as text).
    const canonical = (line: string): string =>
      line
        .split(',')
        .map((cell) => (cell !== '' && !Number.isNaN(Number(cell)) ? Number(Number(cell).toPrecision(10)).toString() : cell))
        .join(',');
    const sortedOurs = ours.slice(1).map(canonical).sort();
    const sortedTheirs = theirs.slice(1).map(canonical).sort();
    let differing = 0;
    for (let i = 0; i < sortedOurs.length; i++) {
      const a = sortedOurs[i]!.split(',');
      const b = sortedTheirs[i]!.split(',');
      if (a.some((cell, c) => cell !== b[c] && !closeEnough(Number(cell), Number(b[c])))) differing++;
    }
    expect(differing).toBe(0);
  });
});
