import type { SqlDb } from '../db';

/**
 * Orders that may hold identical lines of their own: some line once and another line of the same
 * order repeated exactly (two espressos rung up one by one beside a muffin, as Square's item detail
 * lists them; or a line scanned twice by mistake, as analysts read Online Retail's). An order
 * exported twice repeats every one of its lines and never leaves one once, so such orders are not
 * that; whether their repeats are real items or errors the file cannot say. The automatic policy
 * still removes them (the common reading), and the engine says so and how to keep them. Counts the
 * orders over the whole file; 0 when there are none.
 */
export async function ordersWithIdenticalLines(db: SqlDb): Promise<number> {
  const [row] = await db.query(
    `SELECT count(*) AS n FROM (
       SELECT order_id FROM (SELECT order_id, row_hash, count(*) AS n FROM staged WHERE reason IS NULL AND order_id IS NOT NULL GROUP BY ALL)
       GROUP BY order_id HAVING min(n) = 1 AND max(n) >= 2)`,
  );
  return Number(row?.n ?? 0);
}
