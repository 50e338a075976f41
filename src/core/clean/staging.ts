import type { SqlDb } from '../db';
import { CURRENCY_COLUMN, OTHER_CURRENCY, currencySource, rowCurrencySql } from './currencies';
import { ClvError } from '../errors';
import { amountSql, isNumericType, type DecimalSeparator } from '../mapping/amountFormat';
import { dateSql } from '../mapping/dateFormat';
import { readsDebitAndCredit, type ColumnMapping, type ColumnSample } from '../mapping/roles';
import type { InvoiceList } from '../mapping/invoiceList';
import type { AccountOwner } from './accountOwner';
import { isCancelledFlagName, notChargedSql, notCompletedSql, refundedSql, statusKeyOf } from '../mapping/paymentStatus';
import { PLAIN_KINDS, notPurchaseKindSql, returnKindSql, type KindShape } from '../mapping/transactionKinds';
import { ident, literal } from '../sql';
import { EXTRA_COLUMN, ROW_COLUMN, type RawRelation } from '../source/rawRelation';

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
  /**
   * Build tables even when more than 1% of the rows are rejected for a parse reason (date, amount).
   * Without it such a load stops with TOO_MANY_REJECTS and says which reading would parse them.
   */
  allowRejects?: boolean;
  /** Plausible purchase days; rows outside are rejected. Default: 1970-01-01 to tomorrow. */
  dateWindow?: DateWindow;
  /**
   * Which currency's rows to keep when the rows are in several (a code or mark, or 'all' to add them
   * up as one): the user's say-so to leave the others out. Default: the most common, the others
   * counted toward the rejection guard (see currencies.ts).
   */
  currency?: string;
}

export const DEFAULT_CLEANING: CleaningOptions = { returns: 'net', duplicates: 'auto', allowRejects: false };

export function removesDuplicates(options: CleaningOptions, mapping: Pick<ColumnMapping, 'order'>): boolean {
  return options.duplicates === 'remove' || (options.duplicates === 'auto' && mapping.order !== null);
}

export const REJECT_REASONS = {
  extraFields: 'more fields than the header',
  missingCustomer: 'missing customer id',
  totalLine: 'a total or subtotal line',
  badDate: 'unparseable date',
  dateOutOfRange: 'date outside the plausible window',
  badAmount: 'non-numeric amount',
  missingDate: 'missing date',
  missingAmount: 'missing amount',
  paymentNotCompleted: 'payment not completed',
  notAPurchase: 'not a purchase',
  notCharged: 'a test or an authorization only',
  cancelled: 'cancelled',
  otherCurrency: OTHER_CURRENCY,
} as const;

/** Reasons that mean the mapping read a value wrongly, as opposed to data that is missing. */
export const PARSE_REASONS: readonly string[] = [REJECT_REASONS.badDate, REJECT_REASONS.dateOutOfRange, REJECT_REASONS.badAmount];

/** First and last plausible purchase day (inclusive, ISO). */
export interface DateWindow {
  first: string;
  last: string;
}

/** From 1970 to the day after today (UTC): a year 0001 or 9999 is a typing or export error, not a purchase. */
export function defaultDateWindow(now = new Date()): DateWindow {
  const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  return { first: '1970-01-01', last: tomorrow.toISOString().slice(0, 10) };
}

/** How staging reads values beyond the mapping: decided by the engine from the whole file. */
export interface StagingReadings {
  /** Every id is a whole number, some written as decimals ("17850.0"): the ".0" goes. */
  integralIds: boolean;
  dateWindow: DateWindow;
  /** How the kind column reads over the whole file: a customer ledger, its credit notes, Sage 50 codes (transactionKinds.ts). */
  kinds?: KindShape;
  /** The status column holds a sales order's states: its "sent" rows are quotations (paymentStatus.ts). */
  quotations?: boolean;
  /** The status column holds a won stage somewhere: a sales pipeline, whose open and lost deals are not sales (paymentStatus.ts). */
  wonOnly?: boolean;
  /** A DATEV export's general-ledger account length: a posting on such an account (a bank's) is not a customer's (source/datevHeader.ts). */
  ledgerDigits?: number | null;
  /** The file lists issued invoices: one awaiting payment ("open") is a sale unless charged automatically (invoiceList.ts). */
  invoices?: InvoiceList | null;
  /** The file is written from one account's side: on rows where the customer column holds its own address, the customer is the counterparty's (accountOwner.ts). */
  accountOwner?: AccountOwner | null;
}

