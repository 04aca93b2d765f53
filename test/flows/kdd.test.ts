import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatSession } from '../../lib/flows/featureFormat.ts';
import { kddFormat, KDD_FEATURE_NAMES } from '../../lib/flows/kdd/kddFormat.ts';
import { collectFlows, sharedDataset } from './collectFlows.ts';

const FIRST_FEATURE = 7;
const column = (name: string) => FIRST_FEATURE + KDD_FEATURE_NAMES.indexOf(name as (typeof KDD_FEATURE_NAMES)[number]);

async function kddRows(capture: string) {
  const { flows } = await collectFlows(sharedDataset(capture), formatSession(kddFormat));
  return flows;
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Distinct values of one column of KDDTrain+ (the vocabulary a trained model knows). */
function trainingVocabulary(index: number): Set<string> {
  const text = gunzipSync(readFileSync(sharedDataset('nsl-kdd/KDDTrain+.txt.gz'))).toString('latin1');
  return new Set(text.split('\n').filter(Boolean).map((line) => line.split(',')[index]!));
}

describe('kdd connection records', () => {
  it('names the 41 features exactly as NSL-KDD "Field Names.csv"', () => {
    const fieldNames = gunzipSync(readFileSync(sharedDataset('nsl-kdd/Field Names.csv.gz')))
      .toString('utf8')
      .split(/\r\n|\r|\n/)
      .filter(Boolean)
      .map((line) => line.split(',')[0]);
    expect([...KDD_FEATURE_NAMES]).toEqual(fieldNames);
    expect(kddFormat.columns.slice(FIRST_FEATURE, FIRST_FEATURE + 41).map((c) => c.name)).toEqual(fieldNames);
  });

  it('a spoofed SYN flood is 100 half-open (S0) connections whose same-service 2 s counts build up', async () => {
    // 100 unanswered SYNs within 16 ms, random addresses and ports on both sides (tshark shows
    // it), so each destination host is seen once but the "private" service nearly 100 times.
    const rows = await kddRows('pcaps/ppa-markofu/dosattack.pcap.gz');
    expect(rows).toHaveLength(100);
    expect(rows.every((r) => r.cells[column('flag')] === 'S0')).toBe(true);
    expect(rows.every((r) => r.row[column('count')] === 1)).toBe(true);
    const privateRows = rows.filter((r) => r.cells[column('service')] === 'private').length;
    expect(Math.max(...rows.map((r) => r.row[column('srv_count')]!))).toBe(privateRows);
    expect(privateRows).toBeGreaterThan(90);
    expect(rows.every((r) => r.row[column('serror_rate')] === 1 && r.row[column('srv_serror_rate')] === 1)).toBe(true);
    expect(rows.every((r) => r.row[column('dst_host_serror_rate')] === 1)).toBe(true);
    expect(rows.every((r) => r.row[column('src_bytes')] === 0 && r.row[column('dst_bytes')] === 0)).toBe(true);
  });

  it('a SYN scan is mostly rejected connections: REJ flows match the RST-ACKs tshark sees', async () => {
    const rows = await kddRows('pcaps/evilfingers-nmap/TCP_SYN_SCAN.pcap.gz');
    const rejected = rows.filter((r) => r.cells[column('flag')] === 'REJ').length;
    const rstAcks = Number(
      execFileSync('sh', ['-c', `tshark -r '${sharedDataset('pcaps/evilfingers-nmap/TCP_SYN_SCAN.pcap.gz')}' -Y 'tcp.flags==0x014' 2>/dev/null | wc -l`], {
        encoding: 'utf8',
      }).trim(),
    );
    // A closed port answers each probe with one RST-ACK; nmap retransmits to a few, so a
    // connection can hold two.
    expect(rejected).toBeGreaterThan(rstAcks * 0.9);
    expect(rejected).toBeLessThanOrEqual(rstAcks);
    // Once the 100-connection window has filled, it is full of rejections to one host.
    const late = rows.slice(200);
    const rejectRate = late.reduce((sum, r) => sum + r.row[column('dst_host_rerror_rate')]!, 0) / late.length;
    expect(rejectRate).toBeGreaterThan(0.8);
    expect(late.every((r) => r.row[column('dst_host_count')]! <= 100)).toBe(true);
  });

  it('an FTP brute force is ~1,400 completed ftp connections with 2 s counts of a busy but bounded rate', async () => {
    // SOURCES.md: 1,410 connections in 45 s between one client and one server.
    const rows = await kddRows('pcaps/ppa-markofu/ftp-crack.pcap.gz');
    const ftp = rows.filter((r) => r.cells[column('service')] === 'ftp');
    expect(ftp.length).toBeGreaterThanOrEqual(1390);
    expect(ftp.length).toBeLessThanOrEqual(1410);
    const states = countBy(ftp.map((r) => r.cells[column('flag')]!));
    expect(states.get('SF')! / ftp.length).toBeGreaterThan(0.95);
    const completed = ftp.filter((r) => r.cells[column('flag')] === 'SF');
    expect(completed.every((r) => r.row[column('src_bytes')]! > 0 && r.row[column('dst_bytes')]! > 0)).toBe(true);
    // ~31 connections/s on average: the 2 s window must hold tens, not the whole capture.
    const counts = ftp.map((r) => r.row[column('count')]!);
    expect(Math.max(...counts)).toBeLessThan(250);
    expect(counts.reduce((a, b) => a + b, 0) / counts.length).toBeGreaterThan(20);
  });

  it('writes only services, flags and protocols a model trained on NSL-KDD knows', async () => {
    const services = trainingVocabulary(2);
    const flags = trainingVocabulary(3);
    const protocols = trainingVocabulary(1);
    for (const capture of [
      'pcaps/evilfingers-nmap/UDP_SCAN.pcap.gz',
      'pcaps/ppa-markofu/dns.cap.gz',
      'pcaps/honeynet/attack-trace.pcap_.gz',
      'pcaps/chrissanders-packets/http_espn.pcapng.gz',
      'pcaps/evilfingers-nmap/version_scan.pcap.gz',
    ]) {
      for (const r of await kddRows(capture)) {
        const protocol = r.cells[column('protocol_type')]!;
        if (protocol === 'other') continue; // e.g. IGMP: no NSL-KDD protocol to map to
        expect(protocols).toContain(protocol);
        expect(flags).toContain(r.cells[column('flag')]);
        if (r.cells[column('service')] !== 'oth_i') expect(services).toContain(r.cells[column('service')]);
      }
    }
  });

  it('writes the 13 payload-content features as 0', async () => {
    const rows = await kddRows('pcaps/ppa-markofu/telnet.pcap.gz');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      for (let i = column('hot'); i <= column('is_guest_login'); i++) expect(r.row[i]).toBe(0);
    }
  });
});
