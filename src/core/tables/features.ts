import type { SqlDb } from '../db';
import { FEATURE_NAMES, TARGET_NAMES } from '../featureNames';
import { CATEGORICAL_ROLES, type ColumnMapping } from '../mapping/roles';
import { ident } from '../sql';
import { CUSTOMER_STATS, POPULATION_GAPS } from './customerStats';
import type { Period } from './period';
import { effectiveElapsedSql, selectWithRecencyScore, type RecencyScoreOptions } from './recencyScore';

export interface FeatureTableInfo {
  /** The 16 features, then encoded extra columns. */
  featureColumns: string[];
  targetColumns: string[];
  customers: number;
  /** Customers whose first purchase is after the cutoff: not in the calibration table. */
  customersAfterCutoff: number;
  /**
   * Customers with rows but no purchase day at all (only returns, or days that net to nothing):
   * not in the tables either. customers + customersAfterCutoff + this = the report's customers.
   */
  customersWithoutPurchase: number;
}

/**
 * `features`: one row per customer with a purchase up to the cutoff, from `customer_stats` (see
 * customerStats.ts). Orders are purchase days (same-day purchases combine); `n_orders` counts
 * distinct order ids when an order column is mapped (a line without an order id is its own
 * order), else transaction lines. Spend sums include returns (netted). Definitions in the README.
 * `transactions` is read only when an order, quantity or category-like column is mapped.
 */
export async function buildFeatures(
  db: SqlDb,
  period: Period,
  mapping: Pick<ColumnMapping, 'order' | 'quantity' | 'category' | 'channel' | 'region'>,
  recency: RecencyScoreOptions,
): Promise<FeatureTableInfo> {
  const extras: { name: string; sql: string }[] = [];
  const ctes = [`cut AS (SELECT CAST(? AS DATE) AS c)`, `pop AS ${POPULATION_GAPS}`];
  const joins: string[] = [];
  const perLine = mapping.order !== null || mapping.quantity !== null;
  if (perLine || CATEGORICAL_ROLES.some((role) => mapping[role])) ctes.push(`t AS (SELECT transactions.* FROM transactions, cut WHERE day <= cut.c)`);
  if (perLine) {
    ctes.push(`o AS (SELECT customer_id,
                  count(DISTINCT order_id) FILTER (WHERE NOT is_return) + count(*) FILTER (WHERE NOT is_return AND order_id IS NULL) AS n_order_ids,
                  avg(quantity) FILTER (WHERE NOT is_return) AS avg_quantity
           FROM t GROUP BY customer_id)`);
    joins.push('LEFT JOIN o USING (customer_id)');
  }
  for (const role of CATEGORICAL_ROLES) {
    if (!mapping[role]) continue;
    extras.push({ name: `${role}_distinct`, sql: `coalesce(${role}_x.n_distinct, 0)` });
    extras.push({ name: `${role}_top_share`, sql: `coalesce(${role}_x.top_share, 0)` });
    ctes.push(`${role}_x AS (
      SELECT customer_id, count(*) AS n_distinct, max(n) / sum(n) AS top_share
      FROM (SELECT customer_id, ${role} AS v, count(*) AS n FROM t WHERE ${role} IS NOT NULL GROUP BY ALL)
      GROUP BY customer_id)`);
    joins.push(`LEFT JOIN ${role}_x USING (customer_id)`);
  }
  if (mapping.quantity) extras.push({ name: 'avg_quantity', sql: 'coalesce(o.avg_quantity, 0)' });
  const nOrders = mapping.order ? 'coalesce(o.n_order_ids, 0)' : 's.n_lines';
  const withTargets = period.horizonEnd !== null;
  const calibrated = `SELECT s.*, cut.c, pop.gap_mean, pop.gap_std, ${effectiveElapsedSql('cut.c', 's.rth_day', 's.n_days', recency.r)} AS t_ee
    FROM ${CUSTOMER_STATS} s CROSS JOIN pop CROSS JOIN cut WHERE s.n_days > 0`;
  ctes.push(`s AS (${selectWithRecencyScore(calibrated, 't_ee', 'gap_mean', 'gap_std', recency.distribution, 'recency')})`);

  await db.exec(
    `CREATE OR REPLACE TABLE features AS
     WITH ${ctes.join(',\n')}
     SELECT s.customer_id,
            CAST(s.c - s.last_day AS DOUBLE) AS recency_days,
            CAST(s.c - s.first_day AS DOUBLE) AS tenure_days,
            CAST(s.n_days - 1 AS DOUBLE) AS frequency,
            CAST(${nOrders} AS DOUBLE) AS n_orders,
            CAST(s.total_spend AS DOUBLE) AS total_spend,
            CAST(s.aov AS DOUBLE) AS avg_order_value,
            CAST(s.sov AS DOUBLE) AS std_order_value,
            CAST(s.mov AS DOUBLE) AS max_order_value,
            CAST(coalesce(s.avg_gap, 0) AS DOUBLE) AS avg_gap_days,
            CAST(s.std_gap AS DOUBLE) AS std_gap_days,
            CAST(s.orders_30d AS DOUBLE) AS orders_30d,
            CAST(s.orders_90d AS DOUBLE) AS orders_90d,
            CAST(s.spend_90d AS DOUBLE) AS spend_90d,
            CAST(s.spend_90d - s.spend_prev_90d AS DOUBLE) AS spend_trend,
            CAST(s.active_months AS DOUBLE) AS active_months,
            CAST(s.recency AS DOUBLE) AS recency_score
            ${extras.map((e) => `, CAST(${e.sql} AS DOUBLE) AS ${ident(e.name)}`).join('')}
            ${withTargets ? ', CAST(coalesce(s.holdout_spend, 0) AS DOUBLE) AS holdout_spend, CAST(coalesce(s.holdout_orders, 0) AS DOUBLE) AS holdout_orders, CAST(coalesce(s.holdout_orders, 0) > 0 AS INTEGER) AS active_in_holdout' : ''}
     FROM s
     ${joins.join('\n')}`,
    [period.cutoff],
  );
  const [counts] = await db.query(
    `SELECT count(*) FILTER (WHERE n_days > 0) AS customers, count(*) FILTER (WHERE first_purchase > CAST(? AS DATE)) AS after_cutoff,
            count(*) FILTER (WHERE first_purchase IS NULL) AS without_purchase FROM ${CUSTOMER_STATS}`,
    [period.cutoff],
  );
  return {
    featureColumns: [...FEATURE_NAMES, ...extras.map((e) => e.name)],
    targetColumns: withTargets ? [...TARGET_NAMES] : [],
    customers: Number(counts.customers),
    customersAfterCutoff: Number(counts.after_cutoff),
    customersWithoutPurchase: Number(counts.without_purchase),
  };
}
