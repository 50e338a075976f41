import type { SqlDb } from '../db';
import { ClvError } from '../errors';
import { amountSql } from '../mapping/amountFormat';
import { dateSql } from '../mapping/dateFormat';
import type { ColumnMapping, ColumnSample } from '../mapping/roles';
import { ident } from '../sql';
import { ROW_COLUMN, type RawRelation } from '../source/rawRelation';

/** How returns and cancellations are treated. */
export type ReturnsPolicy = 'net' | 'drop';

/**
 * Exact duplicate rows: 'auto' removes them only when rows carry an order id. Without one, two
 * identical lines can be two real orders on one day (CDNOW has such lines, and the published
 * lifetimes summaries count them), so they are kept and reported.
 */
export type DuplicatesPolicy = 'auto' | 'remove' | 'keep';

export interface CleaningOptions {
  returns: ReturnsPolicy;
  duplicates: DuplicatesPolicy;
}

export const DEFAULT_CLEANING: CleaningOptions = { returns: 'net', duplicates: 'auto' };

export function removesDuplicates(options: CleaningOptions, mapping: Pick<ColumnMapping, 'order'>): boolean {
  return options.duplicates === 'remove' || (options.duplicates === 'auto' && mapping.order !== null);
}

export const REJECT_REASONS = {
  missingCustomer: 'missing customer id',
  badDate: 'unparseable date',
  badAmount: 'non-numeric amount',
} as const;

function textOrNull(column: string | null): string {
  return column ? `NULLIF(trim(CAST(${ident(column)} AS VARCHAR)), '')` : 'CAST(NULL AS VARCHAR)';
}

function typeOf(columns: readonly ColumnSample[], name: string): string {
  const c = columns.find((col) => col.name === name);
  if (!c) throw new ClvError('UNKNOWN_COLUMN', `There is no column called "${name}" in this file. Pick one of: ${columns.map((x) => x.name).join(', ')}.`);
  return c.type;
}

export function requireMapping(mapping: ColumnMapping, columns: readonly ColumnSample[]): void {
  if (!mapping.customer) throw new ClvError('MISSING_ROLE', 'No column was chosen as the customer id. Pick the column that identifies each customer.');
  if (!mapping.date) {
    throw new ClvError('NO_PARSEABLE_DATES', 'No column holds dates that can be read (ISO, yyyymmdd, dd/mm/yyyy, mm/dd/yyyy or epoch). Pick the date column and its format.');
  }
  if (!mapping.amount && !(mapping.quantity && mapping.unitPrice)) {
    throw new ClvError('NO_NUMERIC_AMOUNTS', 'No column holds numeric amounts. Pick the amount column, or a quantity and a unit price column.');
  }
  for (const role of ['customer', 'date', 'amount', 'order', 'quantity', 'unitPrice', 'category', 'channel', 'region'] as const) {
    const name = mapping[role];
    if (name) typeOf(columns, name);
  }
}

/**
 * Reads the file once into `staged`: parsed values, the reason a row is rejected (if any), a hash
 * of the whole row for exact-duplicate detection, and the original cells of rejected rows only.
 */
export async function stageRows(db: SqlDb, raw: RawRelation, columns: readonly ColumnSample[], mapping: ColumnMapping): Promise<void> {
  requireMapping(mapping, columns);
  const col = (name: string) => ident(name);
  const amount = mapping.amount
    ? amountSql(col(mapping.amount), typeOf(columns, mapping.amount), mapping.decimalSeparator)
    : `(${amountSql(col(mapping.quantity!), typeOf(columns, mapping.quantity!), mapping.decimalSeparator)}) * (${amountSql(col(mapping.unitPrice!), typeOf(columns, mapping.unitPrice!), mapping.decimalSeparator)})`;
  const quantity = mapping.quantity ? amountSql(col(mapping.quantity), typeOf(columns, mapping.quantity), mapping.decimalSeparator) : 'CAST(NULL AS DOUBLE)';
  const all = columns.map((c) => col(c.name));
  const original = `struct_pack(${columns.map((c) => `${col(c.name)} := CAST(${col(c.name)} AS VARCHAR)`).join(', ')})`;
  const parsed = `SELECT ${ident(ROW_COLUMN)} AS row_id,
      ${textOrNull(mapping.customer)} AS customer_id,
      ${dateSql(col(mapping.date!), typeOf(columns, mapping.date!), mapping.dateFormat)} AS day,
      ${amount} AS amount,
      ${textOrNull(mapping.order)} AS order_id,
      ${quantity} AS quantity,
      ${textOrNull(mapping.category)} AS category,
      ${textOrNull(mapping.channel)} AS channel,
      ${textOrNull(mapping.region)} AS region,
      hash(${all.join(', ')}) AS row_hash,
      ${original} AS original
    FROM (${raw.sql})`;
  const reason = `CASE WHEN customer_id IS NULL THEN '${REJECT_REASONS.missingCustomer}'
      WHEN day IS NULL THEN '${REJECT_REASONS.badDate}'
      WHEN amount IS NULL OR isnan(amount) OR isinf(amount) THEN '${REJECT_REASONS.badAmount}' END`;
  await db.exec(
    `CREATE OR REPLACE TABLE staged AS
     SELECT row_id, customer_id, day, amount, order_id, quantity, category, channel, region, row_hash, reason,
            CASE WHEN reason IS NOT NULL THEN original END AS original
     FROM (SELECT *, ${reason} AS reason FROM (${parsed}))`,
    raw.params,
  );
}

/**
 * `transactions`: valid rows, exact duplicates removed (when asked), returns flagged. A cancelled
 * invoice (`C536379`) counts as a return; its amount is made negative if the file wrote it positive.
 */
export async function buildTransactions(db: SqlDb, options: CleaningOptions, removeDuplicates: boolean): Promise<void> {
  const dedupe = removeDuplicates
    ? 'QUALIFY row_number() OVER (PARTITION BY row_hash, customer_id, day, amount ORDER BY row_id) = 1'
    : '';
  // A view, not a copy: at 10M rows a second materialised copy of the rows is what runs out of memory.
  await db.exec(
    `CREATE OR REPLACE VIEW transactions_all AS
     SELECT row_id, customer_id, day, order_id, quantity, category, channel, region, is_cancel,
            CASE WHEN is_cancel AND amount > 0 THEN -amount ELSE amount END AS amount,
            (amount < 0 OR is_cancel) AS is_return
     FROM (SELECT *, regexp_full_match(coalesce(order_id, ''), '[Cc][0-9]+') AS is_cancel FROM staged WHERE reason IS NULL ${dedupe})`,
  );
  await db.exec(
    `CREATE OR REPLACE TABLE transactions AS SELECT * EXCLUDE (is_cancel) FROM transactions_all ${options.returns === 'drop' ? 'WHERE NOT is_return' : ''}`,
  );
  // Same-day purchases of a customer are one purchase; a day with only returns is not a purchase.
  await db.exec(
    `CREATE OR REPLACE TABLE customer_days AS
     SELECT customer_id, day, sum(amount) AS spend, bool_or(NOT is_return) AS is_purchase, count(*) AS n_rows
     FROM transactions GROUP BY customer_id, day`,
  );
}
