/**
 * Why a column or row of the RFM heatmap is empty. Scores are quintiles where ties share a score
 * (core/tables/rfm.ts): when many customers share one value (most never bought again, so their
 * frequency ties), they all take one score and the scores their group spans are left to no one.
 */
import type { HeatCell } from '../../workers/contracts';

export interface SkippedScores {
  axis: 'r_score' | 'f_score';
  /** Scores 1–5 no customer has. */
  missing: number[];
  /** The score of the tied group that spans them, and its share of the customers. */
  tiedScore: number;
  tiedShare: number;
}

/** The empty scores of one axis of the heatmap and the tied group behind them; null when none is empty. */
export function skippedScores(cells: readonly HeatCell[], axis: SkippedScores['axis']): SkippedScores | null {
  const perScore = new Map<number, number>();
  let total = 0;
  for (const c of cells) {
    perScore.set(c[axis], (perScore.get(c[axis]) ?? 0) + c.customers);
    total += c.customers;
  }
  if (total === 0) return null;
  const missing = [1, 2, 3, 4, 5].filter((s) => !(perScore.get(s) ?? 0));
  if (missing.length === 0) return null;
  // The group below the first gap is the one whose tie skipped it (score = 1 + ⌊5 · rank share⌋).
  const below = [...perScore.keys()].filter((s) => s < missing[0] && (perScore.get(s) ?? 0) > 0);
  const tiedScore = below.length > 0 ? Math.max(...below) : Math.min(...[...perScore.keys()].filter((s) => (perScore.get(s) ?? 0) > 0));
  return { axis, missing, tiedScore, tiedShare: (perScore.get(tiedScore) ?? 0) / total };
}
