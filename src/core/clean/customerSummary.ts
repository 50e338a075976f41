import type { SqlDb } from '../db';
import { ClvError } from '../errors';
import { normalisedName } from '../mapping/columnNames';
import type { ColumnMapping, ColumnSample } from '../mapping/roles';
import { ident } from '../sql';
import type { RawRelation } from '../source/rawRelation';

/** A column that counts each customer's orders (Shopify's "Orders", "Number of orders", "orders_count", "Total Purchases"). */
const ORDER_COUNT = /^(customer_)?(orders|orders?_count|number_of_orders|num_orders|no_of_orders|n_orders|total_orders|#_of_orders|purchases|purchase_count|number_of_purchases|total_purchases|transactions|transaction_count|number_of_transactions|total_transactions)$/;
/** A column that dates a customer's first or last order (Shopify's "Customer first order date", "Last Order Date"). */
const FIRST_OR_LAST = /(^|_)(first|last|latest|most_recent|earliest)_(order|purchase|transaction|sale|visit|charge|payment)(_date|_at|_day)?$/;
/** A customer's lifetime total (Patreon's "Lifetime Amount", a CRM's "Lifetime Value", "Total Spent"). */
const LIFETIME = /(^|_)(lifetime|ltv|total_spent|amount_spent|lifetime_spend)(_|$)/;

/** Rows below which a file of one row per customer says nothing (a handful of first-time buyers). */
const FEWEST_ROWS = 5;

/**
 * A report with one row per customer (Shopify's "Customers" and "Sales by customer" reports, a CRM's
 * contact list with lifetime totals) is no list of purchases: read as one, each customer would be a
 * single purchase on whatever date the row carries (their first order's), and their spend a lifetime
 * total. The load stops when, over the whole file, every customer id appears on one row only and the
 * file says it is a summary: a column counting orders that exceeds 1 somewhere, a first/last order
 * or charge date column, or a lifetime total (Patreon's members export: "Lifetime Amount"). A
 * transaction list where everyone happened to buy once has neither.
 */
export async function refuseCustomerSummary(db: SqlDb, raw: RawRelation, samples: readonly ColumnSample[], mapping: ColumnMapping): Promise<void> {
  const counts = samples.filter((c) => ORDER_COUNT.test(normalisedName(c.name)));
  const dated = samples.find((c) => FIRST_OR_LAST.test(normalisedName(c.name))) ?? samples.find((c) => LIFETIME.test(normalisedName(c.name)));
  if (!mapping.customer || (counts.length === 0 && !dated)) return;
  // Read from the file as written, before any other reading: a summary often has no purchase date to stage by.
  const id = `nullif(trim(CAST(${ident(mapping.customer)} AS VARCHAR)), '')`;
  const [row] = await db.query(`SELECT count(${id}) AS n, count(DISTINCT ${id}) AS customers FROM (${raw.sql})`, raw.params);
  const rows = Number(row?.n ?? 0);
  if (rows < FEWEST_ROWS || Number(row?.customers ?? 0) !== rows) return;
  let count: { name: string; most: number } | null = null;
  for (const c of counts) {
    const [m] = await db.query(`SELECT max(try_cast(trim(CAST(${ident(c.name)} AS VARCHAR)) AS DOUBLE)) AS most FROM (${raw.sql})`, raw.params);
    const most = Number(m?.most ?? 0);
    if (most > 1) {
      count = { name: c.name, most };
      break;
    }
  }
  if (!count && !dated) return;
  const why = count
    ? `the column "${count.name}" counts their orders (up to ${count.most.toLocaleString('en-US')})`
    : LIFETIME.test(normalisedName(dated!.name))
      ? `the column "${dated!.name}" totals their lifetime`
      : `the column "${dated!.name}" dates their first or last order`;
  throw new ClvError(
    'CUSTOMER_SUMMARY',
    `Each of the ${rows.toLocaleString('en-US')} customers appears on one row only, and ${why}: this is a summary per customer, not a list of purchases. Read as one, every customer would be a single purchase with a lifetime's spend. Export the orders or transactions instead, one row per purchase with its date (in Shopify: Orders → Export).`,
    { rows, ...(count ? { countColumn: count.name } : {}), ...(dated ? { dateColumn: dated.name } : {}) },
  );
}
