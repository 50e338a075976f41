import type { SqlDb } from '../db';
import { num } from '../sql';
import type { Period } from './period';

/** Everything `rfm`, `features` and `visitante` need per customer, from one pass over `customer_days`. */
export const CUSTOMER_STATS = 'customer_stats';

/** Columns of `customer_stats` with the log spend of each customer's positive purchase days (models/lognormalSpend.ts LogSpendColumns). */
export const LOG_SPEND_COLUMNS = ['log_spend_days', 'log_spend_mean', 'log_spend_squares'] as const;

/** The log-spend columns of the customers with a purchase up to the cutoff, kept once `customer_stats` is dropped (the model inputs read them). */
export const CUSTOMER_LOG_SPEND = 'customer_log_spend';

/** Copies the log-spend columns out of `customer_stats` (before it is dropped) into CUSTOMER_LOG_SPEND. */
export async function keepLogSpend(db: SqlDb): Promise<void> {
  await db.exec(`CREATE OR REPLACE TEMP TABLE ${CUSTOMER_LOG_SPEND} AS SELECT customer_id, ${LOG_SPEND_COLUMNS.join(', ')} FROM ${CUSTOMER_STATS} WHERE n_days > 0`);
}

/**
 * Population gap statistics (mean and sample standard deviation of the gaps between consecutive
 * purchase days of all customers) from the per-customer sums of `customer_stats`.
 */
export const POPULATION_GAPS = `(SELECT sum(gap_sum) / nullif(sum(gap_n), 0) AS gap_mean,
    sqrt(greatest(0, (sum(gap_sq) - sum(gap_sum) * sum(gap_sum) / nullif(sum(gap_n), 0)) / nullif(sum(gap_n) - 1, 0))) AS gap_std
  FROM ${CUSTOMER_STATS})`;

/**
 * Builds the temporary `customer_stats` table for a cutoff (and horizon). Purchase days up to the
 * cutoff are sorted once (the gap to the previous purchase day, the only window function; the
 * first day has none, and a new month is one whose previous purchase day fell in another month)
 * and aggregated in the same statement (with the count, mean and sum of squared deviations of the
 * log spend of the days with a positive spend, for models/lognormalSpend.ts); a second aggregation over all days gives the spend sums
 * (returns-only days count there) and the horizon targets. A customer first seen after the
 * cutoff has n_days = 0.
 */
export async function buildCustomerStats(db: SqlDb, period: Period, r: number): Promise<void> {
  const rth = num(Math.max(1, Math.round(r)));
  const withTargets = period.horizonEnd !== null;
  const horizon = withTargets
    ? `, greatest(sum(spend) FILTER (WHERE day > c AND day <= h), 0) AS holdout_spend,
         count(*) FILTER (WHERE day > c AND day <= h AND is_purchase) AS holdout_orders`
    : '';
  await db.exec(
    `CREATE OR REPLACE TEMP TABLE ${CUSTOMER_STATS} AS
     WITH cut AS (SELECT CAST(? AS DATE) AS c, CAST(? AS DATE) AS h),
     purchases AS (
       SELECT customer_id, min(day) AS first_day, max(day) AS last_day, count(*) AS n_days,
              avg(spend) AS aov, coalesce(stddev_samp(spend), 0) AS sov, max(spend) AS mov,
              avg(gap) AS avg_gap, coalesce(stddev_samp(gap), 0) AS std_gap,
              coalesce(sum(gap), 0) AS gap_sum, coalesce(sum(gap * gap), 0) AS gap_sq, count(gap) AS gap_n,
              count(*) FILTER (WHERE day > c - 30) AS orders_30d,
              count(*) FILTER (WHERE day > c - 90) AS orders_90d,
              count(*) FILTER (WHERE gap IS NULL OR date_trunc('month', day) <> date_trunc('month', day - CAST(gap AS INTEGER))) AS active_months,
              list_last(max(day, ${rth})) AS rth_day,
              coalesce(avg(spend) FILTER (WHERE gap IS NOT NULL), 0) AS monetary_value,
              count(*) FILTER (WHERE spend > 0) AS log_spend_days,
              coalesce(avg(CASE WHEN spend > 0 THEN ln(spend) END), 0) AS log_spend_mean,
              coalesce(var_pop(CASE WHEN spend > 0 THEN ln(spend) END) * count(*) FILTER (WHERE spend > 0), 0) AS log_spend_squares
       FROM (SELECT customer_id, day, spend, c, day - lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS gap
             FROM customer_days, cut WHERE is_purchase AND day <= c)
       GROUP BY customer_id),
     spending AS (
       SELECT customer_id,
              sum(spend) FILTER (WHERE day <= c) AS total_spend,
              coalesce(sum(spend) FILTER (WHERE day <= c AND day > c - 90), 0) AS spend_90d,
              coalesce(sum(spend) FILTER (WHERE day > c - 180 AND day <= c - 90), 0) AS spend_prev_90d,
              sum(n_lines) FILTER (WHERE day <= c) AS n_lines,
              min(day) FILTER (WHERE is_purchase) AS first_purchase
              ${horizon}
       FROM customer_days, cut GROUP BY customer_id)
     SELECT spending.*, purchases.* EXCLUDE (customer_id, n_days), coalesce(purchases.n_days, 0) AS n_days
     FROM spending LEFT JOIN purchases USING (customer_id)`,
    [period.cutoff, period.horizonEnd ?? period.cutoff],
  );
}
