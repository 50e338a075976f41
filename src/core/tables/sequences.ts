/**
 * Per-customer activity sequences for the sequence models (LSTM / GRU / 1-D CNN): for each customer
 * of the `features` table, spend and purchase-day count in each of the last `periods` periods
 * ending at the cutoff.
 *
 * Periods are anchored at the cutoff, not at calendar boundaries, so the most recent period is
 * always complete: with period 'week', period k (counted back from the cutoff, k = 0 … periods−1)
 * holds the days cutoff − 7(k+1) < day ≤ cutoff − 7k; with 'month' it holds
 * cutoff − (k+1) months < day ≤ cutoff − k months (month ends clamp as DuckDB's date arithmetic
 * does: 03-31 minus one month is 02-28/29).
 *
 * Layout: `values` is row-major n × periods × channels with time running forwards, so
 * values[(i·periods + t)·2 + c] is customer i, period t (t = periods−1 is the one ending at the
 * cutoff, t = 0 the oldest), channel c (0: spend, 1: purchase days). Spend is the net spend of all
 * the customer's days in the period (returns included, as `total_spend` in `features`); days
 * before the customer's first purchase are left out, so periods before it are 0.
 */
import type { SqlDb } from '../db';
import { ClvError } from '../errors';
import { num } from '../sql';
import { parseDay } from './period';

export type SequencePeriod = 'week' | 'month';

export interface SequenceOptions {
  period: SequencePeriod;
  /** How many periods back from the cutoff (a positive integer). */
  periods: number;
}

/** Channels of a sequence step, in order. */
export const SEQUENCE_CHANNELS = ['spend', 'purchase_days'] as const;

export interface CustomerSequences {
  /** One per customer with a purchase up to the cutoff, ordered as the `features` table. */
  customerIds: string[];
  periods: number;
  channels: 2;
  /** Row-major n × periods × 2, see the file comment. */
  values: Float32Array;
}

/** Largest sequence length accepted: 20 years of weeks. More would only allocate memory for zeros. */
const MAX_PERIODS = 1040;

/** SQL for the period index k (0 = the period ending at the cutoff) of `day`, given cutoff `c`. */
function periodIndexSql(period: SequencePeriod): string {
  if (period === 'week') return 'CAST((c - day) // 7 AS INTEGER)';
  // m counts calendar-month boundaries between day and the cutoff; the anchored boundary
  // c − m months lies in day's own calendar month, and day belongs to period m when it is on or
  // before that boundary, else to period m − 1.
  return `CAST(m - CASE WHEN day > CAST(c - to_months(CAST(m AS INTEGER)) AS DATE) THEN 1 ELSE 0 END AS INTEGER)`;
}

/** SQL for the last day before the window (exclusive lower bound), given cutoff `c`. */
function windowStartSql(period: SequencePeriod, periods: number): string {
  return period === 'week' ? `cut.c - ${num(7 * periods)}` : `CAST(cut.c - to_months(${num(periods)}) AS DATE)`;
}

export async function customerSequences(db: SqlDb, cutoff: string, options: SequenceOptions): Promise<CustomerSequences> {
  parseDay(cutoff, 'cutoff');
  const { period, periods } = options;
  if (period !== 'week' && period !== 'month') {
    throw new ClvError('BAD_ARGUMENT', `The sequence period must be "week" or "month", not "${String(period)}".`);
  }
  if (!Number.isSafeInteger(periods) || periods < 1 || periods > MAX_PERIODS) {
    throw new ClvError('BAD_ARGUMENT', `The number of sequence periods must be a whole number from 1 to ${MAX_PERIODS}, not ${periods}.`);
  }
  const monthDiff = period === 'month' ? ", date_diff('month', day, c) AS m" : '';
  // One row per (customer, active period), plus one row with k = −1 for a customer without any
  // activity in the window. The customer id comes only on each customer's first row (is_first = 1).
  // No numeric column holds NULL: Arrow's fast typed-array read would turn it into garbage.
  const cols = await db.columns(
    `WITH cut AS (SELECT CAST(? AS DATE) AS c),
     cust AS (SELECT customer_id, min(day) AS first_day
              FROM customer_days, cut WHERE is_purchase AND day <= cut.c GROUP BY customer_id),
     ranked AS (SELECT customer_id, first_day, CAST(row_number() OVER (ORDER BY customer_id) - 1 AS INTEGER) AS i FROM cust),
     d AS (SELECT cd.customer_id, cd.day, cd.spend, cd.is_purchase, cut.c ${monthDiff}
           FROM customer_days cd JOIN ranked r USING (customer_id), cut
           WHERE cd.day <= cut.c AND cd.day > ${windowStartSql(period, periods)} AND cd.day >= r.first_day),
     agg AS (SELECT customer_id, k, sum(spend) AS spend, count(*) FILTER (WHERE is_purchase) AS purchase_days
             FROM (SELECT *, ${periodIndexSql(period)} AS k FROM d)
             WHERE k < ${num(periods)}
             GROUP BY customer_id, k)
     SELECT r.i,
            CAST(row_number() OVER (PARTITION BY r.i ORDER BY a.k) = 1 AS INTEGER) AS is_first,
            CASE WHEN row_number() OVER (PARTITION BY r.i ORDER BY a.k) = 1 THEN CAST(r.customer_id AS VARCHAR) END AS customer_id,
            coalesce(a.k, -1) AS k,
            CAST(coalesce(a.spend, 0) AS DOUBLE) AS spend,
            CAST(coalesce(a.purchase_days, 0) AS DOUBLE) AS purchase_days
     FROM ranked r LEFT JOIN agg a USING (customer_id)
     ORDER BY r.i, a.k`,
    [cutoff],
  );
  const index = cols.i;
  const first = cols.is_first;
  const ids = cols.customer_id;
  const ks = cols.k;
  const spend = cols.spend;
  const days = cols.purchase_days;
  const rows = index.length;
  const customerIds: string[] = [];
  for (let r = 0; r < rows; r++) {
    if (Number(first[r]) === 1) customerIds.push(String(ids[r]));
  }
  const n = customerIds.length;
  const values = new Float32Array(n * periods * 2);
  for (let r = 0; r < rows; r++) {
    const k = Number(ks[r]);
    if (k < 0) continue;
    const base = (Number(index[r]) * periods + (periods - 1 - k)) * 2;
    values[base] = Number(spend[r]);
    values[base + 1] = Number(days[r]);
  }
  return { customerIds, periods, channels: 2, values };
}
