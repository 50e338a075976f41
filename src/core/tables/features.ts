import type { SqlDb } from '../db';
import { FEATURE_NAMES, TARGET_NAMES } from '../featureNames';
import { CATEGORICAL_ROLES, type ColumnMapping } from '../mapping/roles';
import { ident, num } from '../sql';
import type { Period } from './period';
import { recencyScoreSql, type RecencyScoreOptions } from './recencyScore';

export interface FeatureTableInfo {
  /** The 16 features, then encoded extra columns. */
  featureColumns: string[];
  targetColumns: string[];
  customers: number;
  /** Customers whose first purchase is after the cutoff: not in the calibration table. */
  customersAfterCutoff: number;
}

/**
 * `features`: one row per customer with a purchase up to the cutoff. Orders are purchase days
 * (same-day purchases combine); `n_orders` counts distinct order ids when an order column is
 * mapped (a line without an order id is its own order), else transaction lines. Spend sums include returns (netted). Definitions in the README.
 */
export async function buildFeatures(
  db: SqlDb,
  period: Period,
  mapping: Pick<ColumnMapping, 'order' | 'quantity' | 'category' | 'channel' | 'region'>,
  recency: RecencyScoreOptions,
): Promise<FeatureTableInfo> {
  const r = num(Math.max(1, Math.round(recency.r)));
  const cutoff = 'CAST(? AS DATE)';
  const extras: { name: string; sql: string }[] = [];
  const extraCtes: string[] = [];
  for (const role of CATEGORICAL_ROLES) {
    if (!mapping[role]) continue;
    extras.push({ name: `${role}_distinct`, sql: `coalesce(${role}_x.n_distinct, 0)` });
    extras.push({ name: `${role}_top_share`, sql: `coalesce(${role}_x.top_share, 0)` });
    extraCtes.push(`${role}_x AS (
      SELECT customer_id, count(*) AS n_distinct, max(n) / sum(n) AS top_share
      FROM (SELECT customer_id, ${role} AS v, count(*) AS n FROM t WHERE ${role} IS NOT NULL GROUP BY ALL)
      GROUP BY customer_id)`);
  }
  if (mapping.quantity) extras.push({ name: 'avg_quantity', sql: 'coalesce(o.avg_quantity, 0)' });
  const extraJoins = CATEGORICAL_ROLES.filter((role) => mapping[role]).map((role) => `LEFT JOIN ${role}_x USING (customer_id)`).join('\n');
  const nOrders = mapping.order ? 'o.n_order_ids' : 'o.n_lines';
  const withTargets = period.horizonEnd !== null;
  const params: (string | null)[] = [period.cutoff];
  if (withTargets) params.push(period.cutoff, period.horizonEnd);

  await db.exec(
    `CREATE OR REPLACE TABLE features AS
     WITH cut AS (SELECT ${cutoff} AS c),
     t AS (SELECT * FROM transactions, cut WHERE day <= cut.c),
     d AS (SELECT cd.*, cut.c FROM customer_days cd, cut WHERE day <= cut.c),
     p AS (SELECT customer_id, day, spend, c,
                  row_number() OVER (PARTITION BY customer_id ORDER BY day DESC) AS k,
                  day - lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS gap
           FROM d WHERE is_purchase),
     pop AS (SELECT avg(gap) AS gap_mean, stddev_samp(gap) AS gap_std FROM p),
     pc AS (SELECT customer_id, any_value(c) AS c, min(day) AS first_day, max(day) AS last_day, count(*) AS n_days,
                   avg(spend) AS aov, coalesce(stddev_samp(spend), 0) AS sov, max(spend) AS mov,
                   coalesce(avg(gap), 0) AS avg_gap, coalesce(stddev_samp(gap), 0) AS std_gap,
                   count(*) FILTER (WHERE day > c - 30) AS orders_30d,
                   count(*) FILTER (WHERE day > c - 90) AS orders_90d,
                   count(DISTINCT date_trunc('month', day)) AS active_months,
                   min(day) FILTER (WHERE k <= ${r}) AS rth_day
            FROM p GROUP BY customer_id),
     ds AS (SELECT customer_id, sum(spend) AS total_spend,
                   coalesce(sum(spend) FILTER (WHERE day > c - 90), 0) AS spend_90d,
                   coalesce(sum(spend) FILTER (WHERE day > c - 180 AND day <= c - 90), 0) AS spend_prev_90d
            FROM d GROUP BY customer_id),
     o AS (SELECT customer_id, count(*) FILTER (WHERE NOT is_return) AS n_lines,
                  count(DISTINCT order_id) FILTER (WHERE NOT is_return)
                    + count(*) FILTER (WHERE NOT is_return AND order_id IS NULL) AS n_order_ids,
                  avg(quantity) FILTER (WHERE NOT is_return) AS avg_quantity
           FROM t GROUP BY customer_id)
     ${extraCtes.map((c) => `, ${c}`).join('\n')}
     SELECT pc.customer_id,
            CAST(pc.c - pc.last_day AS DOUBLE) AS recency_days,
            CAST(pc.c - pc.first_day AS DOUBLE) AS tenure_days,
            CAST(pc.n_days - 1 AS DOUBLE) AS frequency,
            CAST(${nOrders} AS DOUBLE) AS n_orders,
            CAST(ds.total_spend AS DOUBLE) AS total_spend,
            CAST(pc.aov AS DOUBLE) AS avg_order_value,
            CAST(pc.sov AS DOUBLE) AS std_order_value,
            CAST(pc.mov AS DOUBLE) AS max_order_value,
            CAST(pc.avg_gap AS DOUBLE) AS avg_gap_days,
            CAST(pc.std_gap AS DOUBLE) AS std_gap_days,
            CAST(pc.orders_30d AS DOUBLE) AS orders_30d,
            CAST(pc.orders_90d AS DOUBLE) AS orders_90d,
            CAST(ds.spend_90d AS DOUBLE) AS spend_90d,
            CAST(ds.spend_90d - ds.spend_prev_90d AS DOUBLE) AS spend_trend,
            CAST(pc.active_months AS DOUBLE) AS active_months,
            CAST(${recencyScoreSql(`(CAST(pc.c - pc.rth_day AS DOUBLE) / least(${r}, pc.n_days))`, 'pop.gap_mean', 'pop.gap_std', recency.distribution)} AS DOUBLE) AS recency_score
            ${extras.map((e) => `, CAST(${e.sql} AS DOUBLE) AS ${ident(e.name)}`).join('')}
            ${withTargets ? ', CAST(coalesce(h.holdout_spend, 0) AS DOUBLE) AS holdout_spend, CAST(coalesce(h.holdout_orders, 0) AS DOUBLE) AS holdout_orders, CAST(coalesce(h.holdout_orders, 0) > 0 AS INTEGER) AS active_in_holdout' : ''}
     FROM pc JOIN ds USING (customer_id) JOIN o USING (customer_id) CROSS JOIN pop
     ${extraJoins}
     ${withTargets ? `LEFT JOIN (SELECT customer_id, greatest(sum(spend), 0) AS holdout_spend, count(*) FILTER (WHERE is_purchase) AS holdout_orders
                FROM customer_days WHERE day > CAST(? AS DATE) AND day <= CAST(? AS DATE) GROUP BY customer_id) h USING (customer_id)` : ''}
     ORDER BY pc.customer_id`,
    params,
  );
  const [counts] = await db.query(
    `SELECT (SELECT count(*) FROM features) AS customers,
            (SELECT count(*) FROM (SELECT customer_id FROM customer_days WHERE is_purchase GROUP BY customer_id HAVING min(day) > CAST(? AS DATE))) AS after_cutoff`,
    [period.cutoff],
  );
  return {
    featureColumns: [...FEATURE_NAMES, ...extras.map((e) => e.name)],
    targetColumns: withTargets ? [...TARGET_NAMES] : [],
    customers: Number(counts.customers),
    customersAfterCutoff: Number(counts.after_cutoff),
  };
}
