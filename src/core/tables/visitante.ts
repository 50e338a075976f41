import type { SqlDb } from '../db';
import { num } from '../sql';
import { CUSTOMER_STATS, POPULATION_GAPS } from './customerStats';
import { DEFAULT_RECENCY_SCORE, effectiveElapsedSql, selectWithRecencyScore, type RecencyScoreOptions } from './recencyScore';

/**
 * The Hadoop "visitante" CLV score in four stages: (1) per customer the average gap between
 * purchases, the recency and the average amount; (2) recency as the probability that the next
 * purchase is still to come; (3) normalisation, the gap inverted so a short gap scores high;
 * (4) a weighted average scaled to 0–100.
 */
export interface VisitanteOptions extends RecencyScoreOptions {
  normalisation: 'minmax' | 'zscore';
  weights: { gap: number; recency: number; amount: number };
}

export const DEFAULT_VISITANTE: VisitanteOptions = {
  ...DEFAULT_RECENCY_SCORE,
  normalisation: 'minmax',
  weights: { gap: 1, recency: 1, amount: 1 },
};


/**
 * `visitante` for purchases up to the cutoff, from `customer_stats` (see customerStats.ts).
 * Customers with a single purchase have no gap: their gap stage scores as the worst (longest)
 * gap. Population figures (gap distribution, min/max/mean for the normalisation) are computed
 * once and joined, not as window aggregates. Rows are in no particular order: readers sort by
 * score, descending.
 */
export async function buildVisitante(db: SqlDb, cutoff: string, options: VisitanteOptions): Promise<void> {
  const { weights } = options;
  const total = weights.gap + weights.recency + weights.amount;
  if (!(total > 0) || [weights.gap, weights.recency, weights.amount].some((w) => w < 0 || !Number.isFinite(w))) {
    throw new Error('visitante weights must be non-negative and not all zero');
  }
  const stats = (c: string) =>
    `min(${c}) AS ${c}_min, max(${c}) AS ${c}_max, avg(${c}) AS ${c}_avg, stddev_pop(${c}) AS ${c}_sd`;
  const norm = (c: string) =>
    options.normalisation === 'zscore'
      ? `coalesce((${c} - n.${c}_avg) / nullif(n.${c}_sd, 0), 0)`
      : `coalesce((${c} - n.${c}_min) / nullif(n.${c}_max - n.${c}_min, 0), 0)`;
  const combined = `(${num(weights.gap)} * gap_norm + ${num(weights.recency)} * recency_norm + ${num(weights.amount)} * amount_norm) / ${num(total)}`;
  // A CTE read twice is materialised: s1 and s3 are read once each (c is needed only for z-scores).
  const zscore = options.normalisation === 'zscore';
  const scaled = !zscore
      ? `100 * ${combined}`
      : `100 * coalesce((${combined} - c.lo) / nullif(c.hi - c.lo, 0), 0)`;
  await db.exec(
    `CREATE OR REPLACE TABLE visitante AS
     WITH s1 AS (SELECT customer_id, avg_gap AS avg_gap_days, aov AS avg_amount, n_days AS purchases,
                   ${effectiveElapsedSql('CAST(? AS DATE)', 'rth_day', 'n_days', options.r)} AS t_ee
            FROM ${CUSTOMER_STATS} WHERE n_days > 0),
     worst AS (SELECT max(avg_gap) AS gap_max FROM ${CUSTOMER_STATS} WHERE n_days > 0),
     s2 AS (${selectWithRecencyScore(
       `SELECT s1.*, pop.gap_mean, pop.gap_std, worst.gap_max - coalesce(avg_gap_days, worst.gap_max) AS gap_inverted
        FROM s1 CROSS JOIN ${POPULATION_GAPS} pop CROSS JOIN worst`,
       't_ee',
       'gap_mean',
       'gap_std',
       options.distribution,
       'recency_score',
     )}),
     n AS (SELECT ${stats('gap_inverted')}, ${stats('recency_score')}, ${stats('avg_amount')} FROM s2),
     s3 AS (SELECT s2.*, ${norm('gap_inverted')} AS gap_norm, ${norm('recency_score')} AS recency_norm, ${norm('avg_amount')} AS amount_norm
            FROM s2 CROSS JOIN n)${zscore ? `,
     c AS (SELECT min(${combined}) AS lo, max(${combined}) AS hi FROM s3)` : ''}
     SELECT customer_id, CAST(purchases AS INTEGER) AS purchases, avg_gap_days, CAST(t_ee AS DOUBLE) AS t_ee,
            CAST(recency_score AS DOUBLE) AS recency_score, CAST(avg_amount AS DOUBLE) AS avg_amount,
            CAST(gap_norm AS DOUBLE) AS gap_norm, CAST(recency_norm AS DOUBLE) AS recency_norm, CAST(amount_norm AS DOUBLE) AS amount_norm,
            CAST(${scaled} AS DOUBLE) AS score
     FROM s3${zscore ? ' CROSS JOIN c' : ''}`,
    [cutoff],
  );
}
