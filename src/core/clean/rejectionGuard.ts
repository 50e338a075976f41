import type { SqlDb } from '../db';
import { ClvError } from '../errors';
import { amountSql, isNumericType, type DecimalSeparator } from '../mapping/amountFormat';
import { DATE_FORMATS, dateSql, type DateFormat } from '../mapping/dateFormat';
import { isLedgerSide, type ColumnMapping, type ColumnSample } from '../mapping/roles';
import { describeDateFormat } from '../mapping/dateFormatWords';
import { ident, literal } from '../sql';
import { EXTRA_COLUMN, ROW_COLUMN, type RawRelation } from '../source/rawRelation';

/** How the review names the fields a row has past the header's last column. */
export const EXTRA_FIELDS_LABEL = 'fields past the header';
import type { QualityReport } from './qualityReport';
import { ALL_CURRENCIES, convertedAmountColumn, listCurrencies } from './currencies';
import { REJECT_REASONS, type DateWindow } from './staging';

/** Above this share of rows rejected for a parse reason (or money without a day, or another currency), no table is built without the user's say-so. */
export const REJECT_LIMIT_SHARE = 0.01;

/**
 * Of the rows left out for a missing date, those that hold money: a purchase whose day is blank.
 * They count toward the limit like unreadable values, since leaving them out loses spend. A row
 * without a date and without money (an item line an order export writes under its order, a blank
 * line) holds no purchase and does not count. Rows without a customer id (guest orders) are
 * counted and reported, never refused.
 */
export const MONEY_WITHOUT_DAY = 'coalesce(amount, 0) <> 0';

/**
 * Rows left out for a missing amount are mostly item lines dated like their order (Shopify repeats
 * "Created at" on every line, the Total only on the first): those are parts of an order kept, and
 * no reading can tell the rest from a purchase whose amount was lost. So they have a limit of their
 * own, far above REJECT_LIMIT_SHARE: above this share of the rows, rows with a customer and a day but
 * no amount — not a line of an order or a purchase that is kept — are a column filled only on some
 * rows (Etsy's "Adjusted Order Total", set only where an order was refunded), and no table is built
 * without the user's say-so. A ledger's debit or credit column is blank on the other side's rows by
 * design, and has no such limit.
 */
export const MISSING_AMOUNT_LIMIT_SHARE = 0.1;

/**
 * SQL over `staged`, for a row left out for a missing amount: it has a day, and is no line of an
 * order kept (its order id, where the file has one, has no kept row) nor of a purchase kept that
 * day (no kept row of the same customer on the same day: Shopify's item lines repeat the order's
 * e-mail and "Created at").
 */
function lostPurchase(orderMapped: boolean): string {
  const ownOrder = orderMapped ? ` AND (order_id IS NULL OR order_id NOT IN (SELECT order_id FROM staged WHERE reason IS NULL AND order_id IS NOT NULL))` : '';
  const ownDay = ` AND NOT EXISTS (SELECT 1 FROM staged kept WHERE kept.reason IS NULL AND kept.customer_id = staged.customer_id AND kept.day = staged.day)`;
  return `day IS NOT NULL${ownOrder}${ownDay}`;
}

/** Another reading of the column, and how many of the rejected rows it would parse (for a currency: how many rows it keeps). */
export interface RejectFix {
  dateFormat?: DateFormat;
  decimalSeparator?: DecimalSeparator;
  /** Keep this currency's rows instead ('all': every currency, added up as one). */
  currency?: string;
  parses: number;
}

export interface RejectGroup {
  reason: string;
  column: string;
  count: number;
  /** The first rejected rows: line (1 = first data row) and the value as written. */
  examples: { line: number; value: string | null }[];
  /** Readings that would parse some of these rows, most first; empty when none would. */
  fixes: RejectFix[];
  /** What the rows have in common, when that says the cause (e.g. numbers cut at a thousands separator). */
  note?: string;
  /** For rows in another currency: the currency whose rows were kept. */
  kept?: string;
  /** For rows in another currency: a column holding every row's amount converted to one currency, to map instead. */
  convertedAmount?: string;
}

export interface RejectionDetails {
  rows_read: number;
  limit_share: number;
  /** The limit of rows without an amount (MISSING_AMOUNT_LIMIT_SHARE); absent in details from before it. */
  missing_amount_limit_share?: number;
  date_window: DateWindow;
  groups: RejectGroup[];
}

const EXAMPLES = 5;

const count = (n: number) => n.toLocaleString('en-US');

