import type { SqlDb } from '../db';
import { positiveAmountQuartiles } from './amountQuartiles';
import type { CleaningOptions } from './staging';
import type { CurrencyReport } from './currencies';

/** What cleaning did to the file: every row is accounted for. */
export interface QualityReport {
  file: string;
  format: string;
  rows_read: number;
  rows_rejected: number;
  rejected_by_reason: Record<string, number>;
  duplicate_rows_found: number;
  duplicates_removed: number;
  returns: { policy: CleaningOptions['returns']; rows: number; cancelled_invoices: number; amount: number };
  zero_amount_rows: number;
  rows_kept: number;
  customers: number;
  first_date: string | null;
  last_date: string | null;
  extreme_amounts: { threshold: number | null; rows: number; examples: { row: number; customer_id: string; amount: number }[] };
  warnings: string[];
  /** Plausible purchase days; rows outside were rejected (set by the engine). */
  date_window?: { first: string; last: string };
  /**
   * Ids written as "17850.0" read as "17850" (0 when ids were kept as written); distinct e-mail
   * addresses merged into another written in another letter case (0 when none was); numeric ids
   * that share their number with another written with other leading zeros (kept apart; zeroPaddedIds.ts).
   */
  customer_ids?: { decimal_zero_removed: number; email_case_merged?: number; zero_padding_twins?: number };
  /** An order total repeated on each of the order's lines (set by the engine when the evidence says so; see repeatedTotals.ts). */
  repeated_totals?: { orders_with_several_lines: number; same_amount_on_every_line: number; lines_counted_zero: number };
  /** The currencies the rows are written in and the one kept (set by the engine when any row names its currency). */
  currencies?: CurrencyReport;
  /**
   * The status column as read over the whole file (set by the engine when one is mapped): whether
   * any value is a status it knows (none: every row was counted as written), and whether it is a
   * sales pipeline whose won deals alone are sales.
   */
  status?: { column: string; known: boolean; won_only: boolean };
  /** Almost every row is a customer of its own (set by the engine): the customer column looks like an order or row id. */
  one_row_per_customer?: { column: string };
  /** Orders hold a repeated line beside single ones (set by the engine; identicalLines.ts): the duplicates removed may be real items. */
  identical_lines?: { orders: number };
  /** Every amount is a whole number beside a currency column (set by the engine; clean/wholeAmounts.ts): they may be cents, read as written. */
  whole_amounts?: { column: string; rows: number };
  /** JSON lines that name their parent row in `column` (an order's line items in Shopify's bulk exports): read as parts of it, not as transactions (source/nestedRows.ts). */
  nested_rows?: { column: string; rows: number };
  /** Rows the status column says are not completed purchases (failed, pending, drafts; deals not won), left out (set by the engine). */
  not_completed?: { column: string; rows: number };
  /**
   * Rows the kind column says are not purchases, left out (set by the engine), and how that column
   * was read: an event log, Sage 50 type codes, a ledger holding invoices (its payments settle them),
   * or payments' kinds (authorizations, payouts, fees).
   */
  not_purchases?: { column: string; rows: number; reading: 'events' | 'sage' | 'sap' | 'ledger' | 'payments' | 'accounts'; cancellations?: boolean };
  /** Rows a yes/no flag marks as test payments or card authorizations only, left out (set by the engine). */
  test_rows?: { column: string; rows: number };
  /** The file is written from one account's side: on `rows` rows `column` held the account's own `address`, and the customer was read from `counterparty` (accountOwner.ts). */
  account_owner?: { column: string; counterparty: string; address: string; rows: number };
  /** Rows a yes/no flag marks as cancelled documents (or, SAP's C, the cancellation that reverses one), left out (set by the engine). */
  cancelled_rows?: { column: string; rows: number };
  /** The amount is named for one currency, the refunded amount is not, and the file gives each row's currency: the refunds' currency is in doubt (roles.ts refundCurrencyDoubt). */
  refund_currency?: { amount: string; refund: string; currency: string };
}

const asNumber = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export function isoDay(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v)).toISOString().slice(0, 10);
  return String(v).slice(0, 10);
}

/**
 * Extreme amounts: beyond Tukey's far-out fence (Q3 + 3·IQR) of the positive amounts.
 * `daysHoldEveryRow`: `customer_days` was built from every valid row (no de-duplication, returns
 * netted), which makes the duplicate count cheaper.
 */
