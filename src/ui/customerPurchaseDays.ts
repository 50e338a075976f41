import type { CustomerHistory } from '../../workers/contracts';
import { parseDay } from '../core/tables/period';

/**
 * The purchase days (day numbers) P(alive) over time counts from: every purchase day of the
 * customer, from the true first purchase, also when the lookup's timeline keeps only the most
 * recent days (the history then carries the full list). Days after the cutoff are left to
 * pAliveHistory, which ignores them.
 */
export function customerPurchaseDays(history: CustomerHistory): number[] {
  const days = history.purchaseDays ?? history.days.filter((d) => d.purchase).map((d) => d.day);
  return days.map((d) => parseDay(d, 'purchase day'));
}
