/**
 * Naive run-rate baseline: assume each customer keeps spending at their historical daily rate.
 *   predicted horizon spend = total_spend / max(tenure_days, 30) × horizon_days
 * Any real model should beat this; if it does not, the model is not earning its complexity.
 */
import { checkSameLength, type NumericArray } from '../eval/metrics';

/**
 * Tenure is floored at 30 days: a customer first seen yesterday with one $100 order would
 * otherwise be projected at $100 a day, so brand-new customers would explode the forecast.
 */
export const MIN_TENURE_DAYS = 30;

export function naiveRunRate(totalSpend: NumericArray, tenureDays: NumericArray, horizonDays: number): Float64Array {
  checkSameLength(totalSpend, tenureDays, ['totalSpend', 'tenureDays']);
  if (!(horizonDays > 0)) throw new RangeError(`horizonDays must be positive, got ${horizonDays}`);
  const predicted = new Float64Array(totalSpend.length);
  for (let i = 0; i < predicted.length; i++) {
    predicted[i] = (totalSpend[i] / Math.max(tenureDays[i], MIN_TENURE_DAYS)) * horizonDays;
  }
  return predicted;
}