/**
 * A report's total or subtotal line, labelled where the customer goes ("Subtotal January", "Total",
 * "Grand Total", "Total for Anna Brown", German "Summe", "Zwischensumme", French "Sous-total"): not a
 * customer, and its money is the sum of rows already counted. "Total Wine & More" is a customer.
 */
const TOTAL_LINE = '(sub-?total|zwischensumme|sous-total)\\b.*|(grand )?totals?((:| for | of ).*)?|(summe|gesamtsumme|gesamt)\\b.*|total g[eé]n[eé]ral.*';

/** Ids that stand for "no id" in exports (compared lower-case, after trimming). */
export const MISSING_ID_WORDS = ['null', '(null)', 'none', 'nil', 'n/a', 'na', '#n/a', 'nan', '-', '--', '?', 'undefined', '(blank)'] as const;

/**
 * Text trimmed of surrounding spaces, or NULL when empty. trim() copies every value; only a value
 * that can have something to trim goes through it (trim removes ASCII spaces and Unicode space
 * separators, so an all-ASCII value without a leading or trailing space is already trimmed).
 */
function textOrNull(column: string | null): string {
  if (!column) return 'CAST(NULL AS VARCHAR)';
  const v = `CAST(${ident(column)} AS VARCHAR)`;
  return `CASE WHEN strlen(${v}) = length(${v}) AND NOT starts_with(${v}, ' ') AND NOT ends_with(${v}, ' ') THEN NULLIF(${v}, '') ELSE NULLIF(trim(${v}), '') END`;
}

/** The customer as written; where the file is written from one account's side, the counterparty on the rows where the account's own address stands. */
function customerSql(column: string | null, owner: AccountOwner | null): string {
  if (!owner || !column) return textOrNull(column);
  const partner = textOrNull(owner.counterparty);
  return `(CASE WHEN ${textOrNull(column)} = ${literal(owner.owner)} AND ${partner} IS NOT NULL THEN ${partner} ELSE ${textOrNull(column)} END)`;
}

/**
 * The customer id as text: trimmed, NULL when empty or a word that means "no id" (NULL, N/A, -, …:
 * otherwise every such row would merge into one invented customer), and without a ".0" decimal
 * part when the whole column holds whole numbers (`integralIds`). E-mail addresses written in
 * several letter cases are folded after staging (emailIds.ts).
 */
function customerIdSql(trimmed: string, integralIds: boolean): string {
  const id = integralIds ? `regexp_replace(${trimmed}, '\\.0+$', '')` : trimmed;
  const words = MISSING_ID_WORDS.map((w) => literal(w)).join(', ');
  // Only ids that start like one of the words (n, N, -, #, ?, u, U, () are lower-cased and compared.
  const firstChars = [...new Set(MISSING_ID_WORDS.flatMap((w) => [w[0], w[0].toUpperCase()]))].map((c) => c.codePointAt(0)).join(', ');
  return `CASE WHEN ascii(${trimmed}) IN (${firstChars}) AND strlen(${trimmed}) <= 9 AND lower(${trimmed}) IN (${words}) THEN NULL ELSE ${id} END`;
}

/**
 * A group's total as a report writes it under the group: "Total" and the group's name where the
 * customer goes (Xero's "Total Bluth Inc.", German "Summe Bluth GmbH"), with no date. "Total Wine &
 * More" buying something has a date, so it stays a customer.
 */
const UNDATED_TOTAL_LINE = '(totals?|summe|gesamt|sous-total) .+';

/** The trimmed customer id is computed once, in a layer under the staging SELECT, and read by name. */
const TRIMMED_CUSTOMER = '__clv_customer';

function typeOf(columns: readonly ColumnSample[], name: string): string {
  const c = columns.find((col) => col.name === name);
  if (!c) throw new ClvError('UNKNOWN_COLUMN', `There is no column called "${name}" in this file. Pick one of: ${columns.map((x) => x.name).join(', ')}.`);
  return c.type;
}

