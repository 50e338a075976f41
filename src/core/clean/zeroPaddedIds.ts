import type { SqlDb } from '../db';

/**
 * Numeric customer ids written with different counts of leading zeros ("00000936" and "936"): a
 * spreadsheet that opened the file dropped the zeros on some rows and not on others, or two
 * systems wrote one id two ways. Ids keep their zeros (a customer "0042" is not "42" everywhere),
 * so they stay apart; the report says how many ids have such a twin, so a split customer is never
 * silent. Run on `staged` (ids trimmed); returns the distinct writings that share their number with
 * another (3 writings of one number: 2).
 */
export async function zeroPaddedTwins(db: SqlDb): Promise<number> {
  const numeric = `customer_id IS NOT NULL AND regexp_full_match(customer_id, '[0-9]+')`;
  const [row] = await db.query(`SELECT count(DISTINCT customer_id) AS written, count(DISTINCT ltrim(customer_id, '0')) AS numbers FROM staged WHERE ${numeric}`);
  return Number(row.written) - Number(row.numbers);
}