function typeOf(samples: readonly ColumnSample[], name: string): string {
  return samples.find((c) => c.name === name)?.type ?? 'VARCHAR';
}

/** Rejected rows of some reasons (and, given `holds`, a condition on their staged values) joined back to the file's cells. */
function rejectedCells(raw: RawRelation, reasons: readonly string[], holds?: string): string {
  const also = holds ? ` AND (${holds})` : '';
  return `(SELECT r.* FROM (${raw.sql}) r SEMI JOIN (SELECT row_id FROM staged WHERE reason IN (${reasons.map((x) => literal(x)).join(', ')})${also}) s
           ON r.${ident(ROW_COLUMN)} = s.row_id)`;
}

async function examples(db: SqlDb, raw: RawRelation, reasons: readonly string[], column: string, holds?: string): Promise<RejectGroup['examples']> {
  const rows = await db.query(
    `SELECT ${ident(ROW_COLUMN)} AS line, CAST(${ident(column)} AS VARCHAR) AS value FROM ${rejectedCells(raw, reasons, holds)} ORDER BY line LIMIT ${EXAMPLES}`,
    raw.params,
  );
  return rows.map((r) => ({ line: Number(r.line), value: r.value === null || r.value === undefined ? null : String(r.value) }));
}

async function dateFixes(db: SqlDb, raw: RawRelation, reasons: readonly string[], column: string, type: string, current: DateFormat, window: DateWindow): Promise<RejectFix[]> {
  const alternatives = DATE_FORMATS.filter((f) => f !== current && f !== 'native');
  const inWindow = (f: DateFormat) => `(${dateSql(ident(column), type, f)}) BETWEEN DATE ${literal(window.first)} AND DATE ${literal(window.last)}`;
  const [row] = await db.query(
    `SELECT ${alternatives.map((f, i) => `count(*) FILTER (WHERE ${inWindow(f)}) AS f${i}`).join(', ')} FROM ${rejectedCells(raw, reasons)}`,
    raw.params,
  );
  return alternatives
    .map((f, i) => ({ dateFormat: f, parses: Number(row[`f${i}`]) }))
    .filter((f) => f.parses > 0)
    .sort((a, b) => b.parses - a.parses);
}

async function amountFixes(db: SqlDb, raw: RawRelation, column: string, type: string, current: DecimalSeparator): Promise<RejectFix[]> {
  if (isNumericType(type)) return [];
  const other: DecimalSeparator = current === '.' ? ',' : '.';
  const [row] = await db.query(
    `SELECT count(*) FILTER (WHERE ${amountSql(ident(column), type, other)} IS NOT NULL) AS n FROM ${rejectedCells(raw, [REJECT_REASONS.badAmount])}`,
    raw.params,
  );
  const parses = Number(row.n);
  return parses > 0 ? [{ decimalSeparator: other, parses }] : [];
}

/** Staged rows meeting `condition`. */
async function countStaged(db: SqlDb, condition: string): Promise<number> {
  const [row] = await db.query(`SELECT count(*) AS n FROM staged WHERE ${condition}`);
  return Number(row.n);
}

/** The rows left out for a missing date that hold money (MONEY_WITHOUT_DAY). */
async function moneyWithoutDay(db: SqlDb): Promise<number> {
  const [row] = await db.query(`SELECT count(*) AS n FROM staged WHERE reason = ${literal(REJECT_REASONS.missingDate)} AND ${MONEY_WITHOUT_DAY}`);
  return Number(row.n);
}

/**
 * The rows a mapping rejects for a parse reason (an unreadable or implausible date, an amount
 * that is not a number) or for a missing date on a row that holds money (MONEY_WITHOUT_DAY),
 * grouped by reason with examples and the readings that would parse them; null when they are at
 * most `REJECT_LIMIT_SHARE` of the rows. Missing ids and amounts are not counted.
 */
