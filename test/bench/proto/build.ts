/**
 * PROTOTYPE (benchmark copy of src/core/tables/{rfm,features,visitante}.ts), same tables.
 * The three builders each sorted the purchase days by customer and day in their own window
 * (rfm: min() OVER, features: row_number DESC + lag, visitante: row_number DESC + lag) and each
 * re-aggregated customer_days / transactions. Here:
 *  1. `purchase_days`: ONE window pass (a single PARTITION BY customer_id ORDER BY day): gap,
 *     first/last flags, the r-th most recent day (lag(day, r − 1) on the last row) and a
 *     new-month flag (replaces count(DISTINCT date_trunc('month', day)), a costly distinct aggregate);
 *  2. `purchase_stats`: one GROUP BY over it with everything rfm, features and visitante need;
 *  3. `customer_stats`: one GROUP BY over customer_days for the spend windows, the holdout
 *     targets, n_lines and "first purchase after the cutoff" (was three separate scans);
 *  4. transactions are scanned only when an order, quantity or category-like column is mapped.
 */
import type { SqlDb } from '../../../src/core/db';
import { FEATURE_NAMES, TARGET_NAMES } from '../../../src/core/featureNames';
import { CATEGORICAL_ROLES, type ColumnMapping } from '../../../src/core/mapping/roles';
import { ident, num } from '../../../src/core/sql';
import type { FeatureTableInfo } from '../../../src/core/tables/features';
import { UNIT_DAYS, type Period, type TimeUnit } from '../../../src/core/tables/period';
import { recencyScoreSql } from '../../../src/core/tables/recencyScore';
import type { VisitanteOptions } from '../../../src/core/tables/visitante';

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

const quintile = (order: string) => `CAST(least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY ${order}))) AS INTEGER)`;

function normalised(column: string, how: VisitanteOptions['normalisation']): string {
  const over = 'OVER ()';
  if (how === 'zscore') return `coalesce((${column} - avg(${column}) ${over}) / nullif(stddev_pop(${column}) ${over}, 0), 0)`;
  return `coalesce((${column} - min(${column}) ${over}) / nullif(max(${column}) ${over} - min(${column}) ${over}, 0), 0)`;
}

