/**
 * Per-flow detection figures of a live model on one scenario: how many attack flows it flags and
 * how many benign flows it flags at the monitor's severity cuts, on the calibrated attack
 * probability, and whether the flagged attack flows get the right family.
 */
import { type AttackCalibration, calibrateAttackProbability } from '../score/calibration.ts';

/** The severity tiers' lower edges: Medium, High, Critical. */
export const SEVERITY_CUTS = [0.5, 0.7, 0.85] as const;

export interface DetectionFigures {
  flows: number;
  attackFlows: number;
  benignFlows: number;
  /** Cut → share of attack flows with calibrated attack probability ≥ cut (null without attack flows). */
  attackFlagged: Record<string, number | null>;
  /** Cut → share of benign flows with calibrated attack probability ≥ cut (null without benign flows). */
  benignFlagged: Record<string, number | null>;
  /** Share of attack flows whose most probable attack class is their true class (null without attack flows). */
  familyAccuracy: number | null;
  /** Attack flows' most probable attack class → count. */
  attackFamilies: Record<string, number>;
  /** Benign flows flagged at 0.5: most probable attack class → count. */
  benignFlaggedFamilies: Record<string, number>;
  /** Calibrated attack probability of benign flows: median, 99th percentile, maximum (margin below the cuts). */
  benignProbability: { p50: number; p99: number; max: number } | null;
  /** Calibrated attack probability of attack flows: 10th percentile and median (margin above the cuts). */
  attackProbability: { p10: number; p50: number } | null;
}

/**
 * `probabilities` row-major [rows × classes] for `truth` (class per row, 0 = benign, class 0 is
 * the benign class of `classNames`).
 */
export function detectionFigures(
  probabilities: Float32Array, truth: Int32Array, classNames: readonly string[], calibration: AttackCalibration | null,
): DetectionFigures {
  const classCount = classNames.length;
  const rows = truth.length;
  const flaggedAttack = SEVERITY_CUTS.map(() => 0);
  const flaggedBenign = SEVERITY_CUTS.map(() => 0);
  let attackFlows = 0;
  let familyRight = 0;
  const attackFamilies: Record<string, number> = {};
  const benignFlaggedFamilies: Record<string, number> = {};
  const benignScores: number[] = [];
  const attackScores: number[] = [];
  for (let row = 0; row < rows; row++) {
    const base = row * classCount;
    const p = calibrateAttackProbability(calibration, Math.max(0, 1 - probabilities[base]!));
    let best = 1;
    for (let k = 2; k < classCount; k++) if (probabilities[base + k]! > probabilities[base + best]!) best = k;
    const isAttack = truth[row]! !== 0;
    (isAttack ? attackScores : benignScores).push(p);
    if (isAttack) {
      attackFlows++;
      if (best === truth[row]) familyRight++;
      attackFamilies[classNames[best]!] = (attackFamilies[classNames[best]!] ?? 0) + 1;
    } else if (p >= SEVERITY_CUTS[0]) {
      benignFlaggedFamilies[classNames[best]!] = (benignFlaggedFamilies[classNames[best]!] ?? 0) + 1;
    }
    SEVERITY_CUTS.forEach((cut, i) => {
      if (p < cut) return;
      if (isAttack) flaggedAttack[i]!++;
      else flaggedBenign[i]!++;
    });
  }
  const benignFlows = rows - attackFlows;
  const share = (count: number, of: number) => (of > 0 ? count / of : null);
  return {
    flows: rows,
    attackFlows,
    benignFlows,
    attackFlagged: Object.fromEntries(SEVERITY_CUTS.map((cut, i) => [String(cut), share(flaggedAttack[i]!, attackFlows)])),
    benignFlagged: Object.fromEntries(SEVERITY_CUTS.map((cut, i) => [String(cut), share(flaggedBenign[i]!, benignFlows)])),
    familyAccuracy: share(familyRight, attackFlows),
    attackFamilies,
    benignFlaggedFamilies,
    benignProbability: benignScores.length > 0 ? { p50: quantile(benignScores, 0.5), p99: quantile(benignScores, 0.99), max: quantile(benignScores, 1) } : null,
    attackProbability: attackScores.length > 0 ? { p10: quantile(attackScores, 0.1), p50: quantile(attackScores, 0.5) } : null,
  };
}

/** Nearest-rank quantile (sorts `values` in place). */
function quantile(values: number[], q: number): number {
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1))]!;
}

/** One line per scenario for logs: flows, attack flagged and benign flagged at each cut, family accuracy. */
export function formatFigures(name: string, figures: DetectionFigures): string {
  const percent = (value: number | null) => (value === null ? '   —  ' : `${(100 * value).toFixed(1).padStart(5)}%`);
  const cuts = SEVERITY_CUTS.map((cut) => `${cut}: ${percent(figures.attackFlagged[String(cut)]!)} / ${percent(figures.benignFlagged[String(cut)]!)}`).join('  ');
  const margin = `benign p99 ${figures.benignProbability ? figures.benignProbability.p99.toFixed(3) : '—'}, attack p10 ${figures.attackProbability ? figures.attackProbability.p10.toFixed(3) : '—'}`;
  return `${name.padEnd(28)} ${String(figures.attackFlows).padStart(7)} atk ${String(figures.benignFlows).padStart(7)} ben  attack/benign flagged ${cuts}  family ${percent(figures.familyAccuracy)}  ${margin}`;
}
