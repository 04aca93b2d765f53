import { describe, expect, it } from 'vitest';
import { classFamilies, familyCodes, familyOf, THREAT_CATEGORY_OF_FAMILY } from '../../lib/datasets/families.ts';
import { cleanLabel, isAttemptedLabel } from '../../lib/datasets/labels.ts';
import { loadDataset } from '../../lib/datasets/loadDataset.ts';
import { CIC_MONDIRKB } from './sharedData.ts';

describe('cleanLabel', () => {
  it.each([
    ['Web Attack \uFFFD Brute Force', 'Web Attack - Brute Force'],
    ['Web Attack \u0096 XSS', 'Web Attack - XSS'],
    ['Web Attack \u2013 Sql Injection', 'Web Attack - Sql Injection'],
    ['Web Attack \u00e2\u20ac\u201c XSS', 'Web Attack - XSS'],
    ['  BENIGN ', 'BENIGN'],
    ['normal.', 'normal'],
    ['FTP-Patator', 'FTP-Patator'],
    ['DoS Hulk - Attempted', 'DoS Hulk - Attempted'],
  ])('%j → %j', (raw, clean) => {
    expect(cleanLabel(raw)).toBe(clean);
  });
});

describe('familyOf', () => {
  it('maps every CIC-IDS2017 label spelling (original, improved, grouped copies)', () => {
    const cases: Record<string, string> = {
      BENIGN: 'BENIGN', 'DoS Hulk': 'DoS', 'DoS GoldenEye': 'DoS', 'DoS slowloris': 'DoS', 'DoS Slowhttptest': 'DoS',
      DDoS: 'DDoS', PortScan: 'PortScan', 'Infiltration - Portscan': 'PortScan', 'FTP-Patator': 'BruteForce',
      'SSH-Patator': 'BruteForce', 'Web Attack \uFFFD Brute Force': 'WebAttack', 'Web Attack \u0096 XSS': 'WebAttack',
      'Web Attack \u0096 Sql Injection': 'WebAttack', Bot: 'Botnet', Botnet: 'Botnet', Infiltration: 'Infiltration',
      Heartbleed: 'Heartbleed', WebAttack: 'WebAttack', BruteForce: 'BruteForce', DoS: 'DoS',
    };
    for (const [label, family] of Object.entries(cases)) expect(familyOf(label, 'cic2017').family, label).toBe(family);
    expect(familyOf('BENIGN', 'cic2017').threatCategory).toBe('None');
    expect(familyOf('Web Attack - XSS', 'cic2017').threatCategory).toBe('Web');
  });

  it('keeps improved-dataset Attempted labels as their own family, remembering the attack', () => {
    expect(isAttemptedLabel('DoS Hulk - Attempted')).toBe(true);
    const attempted = familyOf('DoS Hulk - Attempted', 'cic2017-improved');
    expect(attempted).toMatchObject({ family: 'Attempted', baseFamily: 'DoS', attempted: true, known: true, threatCategory: 'Network' });
    expect(familyOf('Web Attack - XSS - Attempted', 'cic2017-improved').baseFamily).toBe('WebAttack');
  });

  it('unknown labels are flagged, not guessed', () => {
    expect(familyOf('Totally New Attack', 'cic2017')).toMatchObject({ known: false, family: 'Unknown', threatCategory: 'Unknown' });
    expect(familyOf('mystery', 'nsl-kdd').known).toBe(false);
  });

  it('every family has a threat category', () => {
    for (const family of ['BENIGN', 'DoS', 'DDoS', 'PortScan', 'BruteForce', 'WebAttack', 'Botnet', 'Infiltration', 'Heartbleed', 'normal', 'Probe', 'R2L', 'U2R']) {
      expect(THREAT_CATEGORY_OF_FAMILY[family], family).toBeDefined();
    }
  });

  it('familyCodes re-codes a loaded table', async () => {
    const { table } = await loadDataset([CIC_MONDIRKB('xss'), CIC_MONDIRKB('sqli'), CIC_MONDIRKB('ddos')]);
    const { familyNames, codes } = familyCodes(table);
    expect(familyNames).toEqual(['WebAttack', 'DDoS']);
    expect(codes.filter((code) => code === 0)).toHaveLength(652 + 21);
    expect(codes.filter((code) => code === 1)).toHaveLength(1000);
  });

  it('classFamilies gives family and category per class name', () => {
    expect(classFamilies(['BENIGN', 'Web Attack - XSS', 'Bot'], 'cic2017')).toEqual({
      BENIGN: { family: 'BENIGN', threatCategory: 'None' },
      'Web Attack - XSS': { family: 'WebAttack', threatCategory: 'Web' },
      Bot: { family: 'Botnet', threatCategory: 'Endpoint' },
    });
  });
});
