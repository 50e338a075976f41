/**
 * The currencies a file's amounts are written in, and which of them a load keeps.
 *
 * Amounts in different currencies cannot be added: a customer who paid ¥15,000 is not a hundred
 * times one who paid $150. Where a row's currency is known — from a mapped currency column
 * (PayPal's and Stripe's "Currency") or, without one, from the mark written with the amount
 * ("$12.00", "12,50 €", "EUR 5") — the rows of the most common currency are kept and the others
 * are left out as `another currency`: counted, written to rejected.csv, and, above the rejection
 * guard's 1% (rejectionGuard.ts), not left out without the user's say-so. The user may keep another
 * currency, or add them all up as one (amounts already converted, or "$" and "USD" written for the
 * same money). Rows with no currency written (a plain "12.50" beside "$12.50") are kept.
 */
import type { SqlDb } from '../db';
import { ClvError } from '../errors';
import { OTHER_MINUS_SIGNS, isNumericType } from '../mapping/amountFormat';
import { normalisedName } from '../mapping/columnNames';
import type { ColumnMapping, ColumnSample } from '../mapping/roles';
import { ident, literal } from '../sql';

/** Every currency kept and added up as one. */
export const ALL_CURRENCIES = 'all';

/** The staged column holding each row's currency (NULL where none is written). */
export const CURRENCY_COLUMN = 'currency';

/**
 * Marks that name one currency only, as the ISO code they stand for, so "12,50 €" and "EUR 5" agree.
 * "$", "¥" and "kr" stand for several currencies and stay as written.
 */
const MARK_CODES: Record<string, string> = {
  '€': 'EUR',
  '£': 'GBP',
  '₹': 'INR',
  '₩': 'KRW',
  '₽': 'RUB',
  '₺': 'TRY',
  '₪': 'ILS',
  '₫': 'VND',
  '₱': 'PHP',
  '฿': 'THB',
  '₴': 'UAH',
  '₦': 'NGN',
  'ZŁ': 'PLN',
  'KČ': 'CZK',
  R$: 'BRL',
  US$: 'USD',
  C$: 'CAD',
  CA$: 'CAD',
  A$: 'AUD',
  AU$: 'AUD',
  NZ$: 'NZD',
  HK$: 'HKD',
  S$: 'SGD',
  MX$: 'MXN',
};

/** Written beside amounts by ledgers for credit and debit: a sign, not a currency. */
const NOT_CURRENCIES = ['CR', 'DR'];

/** Where a file's rows say their currency: a currency column, or the marks in the amount's text. */
export interface CurrencySource {
  column: string;
  kind: 'column' | 'mark';
}

/** The currency column when one is mapped; else the amount (or unit price) column when it is text (a number column has no marks); else none. */
export function currencySource(mapping: ColumnMapping, columns: readonly ColumnSample[]): CurrencySource | null {
  const money = mapping.amount ?? mapping.unitPrice;
  if (money && isConverted(money)) {
    // A converted amount (Stripe's "Converted Amount") is in the account's currency: its own
    // currency column says which ("Converted Currency"), not the charge's "Currency".
    const converted = columns.find((c) => c.name !== money && isConverted(c.name) && /currency/.test(normalisedName(c.name)));
    return converted ? { column: converted.name, kind: 'column' } : null;
  }
  if (mapping.currency && columns.some((c) => c.name === mapping.currency)) return { column: mapping.currency, kind: 'column' };
  const type = columns.find((c) => c.name === money)?.type;
  if (!money || !type || isNumericType(type)) return null;
  return { column: money, kind: 'mark' };
}

const isConverted = (name: string) => /(^|_)converted(_|$)/.test(normalisedName(name));

/**
 * A column of amounts converted to one currency (Stripe's "Converted Amount", "Amount (converted)"),
 * other than `amount`: what to map instead when the rows are in several currencies.
 */
export function convertedAmountColumn(columns: readonly ColumnSample[], amount: string | null): string | null {
  return columns.find((c) => c.name !== amount && isConverted(c.name) && /amount|total|gross|value/.test(normalisedName(c.name)) && !/refund|fee/.test(normalisedName(c.name)))?.name ?? null;
}

const OTHER_MINUS = new RegExp(`[${OTHER_MINUS_SIGNS}]`, 'g');

/** A code or mark as the load compares it: upper case, a one-currency mark as its ISO code. */
export function normalisedCurrency(written: string): string {
  const upper = written.replace(OTHER_MINUS, '').trim().toUpperCase();
  return MARK_CODES[upper] ?? upper;
}

/** The currency a row's written mark or code stands for; null for none (empty, or a ledger's CR/DR). */
export function currencyOfMark(written: string | null): string | null {
  if (written === null) return null;
  const currency = normalisedCurrency(written);
  return currency === '' || NOT_CURRENCIES.includes(currency) ? null : currency;
}

/**
 * What an amount may hold besides its mark: digits, separators, signs, parentheses and spaces (the
 * no-break and thin ones too). The other minus signs amountFormat reads are taken off the few
 * distinct marks afterwards (normalisedCurrency): each character here costs on every row.
 */
const NOT_MARK = "0123456789.,()+-'’ \t\u00a0\u202f\u2009";

