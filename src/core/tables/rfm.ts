import type { SqlDb } from '../db';
import { num } from '../sql';
import { CUSTOMER_STATS } from './customerStats';
import { UNIT_DAYS, type TimeUnit } from './period';

/** RFM segment names over (R score, F score); the map is documented in the README. */
export const RFM_SEGMENTS = [
  'Champions',
  'Loyal',
  'Potential loyalist',
  'New',
  'Promising',
  'Need attention',
  'At risk',
  "Can't lose",
  'Hibernating',
  'Lost',
] as const;

export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export function rfmSegment(r: number, f: number): RfmSegment {
  if (r === 5) return f === 1 ? 'New' : f <= 3 ? 'Potential loyalist' : 'Champions';
  if (r === 4) return f === 1 ? 'Promising' : f <= 3 ? 'Potential loyalist' : 'Loyal';
  if (r === 3) return f <= 3 ? 'Need attention' : 'Loyal';
  if (f === 5) return "Can't lose";
  if (f >= 3) return 'At risk';
  return r === 2 ? 'Hibernating' : 'Lost';
}

const SEGMENT_SQL = `CASE
  WHEN r_score = 5 AND f_score = 1 THEN 'New'
  WHEN r_score = 5 AND f_score <= 3 THEN 'Potential loyalist'
  WHEN r_score = 5 THEN 'Champions'
  WHEN r_score = 4 AND f_score = 1 THEN 'Promising'
  WHEN r_score = 4 AND f_score <= 3 THEN 'Potential loyalist'
  WHEN r_score = 4 THEN 'Loyal'
  WHEN r_score = 3 AND f_score <= 3 THEN 'Need attention'
  WHEN r_score = 3 THEN 'Loyal'
  WHEN f_score = 5 THEN 'Can''t lose'
  WHEN f_score >= 3 THEN 'At risk'
  WHEN r_score = 2 THEN 'Hibernating'
  ELSE 'Lost' END`;

/** Quintile score 1–5 where ties share a score: 1 + ⌊5 · percent_rank⌋, capped at 5. */
const quintile = (order: string) => `CAST(least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY ${order}))) AS INTEGER)`;

/**
 * The same score for a column with few distinct values (days, purchase counts), without sorting
 * every customer: percent_rank = (rows ranked before) / (n − 1), counted per distinct value.
 * `<name>_before` is a CTE of (value, rows before it); join it on the value.
 */
const rankedValues = (column: string, direction: 'ASC' | 'DESC') =>
  `${column}_before AS (SELECT ${column}, sum(c) OVER (ORDER BY ${column} ${direction}) - c AS before
     FROM (SELECT ${column}, count(*) AS c FROM base GROUP BY ${column}))`;
const groupedQuintile = (column: string) =>
  `CAST(least(5, 1 + floor(5 * CASE WHEN n.n > 1 THEN ${column}_before.before / (n.n - 1) ELSE 0 END)) AS INTEGER)`;

/**
 * `rfm` in lifetimes/BTYD conventions for purchases up to the cutoff (inclusive), from
 * `customer_stats` (see customerStats.ts): frequency = purchase days − 1, recency = last − first
 * purchase day, T = cutoff − first purchase day, monetary_value = mean spend of the repeat purchase
 * days (0 if none). Scores and segment follow. Rows are in no particular order (readers sort).
 */
export async function buildRfm(db: SqlDb, cutoff: string, unit: TimeUnit): Promise<void> {
  const u = num(UNIT_DAYS[unit]);
  await db.exec(
    `CREATE OR REPLACE TABLE rfm AS
     WITH base AS (SELECT customer_id, n_days - 1 AS frequency,
                     (last_day - first_day) / ${u} AS recency,
                     (CAST(? AS DATE) - first_day) / ${u} AS "T",
                     monetary_value, total_spend,
                     CAST(? AS DATE) - last_day AS days_since_last
              FROM ${CUSTOMER_STATS} WHERE n_days > 0),
     n AS (SELECT count(*) AS n FROM base),
     ${rankedValues('days_since_last', 'DESC')},
     ${rankedValues('frequency', 'ASC')},
     scored AS (SELECT base.*, ${groupedQuintile('days_since_last')} AS r_score,
                          ${groupedQuintile('frequency')} AS f_score,
                          ${quintile('total_spend')} AS m_score
                FROM base CROSS JOIN n
                JOIN days_since_last_before USING (days_since_last)
                JOIN frequency_before USING (frequency))
     SELECT customer_id, CAST(frequency AS INTEGER) AS frequency, CAST(recency AS DOUBLE) AS recency, CAST("T" AS DOUBLE) AS "T",
            CAST(monetary_value AS DOUBLE) AS monetary_value, r_score, f_score, m_score,
            CAST(r_score AS VARCHAR) || CAST(f_score AS VARCHAR) || CAST(m_score AS VARCHAR) AS rfm_score,
            ${SEGMENT_SQL} AS segment
     FROM scored`,
    [cutoff, cutoff],
  );
}
