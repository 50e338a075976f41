import { num } from '../sql';

/** The visitante recency score: P(gap > t_ee) under the population's gap distribution. */
export type GapDistribution = 'normal' | 'exponential';

export interface RecencyScoreOptions {
  /** t_ee = (cutoff − r-th most recent purchase) / r; fewer purchases than r use the first one. */
  r: number;
  distribution: GapDistribution;
}

export const DEFAULT_RECENCY_SCORE: RecencyScoreOptions = { r: 2, distribution: 'normal' };

// Abramowitz & Stegun 7.1.26: erfc(x) for x ≥ 0 with absolute error below 1.5e-7.
const A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429];
const P = 0.3275911;

/**
 * SQL for the score given SQL expressions for t_ee and the population gap mean and standard
 * deviation. Without any gaps in the population there is no information: the score is 0.5.
 */
export function recencyScoreSql(t: string, mean: string, std: string, distribution: GapDistribution): string {
  if (distribution === 'exponential') {
    return `CASE WHEN ${mean} IS NULL THEN 0.5 WHEN ${mean} <= 0 THEN CASE WHEN ${t} > 0 THEN 0.0 ELSE 1.0 END ELSE exp(-(${t}) / ${mean}) END`;
  }
  const x = `abs((${t}) - ${mean}) / (${std} * sqrt(2))`;
  const k = `(1 / (1 + ${num(P)} * ${x}))`;
  const poly = `${k} * (${num(A[0])} + ${k} * (${num(A[1])} + ${k} * (${num(A[2])} + ${k} * (${num(A[3])} + ${k} * ${num(A[4])}))))`;
  const erfcAbs = `(${poly} * exp(-(${x}) * (${x})))`;
  return `CASE WHEN ${mean} IS NULL THEN 0.5
    WHEN ${std} IS NULL OR ${std} = 0 THEN CASE WHEN ${t} > ${mean} THEN 0.0 WHEN ${t} = ${mean} THEN 0.5 ELSE 1.0 END
    WHEN ${t} >= ${mean} THEN 0.5 * ${erfcAbs}
    ELSE 1 - 0.5 * ${erfcAbs} END`;
}