export function requireMapping(mapping: ColumnMapping, columns: readonly ColumnSample[]): void {
  if (!mapping.customer) throw new ClvError('MISSING_ROLE', 'No column was chosen as the customer id. Pick the column that identifies each customer.');
  if (!mapping.date) {
    throw new ClvError('NO_PARSEABLE_DATES', 'No column holds dates that can be read (ISO, yyyymmdd, dd/mm/yyyy, mm/dd/yyyy, 5 Jan 2023, epoch seconds, milliseconds or microseconds, or spreadsheet day numbers in a column named as a date). Pick the date column and its format.');
  }
  if (!mapping.amount && mapping.unitPrice && !mapping.quantity) {
    throw new ClvError(
      'MISSING_ROLE',
      `"${mapping.unitPrice}" looks like the amount, but it was mapped as unit price and there is no quantity column. Map "${mapping.unitPrice}" as the amount, or also pick a quantity column.`,
    );
  }
  if (!mapping.amount && mapping.quantity && !mapping.unitPrice) {
    throw new ClvError(
      'MISSING_ROLE',
      `Only a quantity ("${mapping.quantity}") was mapped, and a quantity alone is not money. Pick the amount column, or also a unit price column (amount = quantity × unit price).`,
    );
  }
  if (!mapping.amount && !(mapping.quantity && mapping.unitPrice)) {
    throw new ClvError('NO_NUMERIC_AMOUNTS', 'No column was chosen as the amount. Pick the column that holds what each row cost, or a quantity and a unit price column.');
  }
  for (const role of ['customer', 'date', 'amount', 'order', 'quantity', 'unitPrice', 'category', 'channel', 'region'] as const) {
    const name = mapping[role];
    if (name) typeOf(columns, name);
  }
}

/**
 * Amount as DOUBLE. With a decimal point, a value DuckDB reads as a number by itself ("12.50",
 * "-3", " 7 ") is taken as it is; only the rest goes through the money parser (currency marks,
 * thousands separators, parentheses), which costs several regular expressions per value.
 */
function amountValueSql(column: string, columnType: string, decimal: DecimalSeparator): string {
  const full = amountSql(column, columnType, decimal);
  if (isNumericType(columnType) || decimal !== '.') return full;
  return `coalesce(try_cast(${column} AS DOUBLE), ${full})`;
}

/**
 * Day as DATE. A plain ISO day ("2024-03-05", 10 characters) is cast directly; times, offsets
 * and every other format take the full parser (see dateFormat.ts), whose regular expression is
 * the most expensive expression of the whole load.
 */
function dayValueSql(column: string, columnType: string, format: ColumnMapping['dateFormat']): string {
  const full = dateSql(column, columnType, format);
  if ((format !== 'iso' && format !== 'native') || !/^VARCHAR/i.test(columnType)) return full;
  return `CASE WHEN ${column} LIKE '____-__-__' THEN try_cast(${column} AS DATE) ELSE ${full} END`;
}