export async function excessRejections(
  db: SqlDb,
  raw: RawRelation,
  samples: readonly ColumnSample[],
  mapping: ColumnMapping,
  quality: QualityReport,
  window: DateWindow,
  extraFieldsNote: string | null = null,
): Promise<RejectionDetails | null> {
  const byReason = quality.rejected_by_reason;
  const dateRejects = (byReason[REJECT_REASONS.badDate] ?? 0) + (byReason[REJECT_REASONS.dateOutOfRange] ?? 0);
  const amountRejects = byReason[REJECT_REASONS.badAmount] ?? 0;
  // Rows with more fields than the header are rejected and counted; only when every such row is a
  // number cut the same way (a thousands separator) is it a reading to ask about.
  const splitRows = extraFieldsNote ? (byReason[REJECT_REASONS.extraFields] ?? 0) : 0;
  const limit = REJECT_LIMIT_SHARE * quality.rows_read;
  // Rows in a currency other than the one kept lose money like unreadable rows, unless the user chose the currency.
  const currencies = quality.currencies;
  const otherCurrency = currencies && !currencies.chosen ? (byReason[REJECT_REASONS.otherCurrency] ?? 0) : 0;
  const parseRejects = dateRejects + amountRejects + splitRows + otherCurrency;
  // The rows without a date are looked at (one scan of the staged rows) only when they could tip the balance.
  const withoutDay = byReason[REJECT_REASONS.missingDate] ?? 0;
  // Rows without an amount have a limit of their own (MISSING_AMOUNT_LIMIT_SHARE), looked at only when they could pass it.
  const missingLimit = MISSING_AMOUNT_LIMIT_SHARE * quality.rows_read;
  // A ledger's debit (or credit) column is blank on the rows written on its other side: no purchase lost.
  const ledgerSide = mapping.amount !== null && isLedgerSide(mapping.amount, samples.map((c) => c.name));
  const withoutAmount = !ledgerSide && (byReason[REJECT_REASONS.missingAmount] ?? 0) > missingLimit ? await countStaged(db, `reason = ${literal(REJECT_REASONS.missingAmount)} AND ${lostPurchase(mapping.order !== null)}`) : 0;
  const amountsLost = withoutAmount > missingLimit ? withoutAmount : 0;
  if (parseRejects + withoutDay <= limit && amountsLost === 0) return null;
  const moneyRows = withoutDay > 0 ? await moneyWithoutDay(db) : 0;
  if (parseRejects + moneyRows <= limit && amountsLost === 0) return null;
  const groups: RejectGroup[] = [];
  if (splitRows > 0) {
    // A row with more fields than the header was split where it should not be: which value belongs
    // where is unknown, so it is never read (the note says when a thousands separator is the cause).
    groups.push({
      reason: REJECT_REASONS.extraFields,
      column: EXTRA_FIELDS_LABEL,
      count: splitRows,
      examples: await examples(db, raw, [REJECT_REASONS.extraFields], EXTRA_COLUMN),
      fixes: [],
      ...(extraFieldsNote ? { note: extraFieldsNote } : {}),
    });
  }
  for (const reason of [REJECT_REASONS.badDate, REJECT_REASONS.dateOutOfRange]) {
    const n = byReason[reason] ?? 0;
    if (n === 0 || !mapping.date) continue;
    groups.push({
      reason,
      column: mapping.date,
      count: n,
      examples: await examples(db, raw, [reason], mapping.date),
      fixes: await dateFixes(db, raw, [reason], mapping.date, typeOf(samples, mapping.date), mapping.dateFormat, window),
    });
  }
  if (amountRejects > 0) {
    const column = mapping.amount ?? mapping.unitPrice ?? mapping.quantity!;
    groups.push({
      reason: REJECT_REASONS.badAmount,
      column,
      count: amountRejects,
      examples: await examples(db, raw, [REJECT_REASONS.badAmount], column),
      fixes: await amountFixes(db, raw, column, typeOf(samples, column), mapping.decimalSeparator),
    });
  }
  if (otherCurrency > 0 && currencies) {
    // Every other currency is a choice: keep it instead, or add them all up.
    const others = currencies.by_currency.filter((c) => c.currency !== currencies.kept);
    const fixes: RejectFix[] = [...others.map((c) => ({ currency: c.currency, parses: c.rows })), { currency: ALL_CURRENCIES, parses: otherCurrency }];
    const converted = convertedAmountColumn(samples, mapping.amount);
    const instead = converted ? `, map "${converted}" as the amount (the file's amounts converted to one currency)` : '';
    const note = `The amounts are in ${currencies.by_currency.length} currencies (${listCurrencies(currencies.by_currency)} rows) and sums across currencies mean nothing: only the ${currencies.kept} rows, the most common, would be kept. Keep another currency${instead}, add them all up as one if the amounts are already converted, or convert the file first.`;
    const reason = REJECT_REASONS.otherCurrency;
    groups.push({
      reason,
      column: currencies.column,
      count: otherCurrency,
      examples: await examples(db, raw, [reason], currencies.column),
      fixes,
      note,
      kept: currencies.kept,
      ...(converted ? { convertedAmount: converted } : {}),
    });
  }
  if (moneyRows > 0) {
    // No reading fills an empty cell: the fix is another column, or the file itself.
    const reason = REJECT_REASONS.missingDate;
    const note = `These rows hold an amount but no date in "${mapping.date}", so their spend would be lost.`;
    groups.push({ reason, column: mapping.date!, count: moneyRows, examples: await examples(db, raw, [reason], mapping.date!, MONEY_WITHOUT_DAY), fixes: [], note });
  }
  if (amountsLost > 0) {
    // No reading fills an empty cell: the amount is in another column, filled on every row.
    const reason = REJECT_REASONS.missingAmount;
    const column = mapping.amount ?? mapping.unitPrice ?? mapping.quantity!;
    const note = `These rows have a customer and a date but no amount in "${column}", and belong to no order or purchase kept: if the column is filled only on some rows (an adjusted or refunded total), choose the column that holds every row's amount.`;
    groups.push({ reason, column, count: amountsLost, examples: await examples(db, raw, [reason], column, lostPurchase(mapping.order !== null)), fixes: [], note });
  }
  return { rows_read: quality.rows_read, limit_share: REJECT_LIMIT_SHARE, missing_amount_limit_share: MISSING_AMOUNT_LIMIT_SHARE, date_window: window, groups };
}

