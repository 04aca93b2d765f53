/**
 * The Suricata rule identity of each kind of NetGuard alert: gid, signature_id, rev, signature
 * text and classification, so a SIEM that keys on signature_id (dashboards, suppressions,
 * thresholds) sees the same number for the same detection in every export and every release.
 *
 * gid 1 is Suricata's generator id for text rules. Signature ids lie in 1,770,000-1,770,999,
 * inside the 1,000,000-1,999,999 range Snort and Suricata set aside for local rules (Emerging
 * Threats uses 2,000,000+), so they never collide with a public rule set:
 *   1,770,1xx  rule detectors, one id per rule (the rule decides the family)
 *   1,770,5xx  the flow model, one id per threat family
 *   1,770,199 / 1,770,599  a rule / a model family this table does not know yet
 * Ids are never reused or renumbered; a new rule or family gets the next free id. `rev` goes up
 * when what a detection means changes (not for threshold tuning).
 *
 * Categories are the descriptions of Suricata's classification.config, the text EVE carries.
 */

export const EVE_GENERATOR_ID = 1;

export interface EveSignature {
  signatureId: number;
  rev: number;
  signature: string;
  /** A classification.config description. */
  category: string;
}

const Classification = {
  networkScan: 'Detection of a Network Scan',
  attemptedRecon: 'Attempted Information Leak',
  attemptedDos: 'Attempted Denial of Service',
  attemptedUser: 'Attempted User Privilege Gain',
  attemptedAdmin: 'Attempted Administrator Privilege Gain',
  webApplicationAttack: 'Web Application Attack',
  trojanActivity: 'A Network Trojan was detected',
  shellcodeDetect: 'Executable code was detected',
  miscAttack: 'Misc Attack',
} as const;

/** Rule detectors by their name (the part after 'rule:'). */
export const RULE_SIGNATURES: Readonly<Record<string, EveSignature>> = {
  'port-scan': { signatureId: 1_770_100, rev: 1, signature: 'NETGUARD SCAN port scan (distinct ports or hosts probed over threshold)', category: Classification.networkScan },
  'syn-flood': { signatureId: 1_770_101, rev: 1, signature: 'NETGUARD DOS TCP SYN flood (half-open connections over threshold)', category: Classification.attemptedDos },
  'udp-flood': { signatureId: 1_770_102, rev: 1, signature: 'NETGUARD DOS UDP flood (packet rate over threshold)', category: Classification.attemptedDos },
  'icmp-flood': { signatureId: 1_770_103, rev: 1, signature: 'NETGUARD DOS ICMP flood (packet rate over threshold)', category: Classification.attemptedDos },
  'http-flood': { signatureId: 1_770_104, rev: 1, signature: 'NETGUARD DOS HTTP request flood', category: Classification.attemptedDos },
  slowloris: { signatureId: 1_770_105, rev: 1, signature: 'NETGUARD DOS slow HTTP headers (slowloris)', category: Classification.attemptedDos },
  'brute-force': { signatureId: 1_770_106, rev: 1, signature: 'NETGUARD BRUTEFORCE login guessing (SSH, FTP, HTTP 401)', category: Classification.attemptedUser },
};

const UNKNOWN_RULE_SIGNATURE_ID = 1_770_199;

/** Flow-model alerts by threat family (lib/datasets/families.ts names them). */
export const MODEL_SIGNATURES: Readonly<Record<string, EveSignature>> = {
  PortScan: model(1_770_500, 'PortScan', Classification.networkScan),
  DoS: model(1_770_501, 'DoS', Classification.attemptedDos),
  DDoS: model(1_770_502, 'DDoS', Classification.attemptedDos),
  BruteForce: model(1_770_503, 'BruteForce', Classification.attemptedUser),
  WebAttack: model(1_770_504, 'WebAttack', Classification.webApplicationAttack),
  Botnet: model(1_770_505, 'Botnet', Classification.trojanActivity),
  Infiltration: model(1_770_506, 'Infiltration', Classification.trojanActivity),
  Heartbleed: model(1_770_507, 'Heartbleed', Classification.attemptedRecon),
  Probe: model(1_770_508, 'Probe', Classification.attemptedRecon),
  R2L: model(1_770_509, 'R2L', Classification.attemptedUser),
  U2R: model(1_770_510, 'U2R', Classification.attemptedAdmin),
  Generic: model(1_770_511, 'Generic', Classification.miscAttack),
  Exploits: model(1_770_512, 'Exploits', Classification.attemptedAdmin),
  Fuzzers: model(1_770_513, 'Fuzzers', Classification.miscAttack),
  Reconnaissance: model(1_770_514, 'Reconnaissance', Classification.attemptedRecon),
  Analysis: model(1_770_515, 'Analysis', Classification.attemptedRecon),
  Backdoor: model(1_770_516, 'Backdoor', Classification.trojanActivity),
  Shellcode: model(1_770_517, 'Shellcode', Classification.shellcodeDetect),
  Worms: model(1_770_518, 'Worms', Classification.trojanActivity),
  Attempted: model(1_770_519, 'Attempted', Classification.miscAttack),
};

const UNKNOWN_MODEL_SIGNATURE_ID = 1_770_599;

function model(signatureId: number, family: string, category: string): EveSignature {
  return { signatureId, rev: 1, signature: `NETGUARD ML flow model: ${family}`, category };
}

/**
 * The signature of an alert from its detector text ('model', 'rule:syn-flood', or fused
 * 'model+rule:syn-flood') and family. A rule that contributed decides: it names the family
 * precisely and the model's verdicts joined it; the model's part shows in the EVE metadata.
 */
export function eveSignatureFor(detector: string, family: string): EveSignature {
  const rule = detector
    .split('+')
    .find((part) => part.startsWith('rule:'))
    ?.slice('rule:'.length);
  if (rule !== undefined) {
    return (
      own(RULE_SIGNATURES, rule) ?? {
        signatureId: UNKNOWN_RULE_SIGNATURE_ID,
        rev: 1,
        signature: `NETGUARD rule ${rule}: ${family}`,
        category: Classification.miscAttack,
      }
    );
  }
  return (
    own(MODEL_SIGNATURES, family) ?? {
      signatureId: UNKNOWN_MODEL_SIGNATURE_ID,
      rev: 1,
      signature: `NETGUARD ML flow model: ${family}`,
      category: Classification.miscAttack,
    }
  );
}

/** The table's own entry (never an Object.prototype member such as 'constructor'). */
function own(table: Readonly<Record<string, EveSignature>>, key: string): EveSignature | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
