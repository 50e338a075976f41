import type { SqlDb } from '../db';

/**
 * Customer ids that are e-mail addresses, written in more than one letter case. Shoppers type
 * their address anew on each order ("Alice@Example.com", "alice@example.com"); mail treats both as
 * one mailbox, and an export that keeps them as written splits one customer into several (a
 * hand-made order file: 300 customers read as 864). When the staged rows hold such addresses, every
 * address is compared in lower case; ids without an "@" stay as written, and addresses that each
 * have one writing are left as written.
 *
 * Run on `staged` (the ids already trimmed, in memory): one pass over its id column, and an update
 * of the rows whose address is not in lower case only when some address has several writings.
 * Returns how many distinct writings merged into another (e.g. 3 writings of one address: 2).
 */
export async function foldEmailCase(db: SqlDb): Promise<number> {
  const address = `customer_id IS NOT NULL AND contains(customer_id, '@')`;
  const [row] = await db.query(`SELECT count(DISTINCT customer_id) AS written, count(DISTINCT lower(customer_id)) AS folded FROM staged WHERE ${address}`);
  const merged = Number(row.written) - Number(row.folded);
  if (merged > 0) await db.exec(`UPDATE staged SET customer_id = lower(customer_id) WHERE ${address} AND customer_id <> lower(customer_id)`);
  return merged;
}
