/**
 * Sanity check of the recorded captures: for every `<scenario>.truth.json` in datasets/lab (or
 * the folder given), count the capture's packets with capinfos/tshark, count the attacker's
 * packets inside and outside the truth window, and pull the evidence that the attack really
 * happened out of the tools' own output (ports nmap found open, hydra's attempts, requests ab
 * completed, connections slowhttptest held, packets hping3 sent). Prints a Markdown table.
 *
 *   npx tsx lab/checkCaptures.ts [folder]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Truth } from './record.ts';

const folder = resolve(process.argv[2] ?? 'datasets/lab');

function tshark(pcap: string, filter: string): string[] {
  const result = spawnSync('tshark', ['-n', '-r', pcap, '-Y', filter, '-T', 'fields', '-e', 'frame.time_epoch'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return result.stdout.split('\n').filter(Boolean);
}

/** What the attack tool's own output says it did. */
function evidence(raw: string): string {
  const log = raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  const parts: string[] = [];
  const open = [...log.matchAll(/^(\d+)\/(tcp|udp)\s+(open\S*)/gm)].map((m) => `${m[1]}/${m[2]} ${m[3]}`);
  if (/Nmap done/.test(log) || open.length > 0) parts.push(`nmap: ${open.length} open (${open.slice(0, 8).join(', ')})`);
  const attempts = (log.match(/\[ATTEMPT\]/g) ?? []).length;
  if (/Hydra/.test(log)) parts.push(`hydra: ${attempts} attempts shown, ${/valid password/.test(log) && !/0 valid password/.test(log) ? 'a password FOUND' : 'no password found'}`);
  const complete = /Complete requests:\s+(\d+)/.exec(log);
  const failed = /Failed requests:\s+(\d+)/.exec(log);
  if (complete) parts.push(`ab: ${complete[1]} requests complete, ${failed?.[1] ?? '?'} failed`);
  const hping = /(\d+) packets transmitted, (\d+) packets received/.exec(log);
  if (hping) parts.push(`hping3: ${hping[1]} sent, ${hping[2]} answered`);
  const slow = [...log.matchAll(/connected:\s+(\d+)/g)].map((m) => Number(m[1]));
  if (slow.length > 0) parts.push(`slowhttptest: up to ${Math.max(...slow)} connections held`);
  return parts.join('; ') || '-';
}

const scratch = mkdtempSync(join(tmpdir(), 'ngl-check-'));
try {
  const rows: string[] = [];
  rows.push('| scenario | split | net | family | packets | attacker pkts (in window / outside) | .pcap.gz | seconds | evidence |');
  rows.push('|---|---|---|---|---|---|---|---|---|');
  let total = 0;
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.truth.json')).sort()) {
    const truth = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Truth;
    const gz = join(folder, `${truth.scenario}.pcap.gz`);
    if (!existsSync(gz)) {
      rows.push(`| ${truth.scenario} | missing capture |`);
      continue;
    }
    const size = statSync(gz).size;
    total += size;
    const pcap = join(scratch, `${truth.scenario}.pcap`);
    writeFileSync(pcap, gunzipSync(readFileSync(gz)));
    const packets = tshark(pcap, 'frame').length;
    let attack = '-';
    if (truth.attackStartUs !== null && truth.attackEndUs !== null) {
      const filter = truth.spoofedSources
        ? `ip.dst == ${truth.victims[0]} && !(ip.src == 10.77.0.0/24) && !(ip.src == 127.0.0.0/8)`
        : truth.attackers.map((address) => `ip.addr == ${address}`).join(' || ');
      const times = tshark(pcap, filter).map((t) => Number(t) * 1e6);
      const inside = times.filter((t) => t >= truth.attackStartUs! && t <= truth.attackEndUs! + 1e6).length;
      attack = `${inside} / ${times.length - inside}`;
    }
    const logPath = join(folder, `${truth.scenario}.attack.log`);
    const proof = existsSync(logPath) ? evidence(readFileSync(logPath, 'utf8')) : '-';
    rows.push(`| ${truth.scenario} | ${truth.split} | ${truth.network} | ${truth.family ?? 'benign'} | ${packets} | ${attack} | ${(size / 1e6).toFixed(2)} MB | ${truth.durationSeconds} | ${proof} |`);
    rmSync(pcap, { force: true });
  }
  console.log(rows.join('\n'));
  console.log(`\ntotal of the captures: ${(total / 1e6).toFixed(1)} MB`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
