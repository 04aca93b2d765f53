/**
 * The scenario table keeps the promises the lab's README and the ground-truth contract make:
 * unique names, bounded lengths, a train and an eval variant of every attack type, loopback
 * coverage, wordlists without the real passwords, and truth files on disk that match the table.
 */
import { existsSync, readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HTTP_ADMIN, LAB_USER } from '../../lab/labConfig.ts';
import { SCENARIOS } from '../../lab/scenarios.ts';
import { writeWordlist } from '../../lab/wordlists.ts';

const labData = fileURLToPath(new URL('../../datasets/lab/', import.meta.url));

/** The attack type a scenario exercises: its name without the network and the variant (lo-dos-synflood-lan-ssh -> synflood). */
function attackType(name: string): string {
  return name.replace(/^lo-/, '').replace(/^dos-/, '').replace(/-lan.*$/, '');
}

describe('lab scenarios', () => {
  it('have unique names and lengths of about 30-70 s (the two long benign captures five minutes)', () => {
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
    for (const scenario of SCENARIOS) {
      const seconds = scenario.leadSeconds + scenario.tailSeconds + (scenario.attack?.boundSeconds ?? 0);
      expect(seconds, scenario.name).toBeLessThanOrEqual(scenario.name.startsWith('benign-lan-long-') ? 300 : 75);
      expect(seconds, scenario.name).toBeGreaterThanOrEqual(20);
      expect(scenario.family === null, scenario.name).toBe(scenario.attack === undefined);
    }
  });

  it('give every attack type a train and an eval variant, and cover loopback', () => {
    const splits = new Map<string, Set<string>>();
    for (const scenario of SCENARIOS.filter((s) => s.attack)) {
      const type = attackType(scenario.name);
      splits.set(type, (splits.get(type) ?? new Set()).add(scenario.split));
    }
    for (const [type, seen] of splits) expect([...seen].sort(), type).toEqual(['eval', 'train']);
    const benign = SCENARIOS.filter((s) => s.family === null);
    expect(new Set(benign.map((s) => s.split))).toEqual(new Set(['train', 'eval']));
    const loopback = SCENARIOS.filter((s) => s.network === 'loopback').map((s) => attackType(s.name));
    expect(loopback).toEqual(expect.arrayContaining(['benign-a', 'scan-syn', 'synflood', 'brute-ssh', 'httpflood']));
  });

  it('bound every flood in count and rate', () => {
    for (const scenario of SCENARIOS.filter((s) => s.attack)) {
      for (const argv of scenario.attack!.commands({ server: '10.77.0.10' })) {
        if (argv[0] === 'hping3') {
          expect(argv, scenario.name).toContain('-c');
          expect(argv, scenario.name).toContain('-i');
          expect(Number(argv[argv.indexOf('-c') + 1])).toBeLessThanOrEqual(25_000);
        }
        if (argv[0] === 'ab') expect(Number(argv[argv.indexOf('-n') + 1])).toBeLessThanOrEqual(10_000);
      }
    }
  });

  it('never put the real passwords in a wordlist', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ngl-words-'));
    try {
      for (const seed of [1, 2, 3]) {
        const path = join(folder, `w${seed}.txt`);
        writeWordlist(path, 500, seed);
        const words = readFileSync(path, 'utf8').split('\n');
        expect(words).not.toContain(LAB_USER.password);
        expect(words).not.toContain(HTTP_ADMIN.password);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('agree with the recorded truth files', () => {
    if (!existsSync(labData)) return;
    for (const file of readdirSync(labData).filter((name) => name.endsWith('.truth.json'))) {
      const truth = JSON.parse(readFileSync(join(labData, file), 'utf8')) as Record<string, unknown>;
      const scenario = SCENARIOS.find((s) => s.name === truth.scenario);
      expect(scenario, file).toBeDefined();
      expect(truth.split).toBe(scenario!.split);
      expect(truth.network).toBe(scenario!.network);
      expect(truth.family).toBe(scenario!.family);
      expect(existsSync(join(labData, file.replace('.truth.json', '.pcap.gz'))), file).toBe(true);
      if (scenario!.attack) {
        expect(truth.attackStartUs as number).toBeLessThan(truth.attackEndUs as number);
        expect(truth.attackers).toEqual([scenario!.network === 'lan' ? '10.77.0.66' : '127.0.0.1']);
      } else {
        expect(truth.attackStartUs).toBeNull();
        expect(truth.attackers).toEqual([]);
      }
    }
  });
});
