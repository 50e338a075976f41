import type { SqlDb } from '../db';
import { ident, literal } from '../sql';
import type { RawRelation } from '../source/rawRelation';
import { isNumericType } from './amountFormat';
import { readsDebitAndCredit, type ColumnMapping, type ColumnSample, type MappingDecision } from './roles';

/**
 * Day and month of a `d/m/y`-or-`m/d/y` value (separators / . -), as two integers; NULL for any
 * other shape. The same shapes `detectDateFormat` calls day/month.
 */
const DAY_MONTH_SQL = '^\\s*(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4}|\\d{2})(\\s|,|$)';

/**
 * Money written with a decimal comma ("12,5", "1.234,50", "0,99") or with a decimal point
 * ("12.5", "1,234.50", "0.99"). A lone group of three ("1,234" or "1.234") says nothing, as in
 * `detectDecimalSeparator`.
 */
const COMMA_DECIMAL_SQL = '^[^0-9]*[-+(]?[^0-9]*([0-9]{1,3}([. \']?[0-9]{3})*|[0-9]+),([0-9]{1,2}|[0-9]{4,})[^0-9]*$|\\.[0-9]{3},[0-9]|^[^0-9]*[-+(]?[^0-9]*(0|[0-9]{4,}),[0-9]{3}[^0-9]*$|^[^0-9]*[-+(]?[^0-9]*[0-9]{1,3}(\\.[0-9]{3}){2,}[^0-9]*$';
const POINT_DECIMAL_SQL = '^[^0-9]*[-+(]?[^0-9]*([0-9]{1,3}([, \']?[0-9]{3})*|[0-9]+)\\.([0-9]{1,2}|[0-9]{4,})[^0-9]*$|,[0-9]{3}\\.[0-9]|^[^0-9]*[-+(]?[^0-9]*(0|[0-9]{4,})\\.[0-9]{3}[^0-9]*$|^[^0-9]*[-+(]?[^0-9]*[0-9]{1,3}(,[0-9]{3}){2,}[^0-9]*$';

/**
 * Whole numbers with one group of three after one separator ("26.956"; two groups, "1.234.567",
 * can only be thousands and count as evidence above):
 * read as thousands they are 26956; read with that separator as the decimal one, 26.956. The last
 * alternatives of the evidence above count the three-digit forms only one reading parses: a
 * leading 0 ("0.125") or four digits before the separator ("1234.567"), which grouping never
 * writes, and two or more groups.
 */
const POINT_GROUPED_SQL = '^[^0-9]*[-+(]?[^0-9]*[1-9][0-9]{0,2}\\.[0-9]{3}[^0-9]*$';
const COMMA_GROUPED_SQL = '^[^0-9]*[-+(]?[^0-9]*[1-9][0-9]{0,2},[0-9]{3}[^0-9]*$';

function typeOf(samples: readonly ColumnSample[], name: string): string {
  return samples.find((c) => c.name === name)?.type ?? 'VARCHAR';
}

/**
 * Day-first vs month-first over every value of the date column: values whose first number is
 * above 12 can only be day-first, values whose second is above 12 only month-first. One reading
 * with evidence and none against it settles the order; evidence both ways picks the larger (the
 * rejection guard then reports the rest); none either way leaves the question to the user.
 */
async function settleDayMonth(db: SqlDb, raw: RawRelation, column: string): Promise<MappingDecision> {
  const v = `CAST(${ident(column)} AS VARCHAR)`;
  const [row] = await db.query(
    `SELECT count(*) FILTER (WHERE a > 12 AND b <= 12) AS dmy, count(*) FILTER (WHERE b > 12 AND a <= 12) AS mdy,
            count(*) FILTER (WHERE a <= 12 AND b <= 12) AS either
     FROM (SELECT try_cast(regexp_extract(${v}, ${literal(DAY_MONTH_SQL)}, 1) AS INTEGER) AS a,
                  try_cast(regexp_extract(${v}, ${literal(DAY_MONTH_SQL)}, 2) AS INTEGER) AS b
           FROM (${raw.sql}))`,
    raw.params,
  );
  const dmy = Number(row.dmy);
  const mdy = Number(row.mdy);
  const chosen = dmy === 0 && mdy === 0 ? null : dmy >= mdy ? 'dmy' : 'mdy';
  return { setting: 'dateFormat', column, chosen, evidence: { dmy, mdy }, undecided: Number(row.either) };
}

