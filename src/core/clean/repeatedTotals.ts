import type { SqlDb } from '../db';
import { normalisedName } from '../mapping/columnNames';

/**
 * An order's total written on every one of its lines. Order exports with one row per item often
 * repeat order-level fields on each item's row ("Order Total" beside "Item Name", "Item Cost");
 * summed over the rows, such a total counts once per item (a hand-made export of 1,500 orders in
 * 3,293 lines: spend summed 2.2 times over). Decided from the whole file, on the staged rows, when an
 * order id is mapped:
 * - the evidence: among orders with several lines that are not exact copies of each other, those
 *   whose amount is the same on every line;
 * - when at least MIN_ORDERS such orders exist and REPEATED_SHARE of them have one amount, and the
 *   amount column's name says it is the order's total (`Order Total`, `Total`, `Grand Total`…),
 *   the amount counts once per order: on the order's first line, the other lines (kept for item
 *   counts) count 0;
 * - when the name does not say so (`price`, `amount`: an item file where many orders are several
 *   units of one product would look the same), nothing changes and the report warns.
 */
export interface RepeatedTotals {
  /** Orders with several distinct lines. */
  multiLineOrders: number;
  /** Of those, orders whose lines all hold the same amount. */
  sameAmountOrders: number;
  /** Lines whose repeated amount was set to 0 (0 when the amounts were kept). */
  linesZeroed: number;
}

const MIN_ORDERS = 20;
const REPEATED_SHARE = 0.9;

/** A column name that says the amount is the order's total. */
export function namesOrderTotal(column: string): boolean {
  const name = normalisedName(column);
  return /(^|_)(order|grand|invoice)_?(total|amount|value|sum)|^total(_amount|_paid|_value)?$|^(order|invoice)_?(total|amount|value)/.test(name);
}

/** Orders (valid rows with an order id, several lines not all copies of one) whose lines all hold one amount. */
const SAME_AMOUNT_ORDERS = `SELECT order_id, count(*) AS lines, min(amount) = max(amount) AS same
  FROM staged WHERE reason IS NULL AND order_id IS NOT NULL
  GROUP BY order_id HAVING count(*) > 1 AND count(DISTINCT row_hash) > 1`;

/** Reads the evidence and, when it says so, counts each repeated order total once (see above). Null when no order id is mapped. */
export async function settleRepeatedTotals(db: SqlDb, orderMapped: boolean, amountColumn: string | null): Promise<RepeatedTotals | null> {
  if (!orderMapped || !amountColumn) return null;
  const [row] = await db.query(
    `SELECT count(*) AS multi, count(*) FILTER (WHERE same) AS same, CAST(coalesce(sum(lines - 1) FILTER (WHERE same), 0) AS DOUBLE) AS repeats FROM (${SAME_AMOUNT_ORDERS})`,
  );
  const multiLineOrders = Number(row.multi);
  const sameAmountOrders = Number(row.same);
  const repeated = multiLineOrders >= MIN_ORDERS && sameAmountOrders >= REPEATED_SHARE * multiLineOrders;
  if (!repeated || !namesOrderTotal(amountColumn)) return { multiLineOrders, sameAmountOrders, linesZeroed: 0 };
  await db.exec(
    `UPDATE staged SET amount = 0
     WHERE reason IS NULL AND order_id IN (SELECT order_id FROM (${SAME_AMOUNT_ORDERS}) WHERE same)
       AND row_id NOT IN (SELECT min(row_id) FROM staged WHERE reason IS NULL AND order_id IS NOT NULL GROUP BY order_id)`,
  );
  return { multiLineOrders, sameAmountOrders, linesZeroed: Number(row.repeats) };
}

/** The report's sentence, or null when the amounts are line amounts. */
export function repeatedTotalsWarning(r: RepeatedTotals, amountColumn: string): string | null {
  const count = (n: number) => n.toLocaleString('en-US');
  const evidence = `"${amountColumn}" is the same on every line of ${count(r.sameAmountOrders)} of the ${count(r.multiLineOrders)} orders with several lines`;
  if (r.linesZeroed > 0) return `${evidence}: it is the order's total, repeated on each line, so it was counted once per order (${count(r.linesZeroed)} repeated lines count 0).`;
  if (r.multiLineOrders >= MIN_ORDERS && r.sameAmountOrders >= REPEATED_SHARE * r.multiLineOrders) {
    return `${evidence}. If it is the order's total repeated on each line, spend is counted once per line: map the line's own amount, or the order total only on one line.`;
  }
  return null;
}
