/**
 * Plain-TypeScript reference for the RFM table and a few features, with the purchase rule of
 * issue 9 §3, computed from logical transactions (customer, calendar day, signed cents), never
 * from a file. (test/support/featureReference.ts keeps the earlier rule, "a purchase day has at
 * least one non-return row", for the tests written against it.)
 *
 * Definitions:
 * - A customer-day's net is the sum of that day's amounts; the day has a return when one of its
 *   amounts is negative.
 * - A customer-day is a purchase when its net is > 0, or = 0 with no return that day (a free
 *   order). Days that net below zero, or to zero because of a same-day return, are not purchases;
 *   their amounts still count in total spend.
 * - Calibration is day ≤ cutoff. The tables hold customers with a purchase day ≤ cutoff.
 * - frequency = purchase days − 1, recency = last − first purchase day, T = cutoff − first purchase
 *   day (days), monetary_value = mean net of the repeat purchase days (0 without any), so it is
 *   never negative. total_spend = sum of every calibration amount, returns included.
 * - customersAfterCutoff: customers whose first purchase day is after the cutoff.
 */

export interface LedgerEntry {
  customerId: string;
  /** Days since 1970-01-01. */
  day: number;
  /** Signed integer cents; negative is a return or refund. */
  cents: number;
}

export interface RfmReferenceRow {
  frequency: number;
  recency: number;
  T: number;
  monetary_value: number;
  total_spend: number;
  purchase_days: number;
  recency_days: number;
  tenure_days: number;
}

export interface RfmReference {
  customers: Map<string, RfmReferenceRow>;
  customersAfterCutoff: number;
}

/**
 * 'net': the rule above. 'any-purchase-row' is the earlier rule (a day with any non-return row is a
 * purchase), kept only so a test can show the comparison tells the two apart.
 */
export type PurchaseRule = 'net' | 'any-purchase-row';

interface DayTotal {
  net: number;
  hasReturn: boolean;
  hasPurchaseRow: boolean;
}

export function isPurchaseDay(d: DayTotal, rule: PurchaseRule = 'net'): boolean {
  if (rule === 'any-purchase-row') return d.hasPurchaseRow;
  return d.net > 0 || (d.net === 0 && !d.hasReturn);
}

export function rfmReference(entries: readonly LedgerEntry[], cutoff: number, rule: PurchaseRule = 'net'): RfmReference {
  const byCustomer = new Map<string, Map<number, DayTotal>>();
  for (const e of entries) {
    if (!Number.isInteger(e.cents)) throw new Error(`reference amounts are integer cents, got ${e.cents}`);
    let days = byCustomer.get(e.customerId);
    if (!days) byCustomer.set(e.customerId, (days = new Map()));
    const d = days.get(e.day) ?? { net: 0, hasReturn: false, hasPurchaseRow: false };
    d.net += e.cents;
    d.hasReturn ||= e.cents < 0;
    d.hasPurchaseRow ||= e.cents >= 0;
    days.set(e.day, d);
  }
  const customers = new Map<string, RfmReferenceRow>();
  let customersAfterCutoff = 0;
  for (const [id, days] of byCustomer) {
    const purchases = [...days.entries()].filter(([, d]) => isPurchaseDay(d, rule)).sort((a, b) => a[0] - b[0]);
    if (purchases.length === 0) continue;
    if (purchases[0][0] > cutoff) {
      customersAfterCutoff++;
      continue;
    }
    const calibration = purchases.filter(([day]) => day <= cutoff);
    const first = calibration[0][0];
    const last = calibration[calibration.length - 1][0];
    const repeat = calibration.slice(1).map(([, d]) => d.net);
    let totalCents = 0;
    for (const [day, d] of days) if (day <= cutoff) totalCents += d.net;
    customers.set(id, {
      frequency: calibration.length - 1,
      recency: last - first,
      T: cutoff - first,
      monetary_value: repeat.length > 0 ? repeat.reduce((s, c) => s + c, 0) / repeat.length / 100 : 0,
      total_spend: totalCents / 100,
      purchase_days: calibration.length,
      recency_days: cutoff - last,
      tenure_days: cutoff - first,
    });
  }
  return { customers, customersAfterCutoff };
}