function fixWords(fix: RejectFix): string {
  if (fix.dateFormat) return `reading the dates as ${describeDateFormat(fix.dateFormat)}`;
  return `reading "${fix.decimalSeparator}" as the decimal separator`;
}

/** One sentence per group, for the error message the app and the CLI show. */
export function describeRejections(details: RejectionDetails, mapping: ColumnMapping): string {
  const parts = details.groups.map((g) => {
    const share = ((100 * g.count) / details.rows_read).toFixed(1);
    if (g.reason === REJECT_REASONS.extraFields) {
      const example = g.examples[0] ? ` (line ${count(g.examples[0].line)}: a field "${g.examples[0].value ?? ''}" past the last column)` : '';
      return `${count(g.count)} of ${count(details.rows_read)} rows (${((100 * g.count) / details.rows_read).toFixed(1)}%) have more fields than the header${example}${g.note ? `. ${g.note}` : ''}`;
    }
    if (g.reason === REJECT_REASONS.otherCurrency) {
      const others = listCurrencies(g.fixes.filter((f) => f.currency && f.currency !== ALL_CURRENCIES).map((f) => ({ currency: f.currency!, rows: f.parses })));
      const instead = g.convertedAmount ? `, map "${g.convertedAmount}" (converted to one currency) as the amount` : '';
      return `${count(g.count)} of ${count(details.rows_read)} rows (${share}%) are in another currency than ${g.kept ?? 'the one kept'} in "${g.column}" (${others}); keep one currency${instead}, or add them all up as one`;
    }
    if (g.reason === REJECT_REASONS.missingAmount) {
      const first = g.examples[0] ? ` (line ${count(g.examples[0].line)})` : '';
      return `${count(g.count)} of ${count(details.rows_read)} rows (${share}%) have a customer and a date but no amount in "${g.column}"${first}, and belong to no order or purchase kept: if it is filled only on some rows, choose the column that holds every row's amount`;
    }
    const isMissing = g.reason === REJECT_REASONS.missingDate;
    const what = isMissing
      ? `no date in "${g.column}" but an amount`
      : g.reason === REJECT_REASONS.badAmount
        ? `an amount in "${g.column}" that is not a number`
        : g.reason === REJECT_REASONS.dateOutOfRange
          ? `a date in "${g.column}" outside ${details.date_window.first} – ${details.date_window.last}`
          : `a date in "${g.column}" that cannot be read as ${describeDateFormat(mapping.dateFormat)}`;
    const first = g.examples[0];
    const example = !first ? '' : isMissing ? ` (line ${count(first.line)})` : ` (line ${count(first.line)}: "${first.value ?? ''}")`;
    const fix = g.fixes[0] ? `; ${fixWords(g.fixes[0])} parses ${count(g.fixes[0].parses)} of them` : '';
    return `${count(g.count)} of ${count(details.rows_read)} rows (${share}%) have ${what}${example}${fix}`;
  });
  return `${parts.join('. ')}. No table was built: change the mapping, or choose to load without these rows.`;
}

export function tooManyRejects(details: RejectionDetails, mapping: ColumnMapping): ClvError {
  return new ClvError('TOO_MANY_REJECTS', describeRejections(details, mapping), details as unknown as Record<string, unknown>);
}