/** Decimal comma vs decimal point over every value of a text money column. */
async function settleDecimal(db: SqlDb, raw: RawRelation, column: string, fallback: '.' | ','): Promise<MappingDecision> {
  const v = `trim(CAST(${ident(column)} AS VARCHAR))`;
  const [row] = await db.query(
    `SELECT count(*) FILTER (WHERE regexp_matches(${v}, ${literal(COMMA_DECIMAL_SQL)})) AS comma,
            count(*) FILTER (WHERE regexp_matches(${v}, ${literal(POINT_DECIMAL_SQL)})) AS point,
            count(*) FILTER (WHERE regexp_matches(${v}, ${literal(POINT_GROUPED_SQL)})) AS point_grouped,
            count(*) FILTER (WHERE regexp_matches(${v}, ${literal(COMMA_GROUPED_SQL)})) AS comma_grouped,
            count(${v}) AS n
     FROM (${raw.sql})`,
    raw.params,
  );
  const comma = Number(row.comma);
  const point = Number(row.point);
  const pointGrouped = Number(row.point_grouped);
  const commaGrouped = Number(row.comma_grouped);
  const evidence = { ',': comma, '.': point, 'grouped by "."': pointGrouped, 'grouped by ","': commaGrouped };
  const undecided = Number(row.n) - comma - point;
  if (comma > 0 || point > 0) return { setting: 'decimalSeparator', column, chosen: comma > point ? ',' : '.', evidence, undecided };
  // Nothing settles it. "1,234" alone reads as thousands (three decimals after a decimal comma are
  // rare); "1.234" alone is as often thousands (whole euros, rupiah) as three decimals after a
  // point (dinars, prices per litre), so the user is asked. Integers alone read the same either way.
  const chosen = pointGrouped > 0 && commaGrouped === 0 ? null : commaGrouped > 0 && pointGrouped === 0 ? '.' : fallback;
  return { setting: 'decimalSeparator', column, chosen, evidence, undecided };
}

/** Whether the sample's values left the decimal separator open: no value with a decimal part. */
function decimalOpen(sample: ColumnSample | undefined): boolean {
  if (!sample || isNumericType(sample.type)) return false;
  return !sample.values.some((raw) => {
    const v = raw.replace(/[^\d.,]/g, '');
    return /[.,]\d{1,2}$/.test(v) || /[.,]\d{4,}$/.test(v) || /\.\d{3},|,\d{3}\./.test(v);
  });
}

/** SQL: the column holds a number other than zero (blank, "0", "0.00", "-" are not). */
function filledMoney(column: string): string {
  return `regexp_matches(CAST(${ident(column)} AS VARCHAR), '[1-9]')`;
}

/**
 * Which of a ledger's two sides (readsDebitAndCredit) is the sale, over the whole file: the side
 * with more rows. Sales outnumber what goes back both in a customer's ledger (debits: invoices;
 * credits: credit notes and payments, never more than what was invoiced) and in a merchant's
 * settlement report, written from the other side (Adyen's Gross Credit: settled payments; Gross
 * Debit: refunds and chargebacks). The guess took the debit side; where the credit side holds more
 * rows, the two swap.
 */
async function settleLedgerSide(db: SqlDb, raw: RawRelation, amount: string, refund: string): Promise<MappingDecision> {
  const [row] = await db.query(`SELECT count(*) FILTER (WHERE ${filledMoney(amount)}) AS amount, count(*) FILTER (WHERE ${filledMoney(refund)}) AS refund FROM (${raw.sql})`, raw.params);
  const onAmount = Number(row.amount);
  const onRefund = Number(row.refund);
  return { setting: 'ledgerSide', column: amount, chosen: onRefund > onAmount ? refund : amount, evidence: { [amount]: onAmount, [refund]: onRefund }, undecided: 0 };
}

/**
 * The guessed mapping with every reading the sample left open settled from the whole file:
 * day-first vs month-first dates and the decimal separator of text money columns. Each pass is one
 * scan of the file, run only when the sample was undecided.
 */
export async function settleFromWholeFile(db: SqlDb, raw: RawRelation, samples: readonly ColumnSample[], mapping: ColumnMapping): Promise<ColumnMapping> {
  const decisions: MappingDecision[] = [];
  let next: ColumnMapping = { ...mapping };
  if (mapping.date && mapping.dateFormatAmbiguous && (mapping.dateFormat === 'dmy' || mapping.dateFormat === 'mdy')) {
    const d = await settleDayMonth(db, raw, mapping.date);
    decisions.push(d);
    if (d.chosen) next = { ...next, dateFormat: d.chosen as 'dmy' | 'mdy', dateFormatAmbiguous: false };
  }
  if (mapping.amount && mapping.refund && readsDebitAndCredit(mapping)) {
    const d = await settleLedgerSide(db, raw, mapping.amount, mapping.refund);
    decisions.push(d);
    if (d.chosen !== mapping.amount) next = { ...next, amount: mapping.refund, refund: mapping.amount };
  }
  const money = next.amount ?? next.unitPrice;
  if (money && decimalOpen(samples.find((c) => c.name === money)) && !isNumericType(typeOf(samples, money))) {
    const d = await settleDecimal(db, raw, money, mapping.decimalSeparator);
    decisions.push(d);
    next = d.chosen === null ? { ...next, decimalSeparatorAmbiguous: true } : { ...next, decimalSeparator: d.chosen as '.' | ',' };
  }
  return decisions.length === 0 ? next : { ...next, decisions: [...(mapping.decisions ?? []), ...decisions] };
}
