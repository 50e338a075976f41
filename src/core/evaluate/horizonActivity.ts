/**
 * Whether a horizon holds enough buyers to compare models. With (almost) nobody buying in the
 * horizon, every model that predicts about zero looks perfect (RMSE 0, R² 1), so a run on such a
 * horizon is refused before any training rather than reported with a starred winner.
 */
import { ClvError } from '../errors';
import { formatDay, parseDay } from '../tables/period';

/** Fewest buyers in the horizon for any comparison: below this a 30% test slice holds a handful. */
export const MIN_ACTIVE_CUSTOMERS = 20;
/** Share of the customers that must buy in the horizon, for large files. */
export const MIN_ACTIVE_SHARE = 0.01;

/** The number of horizon buyers needed among `customers`: max(20, 1% of them). */
export function minimumActiveCustomers(customers: number): number {
  return Math.max(MIN_ACTIVE_CUSTOMERS, Math.ceil(MIN_ACTIVE_SHARE * customers));
}

/** Customers with at least one purchase in the horizon. */
export function activeCustomers(holdoutOrders: ArrayLike<number>): number {
  let active = 0;
  for (let i = 0; i < holdoutOrders.length; i++) if (holdoutOrders[i] > 0) active++;
  return active;
}

/** "1997-10-01 – 1998-06-30" for a cutoff and a horizon length in days. */
export function horizonDates(cutoff: string, horizonDays: number): string {
  const day = parseDay(cutoff, 'cutoff');
  return `${formatDay(day + 1)} – ${formatDay(day + horizonDays)}`;
}

/**
 * Throws DEGENERATE_HORIZON when fewer than minimumActiveCustomers buy in the horizon. `cutoff`
 * (ISO date), when known, lets the message name the horizon's dates.
 */
export function checkHorizonActivity(holdoutOrders: ArrayLike<number>, horizon: { cutoff?: string; horizonDays: number }): void {
  const customers = holdoutOrders.length;
  const active = activeCustomers(holdoutOrders);
  const minimum = minimumActiveCustomers(customers);
  if (active >= minimum) return;
  const dates = horizon.cutoff ? ` (${horizonDates(horizon.cutoff, horizon.horizonDays)})` : '';
  const who = active === 0 ? 'No customer buys' : active === 1 ? 'Only 1 customer buys' : `Only ${active} customers buy`;
  throw new ClvError(
    'DEGENERATE_HORIZON',
    `${who} in the horizon${dates}; at least ${minimum} are needed to compare models. Choose an earlier cutoff or a longer horizon.`,
    { active, minimum, customers },
  );
}
