import type { SqlDb } from '../db';

/** Fewest amounts before whole numbers say anything about the unit. */
export const WHOLE_AMOUNTS_MIN_ROWS = 20;
/** Typical amount (median of the non-zero ones) from which whole numbers may be cents. */
export const WHOLE_AMOUNTS_MIN_MEDIAN = 100;

/**
 * Whether the kept amounts may be cents read as whole currency units: every non-zero amount a whole
 * number, at least WHOLE_AMOUNTS_MIN_ROWS of them, typically WHOLE_AMOUNTS_MIN_MEDIAN or more, beside
 * a currency column. Payment APIs write minor units so (Paddle Billing's `details.totals.total` as a
 * string of cents, with ISO dates, where Stripe's epoch timestamps would have settled it); an export
 * priced in whole units looks the same, so the values cannot decide it. The engine says so and how to
 * switch, rather than read a 100-times-too-large table without a word. Returns the rows, or 0.
 */
export async function wholeAmountRows(db: SqlDb, hasCurrency: boolean, minorUnits: boolean): Promise<number> {
  if (!hasCurrency || minorUnits) return 0;
  const [row] = await db.query(
    `SELECT count(*) AS n, count(*) FILTER (WHERE amount = round(amount)) AS whole, median(abs(amount)) AS typical
     FROM staged WHERE reason IS NULL AND amount <> 0`,
  );
  const n = Number(row?.n ?? 0);
  const whole = Number(row?.whole ?? 0);
  const typical = Number(row?.typical ?? 0);
  return n >= WHOLE_AMOUNTS_MIN_ROWS && whole === n && typical >= WHOLE_AMOUNTS_MIN_MEDIAN ? n : 0;
}