/**
 * SQL for the currency a row writes, as written (NULL where none): the currency column's value,
 * or what an amount has besides its number. A value that is a plain number is not looked into.
 * Per row this is one cast and one character mapping (no regular expression); the few distinct
 * marks are read as currencies afterwards (currencyOfMark).
 */
export function rowCurrencySql(source: CurrencySource): string {
  const v = `CAST(${ident(source.column)} AS VARCHAR)`;
  if (source.kind === 'column') return `NULLIF(trim(${v}), '')`;
  return `CASE WHEN try_cast(${v} AS DOUBLE) IS NULL THEN NULLIF(translate(${v}, ${literal(NOT_MARK)}, ''), '') END`;
}

/** Rows per currency among the rows that would be kept, most first. */
export interface CurrencyCount {
  currency: string;
  rows: number;
}

/** What the load found and kept; in the quality report as `currencies`. */
export interface CurrencyReport {
  /** The column the currencies were read from (a currency column, or the amount's marks). */
  column: string;
  source: CurrencySource['kind'];
  by_currency: CurrencyCount[];
  /** The currency whose rows were kept, or 'all'. */
  kept: string;
  /** Whether the user chose `kept` (then the rows of other currencies are left out on their say-so). */
  chosen: boolean;
  /** Rows left out as another currency. */
  rows_left_out: number;
}

/** The reason rows of a currency other than the kept one are left out with. */
export const OTHER_CURRENCY = 'another currency';

const count = (n: number) => n.toLocaleString('en-US');

/** "USD 1,520, EUR 740" */
export function listCurrencies(counts: readonly CurrencyCount[]): string {
  return counts.map((c) => `${c.currency} ${count(c.rows)}`).join(', ');
}

/**
 * Reads the currencies of the staged rows (valid rows only) and leaves out those of any currency
 * but the kept one: `choice` (a code or mark as written, or 'all'), else the most common. Null when
 * no row has a currency. An unknown `choice` is an error that lists the file's currencies.
 */
export async function settleCurrencies(db: SqlDb, source: CurrencySource | null, choice?: string): Promise<CurrencyReport | null> {
  if (!source) {
    if (choice !== undefined && choice !== ALL_CURRENCIES) {
      throw new ClvError('UNKNOWN_CURRENCY', `No currency is written in this file (no currency column, and the amounts carry no currency mark), so there is no currency "${choice}" to keep. Leave out the currency choice.`);
    }
    return null;
  }
  const column = ident(CURRENCY_COLUMN);
  const written = await db.query(`SELECT ${column} AS written, count(*) AS n FROM staged WHERE reason IS NULL AND ${column} IS NOT NULL GROUP BY 1`);
  // The few distinct marks as written ("€", "eur", "EUR") become currencies here.
  const rows = new Map<string, number>();
  const writtenAs = new Map<string, string[]>();
  for (const r of written) {
    const currency = currencyOfMark(String(r.written));
    if (currency === null) continue;
    rows.set(currency, (rows.get(currency) ?? 0) + Number(r.n));
    writtenAs.set(currency, [...(writtenAs.get(currency) ?? []), String(r.written)]);
  }
  const byCurrency = [...rows].map(([currency, n]) => ({ currency, rows: n })).sort((a, b) => b.rows - a.rows || (a.currency < b.currency ? -1 : 1));
  if (byCurrency.length === 0 && choice === undefined) return null;
  const wanted = choice === undefined || choice === ALL_CURRENCIES ? choice : normalisedCurrency(choice);
  if (wanted !== undefined && wanted !== ALL_CURRENCIES && !rows.has(wanted)) {
    const present = byCurrency.length > 0 ? `The rows are in ${listCurrencies(byCurrency)}` : `No row has a currency in "${source.column}"`;
    throw new ClvError('UNKNOWN_CURRENCY', `No row is in the currency "${choice}". ${present}: keep one of those, or all of them added up as one.`);
  }
  const kept = wanted ?? byCurrency[0].currency;
  let leftOut = 0;
  if (kept !== ALL_CURRENCIES && byCurrency.length > 1) {
    leftOut = byCurrency.filter((c) => c.currency !== kept).reduce((s, c) => s + c.rows, 0);
    const others = byCurrency.filter((c) => c.currency !== kept).flatMap((c) => writtenAs.get(c.currency) ?? []);
    await db.exec(`UPDATE staged SET reason = ${literal(OTHER_CURRENCY)} WHERE reason IS NULL AND ${column} IN (${others.map((w) => literal(w)).join(', ')})`);
  }
  return { column: source.column, source: source.kind, by_currency: byCurrency, kept, chosen: choice !== undefined, rows_left_out: leftOut };
}

/** The quality warning for a file with several currencies, or null for one. */
export function currencyWarning(report: CurrencyReport): string | null {
  if (report.by_currency.length < 2) return null;
  const list = listCurrencies(report.by_currency);
  if (report.kept === ALL_CURRENCIES) return `The amounts are in ${report.by_currency.length} currencies (${list} rows), added up as one, as asked: totals mix currencies unless the amounts were converted.`;
  const how = report.chosen ? 'as asked' : 'the most common';
  return `The amounts are in ${report.by_currency.length} currencies (${list} rows): only the ${report.kept} rows were kept (${how}); ${count(report.rows_left_out)} rows in other currencies were left out, since sums across currencies mean nothing.`;
}