/** Currencies without minor units, and those with three decimals (ISO 4217), for amounts written in minor units. */
const ZERO_DECIMAL_CURRENCIES = ['bif', 'clp', 'djf', 'gnf', 'isk', 'jpy', 'kmf', 'krw', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf'];
const THREE_DECIMAL_CURRENCIES = ['bhd', 'iqd', 'jod', 'kwd', 'lyd', 'omr', 'tnd'];

const sqlList = (values: readonly string[]) => values.map((v) => literal(v)).join(', ');

/**
 * What a payment export says beyond the amount: the row's money net of what was refunded on it, in
 * major units (÷ 100, or per the currency's decimals, when the export writes minor units); whether
 * the payment failed (not a purchase: rejected and counted); and whether a refund took all of it
 * back (the row then counts as a return, so a day it alone makes is no purchase).
 */
function paymentSql(
  mapping: ColumnMapping,
  columns: readonly ColumnSample[],
  written: string,
  amt: (name: string) => string,
  kinds: KindShape,
  wonOnly: boolean,
  quotations: boolean,
  invoices: InvoiceList | null,
): { amount: string; failed: string; refundedOut: string; notPurchase: string; notCharged: string } {
  const status = mapping.status ? statusKeyOf(mapping.status) : null;
  const refunded = mapping.refund ? `coalesce(${amt(mapping.refund)}, 0)` : null;
  const statusRefunded = status ? refundedSql(status) : 'false';
  let net = refunded ? `((${written}) - ${refunded})` : `(${written})`;
  // A "refunded" status: all of it went back, whatever a refunded-amount column beside it holds (Gumroad's
  // "Partial Refund ($)" is blank on a row its "Fully Refunded?" says went back whole).
  if (status) net = `(CASE WHEN ${statusRefunded} THEN 0 ELSE ${net} END)`;
  if (mapping.amountMinorUnits) {
    const currency = mapping.currency && columns.some((c) => c.name === mapping.currency) ? `lower(trim(CAST(${ident(mapping.currency)} AS VARCHAR)))` : null;
    const divisor = currency
      ? `(CASE WHEN ${currency} IN (${sqlList(ZERO_DECIMAL_CURRENCIES)}) THEN 1 WHEN ${currency} IN (${sqlList(THREE_DECIMAL_CURRENCIES)}) THEN 1000 ELSE 100 END)`
      : '100';
    net = `(${net} / ${divisor})`;
  }
  const refundedOut = refunded ? `coalesce(${refunded} > 0 AND (${written}) - ${refunded} <= 0, false) OR ${statusRefunded}` : statusRefunded;
  const failed = status ? notCompletedSql(status, wonOnly, quotations, invoices) : 'false';
  // A refund or credit memo is money going back whatever sign it was written with.
  const kind = mapping.kind && columns.some((c) => c.name === mapping.kind) ? mapping.kind : null;
  if (kind) net = `(CASE WHEN ${returnKindSql(kind, kinds)} THEN -abs(${net}) ELSE ${net} END)`;
  const notPurchase = kind ? notPurchaseKindSql(kind, kinds) : 'false';
  // A test payment or a pre-order's authorization (a yes/no column; paymentStatus.ts isTestFlag).
  const flag = mapping.testFlag && columns.some((c) => c.name === mapping.testFlag) ? notChargedSql(mapping.testFlag) : null;
  if (flag) return { amount: net, failed, refundedOut: `(${refundedOut})`, notPurchase, notCharged: flag };
  return { amount: net, failed, refundedOut: `(${refundedOut})`, notPurchase, notCharged: 'false' };
}

/** Optional roles, in the order `transactions` has them, with their SQL type. */
const OPTIONAL = [
  ['order_id', 'order', 'VARCHAR'],
  ['quantity', 'quantity', 'DOUBLE'],
  ['category', 'category', 'VARCHAR'],
  ['channel', 'channel', 'VARCHAR'],
  ['region', 'region', 'VARCHAR'],
] as const;

/**
 * Reads the file once into `staged`: parsed values, the reason a row is rejected (if any) and a
 * hash of the whole row for exact-duplicate detection. Only mapped roles are stored (an all-NULL
 * column still costs memory per row), and not the original cells: the few rejected rows are
 * re-read from the file by `buildRejected`.
 */
export async function stageRows(
  db: SqlDb,
  raw: RawRelation,
  columns: readonly ColumnSample[],
  mapping: ColumnMapping,
  readings: StagingReadings = { integralIds: false, dateWindow: defaultDateWindow() },
): Promise<void> {
  requireMapping(mapping, columns);
  const col = (name: string) => ident(name);
  const amt = (name: string) => amountValueSql(col(name), typeOf(columns, name), mapping.decimalSeparator);
  const cellsBlank = mapping.amount ? `${col(mapping.amount)} IS NULL` : `(${col(mapping.quantity!)} IS NULL OR ${col(mapping.unitPrice!)} IS NULL)`;
  // A row with only a refunded amount (a ledger's credit note: Credit Amount filled, Debit Amount blank) gave back that much.
  const refundFilled = mapping.refund && columns.some((c) => c.name === mapping.refund) ? `${col(mapping.refund)} IS NOT NULL` : null;
  const asWritten = mapping.amount ? amt(mapping.amount) : `(${amt(mapping.quantity!)}) * (${amt(mapping.unitPrice!)})`;
  // In a ledger's debit and credit columns a blank side is zero (a zero invoice leaves both blank).
  const blankIsZero = readsDebitAndCredit(mapping) ? 'true' : refundFilled;
  const written = blankIsZero ? `(CASE WHEN ${cellsBlank} AND ${blankIsZero} THEN 0 ELSE ${asWritten} END)` : asWritten;
  const amountBlank = blankIsZero ? `(${cellsBlank} AND NOT ${blankIsZero})` : cellsBlank;
  const payment = paymentSql(mapping, columns, written, amt, readings.kinds ?? PLAIN_KINDS, readings.wonOnly ?? false, readings.quotations ?? false, readings.invoices ?? null);
  const currency = currencySource(mapping, columns);
  const amount = payment.amount;
  const kept = OPTIONAL.filter(([, role]) => mapping[role] !== null).map(([name, role]) => ({
    name,
    sql: name === 'quantity' ? amt(mapping.quantity!) : textOrNull(mapping[role]),
  }));
  const parsed = `SELECT ${ident(ROW_COLUMN)} AS row_id,
      ${customerIdSql(ident(TRIMMED_CUSTOMER), readings.integralIds)} AS customer_id,
      ${dayValueSql(col(mapping.date!), typeOf(columns, mapping.date!), mapping.dateFormat)} AS day,
      ${amount} AS amount,
      ${kept.map((o) => `${o.sql} AS ${o.name},`).join('\n      ')}
      ${currency ? `${rowCurrencySql(currency)} AS ${ident(CURRENCY_COLUMN)},` : ''}
      ${ident(EXTRA_COLUMN)} IS NOT NULL AS has_extra_fields,
      ${col(mapping.date!)} IS NULL AS date_blank,
      ${amountBlank} AS amount_blank,
      ${payment.failed} AS payment_failed,
      ${payment.notPurchase} AS not_purchase,
      ${payment.notCharged} AS not_charged,
      ${payment.refundedOut} AS refunded_out,
      hash(${columns.map((c) => col(c.name)).join(', ')}) AS row_hash
    FROM (SELECT *, ${customerSql(mapping.customer, readings.accountOwner ?? null)} AS ${ident(TRIMMED_CUSTOMER)} FROM (${raw.sql}))`;
  const reason = `CASE WHEN has_extra_fields THEN '${REJECT_REASONS.extraFields}'
      WHEN customer_id IS NULL THEN '${REJECT_REASONS.missingCustomer}'
      WHEN regexp_full_match(lower(customer_id), ${literal(TOTAL_LINE)}) THEN '${REJECT_REASONS.totalLine}'
      WHEN date_blank AND regexp_full_match(lower(customer_id), ${literal(UNDATED_TOTAL_LINE)}) THEN '${REJECT_REASONS.totalLine}'
      WHEN payment_failed THEN '${REJECT_REASONS.paymentNotCompleted}'
      WHEN not_charged THEN '${mapping.testFlag && isCancelledFlagName(mapping.testFlag) ? REJECT_REASONS.cancelled : REJECT_REASONS.notCharged}'
      WHEN not_purchase THEN '${REJECT_REASONS.notAPurchase}'${readings.ledgerDigits ? `
      WHEN regexp_full_match(customer_id, '[0-9]{1,${readings.ledgerDigits}}') THEN '${REJECT_REASONS.notAPurchase}'` : ''}
      WHEN day IS NULL AND date_blank THEN '${REJECT_REASONS.missingDate}'
      WHEN amount IS NULL AND amount_blank THEN '${REJECT_REASONS.missingAmount}'
      WHEN day IS NULL THEN '${REJECT_REASONS.badDate}'
      WHEN day < DATE ${literal(readings.dateWindow.first)} OR day > DATE ${literal(readings.dateWindow.last)} THEN '${REJECT_REASONS.dateOutOfRange}'
      WHEN amount IS NULL OR isnan(amount) OR isinf(amount) THEN '${REJECT_REASONS.badAmount}' END`;
  await db.exec(`CREATE OR REPLACE TABLE staged AS SELECT * EXCLUDE (has_extra_fields, date_blank, amount_blank, payment_failed, not_purchase, not_charged), ${reason} AS reason FROM (${parsed})`, raw.params);
}

/**
 * The `rejected` table: line, reason and the original cells as text. The cells are re-read from
 * the file only when some row was rejected; otherwise the table is created empty with the same
 * columns, without touching the file (even a LIMIT 0 read of a large file costs a scan setup).
 */
export async function buildRejected(db: SqlDb, raw: RawRelation, columns: readonly ColumnSample[], anyRejected: boolean): Promise<void> {
  const cells = (value: (c: ColumnSample) => string) => `struct_pack(${columns.map((c) => `${ident(c.name)} := ${value(c)}`).join(', ')})`;
  if (!anyRejected) {
    // Unnested like the real table, so the column names match (a file column called `line` or
    // `reason` becomes `line_1`, `reason_1` in both).
    await db.exec(`CREATE OR REPLACE TABLE rejected AS SELECT CAST(NULL AS BIGINT) AS line, CAST(NULL AS VARCHAR) AS reason, UNNEST(${cells(() => 'CAST(NULL AS VARCHAR)')}) LIMIT 0`);
    return;
  }
  await db.exec(
    `CREATE OR REPLACE TABLE rejected AS
     SELECT s.row_id AS line, s.reason, UNNEST(r.original)
     FROM (SELECT row_id, reason FROM staged WHERE reason IS NOT NULL) s
     JOIN (SELECT ${ident(ROW_COLUMN)} AS row_id, ${cells((c) => `CAST(${ident(c.name)} AS VARCHAR)`)} AS original FROM (${raw.sql})) r USING (row_id) ORDER BY s.row_id`,
    raw.params,
  );
}

/**
 * Drops a table or view of that name in the current schema, whichever it is (CREATE OR REPLACE
 * cannot switch kinds). DROP VIEW refuses a table, which then goes by DROP TABLE: two cheap
 * statements instead of a look into the catalog views (about 25 ms each).
 */
export async function dropRelation(db: SqlDb, name: string): Promise<void> {
  try {
    await db.exec(`DROP VIEW IF EXISTS ${ident(name)}`);
  } catch {
    await db.exec(`DROP TABLE IF EXISTS ${ident(name)}`);
  }
}

/**
 * Whether `customer_days` (built by buildTransactions) counts every valid row: nothing removed as
 * a duplicate and returns netted, not dropped.
 */
export function customerDaysHoldEveryValidRow(options: CleaningOptions, removeDuplicates: boolean): boolean {
  return !removeDuplicates && options.returns === 'net';
}

/**
 * The purchase rule over a customer-day's `spend` (net), `n_rows` and `n_lines` (rows that are not
 * returns). Net amounts are compared after rounding to a millionth, so 10.10 − 10.10 is zero.
 */
export const IS_PURCHASE_DAY = '(round(spend, 6) > 0 OR (round(spend, 6) = 0 AND n_lines = n_rows))';

/**
 * `transactions`: valid rows, exact duplicates removed (when asked), returns flagged. A cancelled
 * invoice (`C536379`) counts as a return; its amount is made negative if the file wrote it positive.
 * Without de-duplication it is a view over `staged` (a copy of every row is what runs a 10M-row
 * file out of memory). `customer_days` combines a customer's rows of one day into one purchase.
 */
export async function buildTransactions(db: SqlDb, options: CleaningOptions, removeDuplicates: boolean, mapping: Pick<ColumnMapping, 'order' | 'quantity' | 'category' | 'channel' | 'region'>): Promise<void> {
  const dedupe = removeDuplicates ? 'QUALIFY row_number() OVER (PARTITION BY row_hash, customer_id, day, amount ORDER BY row_id) = 1' : '';
  const isCancel = mapping.order ? `regexp_full_match(coalesce(order_id, ''), '[Cc][0-9]+')` : 'false';
  // Unmapped roles are typed NULL constants here: nothing stored, the same columns for every file.
  const optional = OPTIONAL.map(([name, role, type]) => (mapping[role] === null ? `CAST(NULL AS ${type}) AS ${name}` : name)).join(', ');
  const all = `SELECT row_id, customer_id, day, ${optional}, is_cancel,
            CASE WHEN is_cancel AND amount > 0 THEN -amount ELSE amount END AS amount,
            (amount < 0 OR is_cancel OR refunded_out) AS is_return
     FROM (SELECT *, ${isCancel} AS is_cancel FROM staged WHERE reason IS NULL ${dedupe})`;
  // `transactions_all` (returns kept, for the quality report) is dropped after the load, so
  // `transactions` does not refer to it.
  await dropRelation(db, 'transactions_all');
  await db.exec(`CREATE VIEW transactions_all AS ${all}`);
  const select = `SELECT * EXCLUDE (is_cancel) FROM (${all}) ${options.returns === 'drop' ? 'WHERE NOT is_return' : ''}`;
  await dropRelation(db, 'transactions');
  await db.exec(`CREATE ${removeDuplicates ? 'TABLE' : 'VIEW'} transactions AS ${select}`);
  // Same-day rows of a customer are one purchase when the day nets above zero, or to exactly zero
  // without a return (a free order). A day that nets below zero, or to zero through a same-day
  // cancellation, is not a purchase; its returns still count in the customer's spend.
  await db.exec(
    `CREATE OR REPLACE TABLE customer_days AS
     SELECT customer_id, day, spend, ${IS_PURCHASE_DAY} AS is_purchase, n_rows, n_lines
     FROM (SELECT customer_id, day, sum(amount) AS spend, count(*) AS n_rows, count(*) FILTER (WHERE NOT is_return) AS n_lines
           FROM transactions GROUP BY customer_id, day)`,
  );
}
