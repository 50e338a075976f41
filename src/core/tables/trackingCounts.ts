/**
 * The data of the tracking chart (repeat transactions over time, actual vs model): for the cohort
 * of customers whose first purchase is on or before the cutoff, their repeat transactions (purchase
 * days after their first) in each period over calibration and horizon, and when each was acquired.
 *
 * Periods are anchored at the cutoff, so the cutoff is a period boundary and the chart can mark it:
 * with period length L days and origin = cutoff − K·L (K periods reach back to the first purchase
 * in the data), period k holds the days origin + k·L < day ≤ origin + (k+1)·L. The horizon keeps
 * whole periods only (⌊(horizon end − cutoff) / L⌋ of them); `horizonDaysLeftOut` says how many
 * days past the last whole period were not counted. Purchase days are the engine's (`customer_days`,
 * is_purchase), the same days RFM and the holdout orders count.
 */
import type { SqlDb } from '../db';
import { ClvError } from '../errors';
import { num } from '../sql';
import { daysBetween, formatDay, parseDay } from './period';

export interface TrackingCountsOptions {
  cutoff: string;
  /** Last day of the horizon, inclusive; null: calibration only. */
  horizonEnd: string | null;
  /** Period length in days: 7 for weekly tracking, 1 for daily. */
  periodDays: number;
}

export interface TrackingCounts {
  /** Day 0 of the periods (YYYY-MM-DD): period k covers (origin + k·L, origin + (k+1)·L]. */
  origin: string;
  periodDays: number;
  calibrationPeriods: number;
  horizonPeriods: number;
  /** Repeat transactions of the cohort in each period, calibration then horizon. */
  repeatTransactions: Float64Array;
  /** Distinct first-purchase days of the cohort, in days after the origin (ascending). */
  firstPurchaseDays: Float64Array;
  /** Customers acquired on each of those days. */
  customersAcquired: Float64Array;
  /** Customers in the cohort (first purchase on or before the cutoff). */
  customers: number;
  /** Horizon days after the last whole period, not counted. */
  horizonDaysLeftOut: number;
}

/** At most this many periods: 20 years of weeks, or a few years of days. */
export const MAX_TRACKING_PERIODS = 1100;

const COHORT = `cut AS (SELECT CAST(? AS DATE) AS c),
     cohort AS (SELECT customer_id, min(day) AS first_day FROM customer_days, cut WHERE is_purchase AND day <= cut.c GROUP BY customer_id)`;

export async function trackingCounts(db: SqlDb, options: TrackingCountsOptions): Promise<TrackingCounts> {
  const { cutoff, horizonEnd, periodDays: L } = options;
  parseDay(cutoff, 'cutoff');
  if (!(Number.isInteger(L) && L >= 1)) throw new RangeError(`periodDays must be a whole number of days, got ${L}`);
  const acquired = await db.columns(
    `WITH ${COHORT}
     SELECT CAST(first_day - cut.c AS DOUBLE) AS offset_days, CAST(count(*) AS DOUBLE) AS customers
     FROM cohort, cut GROUP BY 1 ORDER BY 1`,
    [cutoff],
  );
  const offsets = Float64Array.from(acquired.offset_days as ArrayLike<number>);
  const customersAcquired = Float64Array.from(acquired.customers as ArrayLike<number>);
  if (offsets.length === 0) throw new ClvError('BAD_PERIOD', `No customer made a purchase on or before the cutoff ${cutoff}. Choose a later cutoff.`);
  const calibrationPeriods = Math.max(1, Math.ceil(-offsets[0] / L));
  const horizonDays = horizonEnd === null ? 0 : Math.max(0, daysBetween(cutoff, horizonEnd));
  const horizonPeriods = Math.floor(horizonDays / L);
  const periods = calibrationPeriods + horizonPeriods;
  if (periods > MAX_TRACKING_PERIODS) {
    throw new ClvError('BAD_ARGUMENT', `Tracking by ${L === 1 ? 'day' : `${L}-day period`} would need ${periods.toLocaleString('en-US')} periods; track by week instead (at most ${MAX_TRACKING_PERIODS.toLocaleString('en-US')}).`);
  }
  const originOffset = calibrationPeriods * L;
  const counts = await db.columns(
    `WITH ${COHORT}
     SELECT CAST((cd.day - cut.c + ${num(originOffset)} - 1) // ${num(L)} AS DOUBLE) AS k, CAST(count(*) AS DOUBLE) AS n
     FROM customer_days cd JOIN cohort USING (customer_id), cut
     WHERE cd.is_purchase AND cd.day > cohort.first_day AND cd.day <= cut.c + ${num(horizonPeriods * L)}
     GROUP BY 1`,
    [cutoff],
  );
  const repeatTransactions = new Float64Array(periods);
  const k = counts.k as ArrayLike<number>;
  const n = counts.n as ArrayLike<number>;
  for (let j = 0; j < k.length; j++) repeatTransactions[k[j]] = n[j];
  return {
    origin: formatDay(parseDay(cutoff, 'cutoff') - originOffset),
    periodDays: L,
    calibrationPeriods,
    horizonPeriods,
    repeatTransactions,
    firstPurchaseDays: offsets.map((o) => o + originOffset),
    customersAcquired,
    customers: customersAcquired.reduce((s, c) => s + c, 0),
    horizonDaysLeftOut: horizonDays - horizonPeriods * L,
  };
}