export async function qualityReport(db: SqlDb, file: string, format: string, options: CleaningOptions, daysHoldEveryRow = false): Promise<QualityReport> {
  // Exact duplicates share customer and day. When `customer_days` counts every valid row, only the
  // rows of a customer's day with two or more rows can repeat each other; otherwise only rows
  // whose 64-bit row hash repeats. Those few are grouped on the full key.
  const candidates = daysHoldEveryRow
    ? `staged SEMI JOIN (SELECT customer_id, day FROM customer_days WHERE n_rows > 1) d USING (customer_id, day) WHERE reason IS NULL`
    : `staged WHERE reason IS NULL AND row_hash IN (SELECT row_hash FROM staged WHERE reason IS NULL GROUP BY row_hash HAVING count(*) > 1)`;
  const [dups] = await db.query(
    `SELECT CAST(coalesce(sum(n - 1), 0) AS BIGINT) AS n FROM (
       SELECT count(*) AS n FROM ${candidates}
       GROUP BY row_hash, customer_id, day, amount)`,
  );
  const byReason = await db.query(`SELECT reason, count(*) AS n FROM staged GROUP BY reason ORDER BY n DESC, reason`);
  const reasons = byReason.filter((r) => r.reason !== null);
  const rowsRead = byReason.reduce((s, r) => s + asNumber(r.n), 0);
  const rejected = reasons.reduce((s, r) => s + asNumber(r.n), 0);
  const [all] = await db.query(
    `SELECT count(*) AS n, count(*) FILTER (WHERE is_return) AS returns, count(*) FILTER (WHERE is_cancel) AS cancels,
            coalesce(sum(amount) FILTER (WHERE is_return), 0) AS return_amount FROM transactions_all`,
  );
  const [kept] = await db.query(
    `SELECT count(*) AS n, count(*) FILTER (WHERE amount = 0) AS zero_rows, count(DISTINCT customer_id) AS customers,
            CAST(min(day) AS VARCHAR) AS first_day, CAST(max(day) AS VARCHAR) AS last_day FROM transactions`,
  );
  const q = await positiveAmountQuartiles(db, 'transactions');
  const threshold = q === null ? null : q[1] + 3 * (q[1] - q[0]);
  let extremeRows = 0;
  let examples: QualityReport['extreme_amounts']['examples'] = [];
  if (threshold !== null) {
    // One scan for the count and the five largest (the count rides along as a window total).
    const top = await db.query(
      `SELECT count(*) OVER () AS n, row_id, customer_id, amount FROM transactions WHERE amount > ? ORDER BY amount DESC, row_id LIMIT 5`,
      [threshold],
    );
    extremeRows = top.length > 0 ? asNumber(top[0].n) : 0;
    examples = top.map((r) => ({ row: asNumber(r.row_id), customer_id: String(r.customer_id), amount: asNumber(r.amount) }));
  }
  const valid = rowsRead - rejected;
  const afterDedupe = asNumber(all.n);
  const warnings: string[] = [];
  if (rejected > 0) warnings.push(`${rejected} row(s) could not be used; download them from the report to see why.`);
  if (asNumber(dups.n) > valid - afterDedupe) {
    warnings.push(`${asNumber(dups.n)} row(s) repeat another row exactly; without an order id they may be real repeat orders, so they were kept.`);
  }
  if (extremeRows > 0) warnings.push(`${extremeRows} row(s) have unusually large amounts (above ${threshold?.toFixed(2)}); check they are not data errors.`);
  return {
    file,
    format,
    rows_read: rowsRead,
    rows_rejected: rejected,
    rejected_by_reason: Object.fromEntries(reasons.map((r) => [String(r.reason), asNumber(r.n)])),
    duplicate_rows_found: asNumber(dups.n),
    duplicates_removed: valid - afterDedupe,
    returns: {
      policy: options.returns,
      rows: asNumber(all.returns),
      cancelled_invoices: asNumber(all.cancels),
      amount: asNumber(all.return_amount),
    },
    zero_amount_rows: asNumber(kept.zero_rows),
    rows_kept: asNumber(kept.n),
    customers: asNumber(kept.customers),
    first_date: kept.first_day === null ? null : String(kept.first_day),
    last_date: kept.last_day === null ? null : String(kept.last_day),
    extreme_amounts: { threshold, rows: extremeRows, examples },
    warnings,
  };
}
