/**
 * The tracking chart's series from the engine's counts (tables/trackingCounts.ts): actual repeat
 * transactions per period and the model's expected ones, incremental and cumulative, in the
 * model's time unit, with the cutoff at the end of the calibration periods (fitChecks.ts draws
 * them the way Fader, Hardie & Lee do).
 */
import type { TrackingCounts } from '../tables/trackingCounts';
import { trackingSeries, type TrackingSeries } from './fitChecks';
import type { TransactionModelKind, TransactionParams } from './transactionModels';

/**
 * Expected and actual repeat transactions per period for a model fitted in a unit of `unitDays`
 * days (1 for days, 7 for weeks): each customer's expectation starts at their own first purchase.
 */
export function trackingFromCounts(kind: TransactionModelKind, params: TransactionParams, counts: TrackingCounts, unitDays: number): TrackingSeries {
  if (!(unitDays > 0)) throw new RangeError(`unitDays must be positive, got ${unitDays}`);
  const firstPurchase = new Float64Array(counts.customers);
  let w = 0;
  counts.firstPurchaseDays.forEach((day, j) => {
    firstPurchase.fill(day / unitDays, w, w + counts.customersAcquired[j]);
    w += counts.customersAcquired[j];
  });
  return trackingSeries(kind, params, {
    firstPurchase,
    actualRepeat: counts.repeatTransactions,
    periodLength: counts.periodDays / unitDays,
    cutoff: (counts.calibrationPeriods * counts.periodDays) / unitDays,
  });
}
