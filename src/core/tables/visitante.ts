import type { SqlDb } from '../db';
import { num } from '../sql';
import { DEFAULT_RECENCY_SCORE, recencyScoreSql, type RecencyScoreOptions } from './recencyScore';

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

function normalised(column: string, how: VisitanteOptions['normalisation']): string {
  const over = 'OVER ()';
  if (how === 'zscore') {
    return `coalesce((${column} - avg(${column}) ${over}) / nullif(stddev_pop(${column}) ${over}, 0), 0)`;
  }
  return `coalesce((${column} - min(${column}) ${over}) / nullif(max(${column}) ${over} - min(${column}) ${over}, 0), 0)`;
}

/**
 * `visitante` for purchases up to the cutoff. Customers with a single purchase have no gap: their
 * gap stage scores as the worst (longest) gap.
 */
export async function buildVisitante(db: SqlDb, cutoff: string, options: VisitanteOptions): Promise<void> {
  const { weights } = options;
  const total = weights.gap + weights.recency + weights.amount;
  if (!(total > 0) || [weights.gap, weights.recency, weights.amount].some((w) => w < 0 || !Number.isFinite(w))) {
    throw new Error('visitante weights must be non-negative and not all zero');
  }
  const r = num(Math.max(1, Math.round(options.r)));
  const combined = `(${num(weights.gap)} * gap_norm + ${num(weights.recency)} * recency_norm + ${num(weights.amount)} * amount_norm) / ${num(total)}`;
  const scaled =
    options.normalisation === 'minmax'
      ? `100 * ${combined}`
      : `100 * coalesce((${combined} - min(${combined}) OVER ()) / nullif(max(${combined}) OVER () - min(${combined}) OVER (), 0), 0)`;
  await db.exec(
    `CREATE OR REPLACE TABLE visitante AS
     WITH cut AS (SELECT CAST(? AS DATE) AS c),
     p AS (SELECT customer_id, day, spend, cut.c,
                  row_number() OVER (PARTITION BY customer_id ORDER BY day DESC) AS k,
                  day - lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS gap
           FROM customer_days, cut WHERE is_purchase AND day <= cut.c),
     pop AS (SELECT avg(gap) AS gap_mean, stddev_samp(gap) AS gap_std FROM p),
     s1 AS (SELECT customer_id, avg(gap) AS avg_gap_days, avg(spend) AS avg_amount, count(*) AS purchases,
                   CAST(any_value(c) - min(day) FILTER (WHERE k <= ${r}) AS DOUBLE) / least(${r}, count(*)) AS t_ee
            FROM p GROUP BY customer_id),
     s2 AS (SELECT s1.*, ${recencyScoreSql('t_ee', 'pop.gap_mean', 'pop.gap_std', options.distribution)} AS recency_score,
                   (max(avg_gap_days) OVER () - coalesce(avg_gap_days, max(avg_gap_days) OVER ())) AS gap_inverted
            FROM s1 CROSS JOIN pop),
     s3 AS (SELECT *, ${normalised('gap_inverted', options.normalisation)} AS gap_norm,
                      ${normalised('recency_score', options.normalisation)} AS recency_norm,
                      ${normalised('avg_amount', options.normalisation)} AS amount_norm FROM s2)
     SELECT customer_id, CAST(purchases AS INTEGER) AS purchases, avg_gap_days, CAST(t_ee AS DOUBLE) AS t_ee,
            CAST(recency_score AS DOUBLE) AS recency_score, CAST(avg_amount AS DOUBLE) AS avg_amount,
            CAST(gap_norm AS DOUBLE) AS gap_norm, CAST(recency_norm AS DOUBLE) AS recency_norm, CAST(amount_norm AS DOUBLE) AS amount_norm,
            CAST(${scaled} AS DOUBLE) AS score
     FROM s3 ORDER BY score DESC, customer_id`,
    [cutoff],
  );
}