export async function buildAll(
  db: SqlDb,
  period: Period,
  unit: TimeUnit,
  mapping: Pick<ColumnMapping, 'order' | 'quantity' | 'category' | 'channel' | 'region'>,
  visitante: VisitanteOptions,
): Promise<{ features: FeatureTableInfo; rfmCustomers: number }> {
  const r = num(Math.max(1, Math.round(visitante.r)));
  const u = num(UNIT_DAYS[unit]);
  const withTargets = period.horizonEnd !== null;
  const cutoff = period.cutoff;

  // 1. purchase days up to the cutoff, one sort.
  await db.exec(
    `CREATE OR REPLACE TEMP TABLE purchase_days AS
     SELECT customer_id, day, spend,
            day - lag(day) OVER w AS gap,
            lag(day) OVER w IS NULL AS is_first,
            lead(day) OVER w IS NULL AS is_last,
            lag(day, ${num(Number(r) - 1)}) OVER w AS rth_back,
            date_trunc('month', day) IS DISTINCT FROM date_trunc('month', lag(day) OVER w) AS new_month
     FROM customer_days WHERE is_purchase AND day <= CAST(? AS DATE)
     WINDOW w AS (PARTITION BY customer_id ORDER BY day)`,
    [cutoff],
  );
  // 2. per customer, from the purchase days.
  await db.exec(
    `CREATE OR REPLACE TEMP TABLE purchase_stats AS
     SELECT customer_id, min(day) AS first_day, max(day) AS last_day, count(*) AS n_days,
            avg(spend) AS aov, coalesce(stddev_samp(spend), 0) AS sov, max(spend) AS mov,
            avg(gap) AS avg_gap_raw, coalesce(stddev_samp(gap), 0) AS std_gap,
            count(*) FILTER (WHERE day > CAST(? AS DATE) - 30) AS orders_30d,
            count(*) FILTER (WHERE day > CAST(? AS DATE) - 90) AS orders_90d,
            count(*) FILTER (WHERE new_month) AS active_months,
            coalesce(max(rth_back) FILTER (WHERE is_last), min(day)) AS rth_day,
            coalesce(avg(spend) FILTER (WHERE NOT is_first), 0) AS monetary_value
     FROM purchase_days GROUP BY customer_id`,
    [cutoff, cutoff],
  );
  // 3. per customer, from all customer days (returns-only days count in spend sums).
  const horizon = withTargets
    ? `, greatest(sum(spend) FILTER (WHERE day > CAST(? AS DATE) AND day <= CAST(? AS DATE)), 0) AS holdout_spend,
         count(*) FILTER (WHERE day > CAST(? AS DATE) AND day <= CAST(? AS DATE) AND is_purchase) AS holdout_orders`
    : '';
  await db.exec(
    `CREATE OR REPLACE TEMP TABLE customer_stats AS
     SELECT customer_id,
            sum(spend) FILTER (WHERE day <= CAST(? AS DATE)) AS total_spend,
            coalesce(sum(spend) FILTER (WHERE day <= CAST(? AS DATE) AND day > CAST(? AS DATE) - 90), 0) AS spend_90d,
            coalesce(sum(spend) FILTER (WHERE day > CAST(? AS DATE) - 180 AND day <= CAST(? AS DATE) - 90), 0) AS spend_prev_90d,
            sum(n_lines) FILTER (WHERE day <= CAST(? AS DATE)) AS n_lines,
            min(day) FILTER (WHERE is_purchase) AS first_purchase
            ${horizon}
     FROM customer_days GROUP BY customer_id`,
    [cutoff, cutoff, cutoff, cutoff, cutoff, cutoff, ...(withTargets ? [cutoff, period.horizonEnd, cutoff, period.horizonEnd] : [])],
  );
  const pop = `(SELECT avg(gap) AS gap_mean, stddev_samp(gap) AS gap_std FROM purchase_days)`;

  // rfm
  await db.exec(
    `CREATE OR REPLACE TABLE rfm AS
     WITH base AS (SELECT p.customer_id, p.n_days - 1 AS frequency,
                     (p.last_day - p.first_day) / ${u} AS recency,
                     (CAST(? AS DATE) - p.first_day) / ${u} AS "T",
                     p.monetary_value, s.total_spend,
                     CAST(? AS DATE) - p.last_day AS days_since_last
              FROM purchase_stats p JOIN customer_stats s USING (customer_id)),
     scored AS (SELECT *, ${quintile('days_since_last DESC')} AS r_score,
                          ${quintile('frequency')} AS f_score,
                          ${quintile('total_spend')} AS m_score FROM base)
     SELECT customer_id, CAST(frequency AS INTEGER) AS frequency, CAST(recency AS DOUBLE) AS recency, CAST("T" AS DOUBLE) AS "T",
            CAST(monetary_value AS DOUBLE) AS monetary_value, r_score, f_score, m_score,
            CAST(r_score AS VARCHAR) || CAST(f_score AS VARCHAR) || CAST(m_score AS VARCHAR) AS rfm_score,
            ${SEGMENT_SQL} AS segment
     FROM scored ORDER BY customer_id`,
    [cutoff, cutoff],
  );

  // features
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
  const needsTransactions = mapping.order !== null || mapping.quantity !== null || extraCtes.length > 0;
  const ctes = [`cut AS (SELECT CAST(? AS DATE) AS c)`, `pop AS ${pop}`];
  if (needsTransactions) ctes.push(`t AS (SELECT transactions.* FROM transactions, cut WHERE day <= cut.c)`);
  if (mapping.order || mapping.quantity) {
    ctes.push(`o AS (SELECT customer_id, count(DISTINCT order_id) FILTER (WHERE NOT is_return) AS n_order_ids,
                  avg(quantity) FILTER (WHERE NOT is_return) AS avg_quantity FROM t GROUP BY customer_id)`);
  }
  ctes.push(...extraCtes);
  const joins = [
    ...(mapping.order || mapping.quantity ? ['LEFT JOIN o USING (customer_id)'] : []),
    ...CATEGORICAL_ROLES.filter((role) => mapping[role]).map((role) => `LEFT JOIN ${role}_x USING (customer_id)`),
  ];
  const nOrders = mapping.order ? 'coalesce(o.n_order_ids, 0)' : 's.n_lines';
  const tee = `(CAST(cut.c - p.rth_day AS DOUBLE) / least(${r}, p.n_days))`;
  await db.exec(
    `CREATE OR REPLACE TABLE features AS
     WITH ${ctes.join(',\n')}
     SELECT p.customer_id,
            CAST(cut.c - p.last_day AS DOUBLE) AS recency_days,
            CAST(cut.c - p.first_day AS DOUBLE) AS tenure_days,
            CAST(p.n_days - 1 AS DOUBLE) AS frequency,
            CAST(${nOrders} AS DOUBLE) AS n_orders,
            CAST(s.total_spend AS DOUBLE) AS total_spend,
            CAST(p.aov AS DOUBLE) AS avg_order_value,
            CAST(p.sov AS DOUBLE) AS std_order_value,
            CAST(p.mov AS DOUBLE) AS max_order_value,
            CAST(coalesce(p.avg_gap_raw, 0) AS DOUBLE) AS avg_gap_days,
            CAST(p.std_gap AS DOUBLE) AS std_gap_days,
            CAST(p.orders_30d AS DOUBLE) AS orders_30d,
            CAST(p.orders_90d AS DOUBLE) AS orders_90d,
            CAST(s.spend_90d AS DOUBLE) AS spend_90d,
            CAST(s.spend_90d - s.spend_prev_90d AS DOUBLE) AS spend_trend,
            CAST(p.active_months AS DOUBLE) AS active_months,
            CAST(${recencyScoreSql(tee, 'pop.gap_mean', 'pop.gap_std', visitante.distribution)} AS DOUBLE) AS recency_score
            ${extras.map((e) => `, CAST(${e.sql} AS DOUBLE) AS ${ident(e.name)}`).join('')}
            ${withTargets ? ', CAST(coalesce(s.holdout_spend, 0) AS DOUBLE) AS holdout_spend, CAST(coalesce(s.holdout_orders, 0) AS DOUBLE) AS holdout_orders, CAST(coalesce(s.holdout_orders, 0) > 0 AS INTEGER) AS active_in_holdout' : ''}
     FROM purchase_stats p JOIN customer_stats s USING (customer_id) CROSS JOIN pop CROSS JOIN cut
     ${joins.join('\n')}
     ORDER BY p.customer_id`,
    [cutoff],
  );
  const [counts] = await db.query(
    `SELECT (SELECT count(*) FROM features) AS customers, (SELECT count(*) FROM customer_stats WHERE first_purchase > CAST(? AS DATE)) AS after_cutoff,
            (SELECT count(*) FROM rfm) AS rfm_customers`,
    [cutoff],
  );

  // visitante
  const { weights } = visitante;
  const total = weights.gap + weights.recency + weights.amount;
  if (!(total > 0) || [weights.gap, weights.recency, weights.amount].some((w) => w < 0 || !Number.isFinite(w))) {
    throw new Error('visitante weights must be non-negative and not all zero');
  }
  const combined = `(${num(weights.gap)} * gap_norm + ${num(weights.recency)} * recency_norm + ${num(weights.amount)} * amount_norm) / ${num(total)}`;
  const scaled =
    visitante.normalisation === 'minmax'
      ? `100 * ${combined}`
      : `100 * coalesce((${combined} - min(${combined}) OVER ()) / nullif(max(${combined}) OVER () - min(${combined}) OVER (), 0), 0)`;
  await db.exec(
    `CREATE OR REPLACE TABLE visitante AS
     WITH s1 AS (SELECT customer_id, avg_gap_raw AS avg_gap_days, aov AS avg_amount, n_days AS purchases,
                   CAST(CAST(? AS DATE) - rth_day AS DOUBLE) / least(${r}, n_days) AS t_ee
            FROM purchase_stats),
     s2 AS (SELECT s1.*, ${recencyScoreSql('t_ee', 'pop.gap_mean', 'pop.gap_std', visitante.distribution)} AS recency_score,
                   (max(avg_gap_days) OVER () - coalesce(avg_gap_days, max(avg_gap_days) OVER ())) AS gap_inverted
            FROM s1 CROSS JOIN ${pop} pop),
     s3 AS (SELECT *, ${normalised('gap_inverted', visitante.normalisation)} AS gap_norm,
                      ${normalised('recency_score', visitante.normalisation)} AS recency_norm,
                      ${normalised('avg_amount', visitante.normalisation)} AS amount_norm FROM s2)
     SELECT customer_id, CAST(purchases AS INTEGER) AS purchases, avg_gap_days, CAST(t_ee AS DOUBLE) AS t_ee,
            CAST(recency_score AS DOUBLE) AS recency_score, CAST(avg_amount AS DOUBLE) AS avg_amount,
            CAST(gap_norm AS DOUBLE) AS gap_norm, CAST(recency_norm AS DOUBLE) AS recency_norm, CAST(amount_norm AS DOUBLE) AS amount_norm,
            CAST(${scaled} AS DOUBLE) AS score
     FROM s3 ORDER BY score DESC, customer_id`,
    [cutoff],
  );
  return {
    rfmCustomers: Number(counts.rfm_customers),
    features: {
      featureColumns: [...FEATURE_NAMES, ...extras.map((e) => e.name)],
      targetColumns: withTargets ? [...TARGET_NAMES] : [],
      customers: Number(counts.customers),
      customersAfterCutoff: Number(counts.after_cutoff),
    },
  };
}
