/** How money is written: which character is the decimal separator. */
export type DecimalSeparator = '.' | ',';

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL|REAL)/i;

export function isNumericType(columnType: string): boolean {
  return NUMERIC_TYPE.test(columnType);
}

/**
 * Minus signs other than the hyphen-minus: the typographic minus (U+2212, which Apple Numbers,
 * typeset reports and several locales write), the en and figure dashes used as one, and the small
 * and full-width hyphen-minus. Read as a minus, never as a currency mark.
 */
export const OTHER_MINUS_SIGNS = '\u2212\u2013\u2012\ufe63\uff0d';
const MINUS = `[-${OTHER_MINUS_SIGNS}]`;
const SIGN = `[-+${OTHER_MINUS_SIGNS}]`;

/**
 * Spaces as exports write them between a number and its mark or inside it as a thousands
 * separator: the no-break space (U+00A0, Excel in French and other locales), the narrow no-break
 * space (U+202F, French since Windows 10 and macOS), the thin and figure spaces; a typographic apostrophe (U+2019) groups thousands as the Swiss
 * apostrophe does. Written out
 * because DuckDB's regular expressions (RE2) read `\s` as ASCII spaces only.
 */
const SPACES = '\\s\u00a0\u202f\u2009\u2007';
const GAP = `[${SPACES}]*`;

/** A currency mark or code written with an amount: up to four characters that are not digits, separators, signs or parentheses. */
const MARK = `[^\\d${SPACES}.,()+${OTHER_MINUS_SIGNS}-]`;

/**
 * A value is money when it is digits with separators, optionally a sign or parentheses, and at
 * most a short currency marker before or after ("$1,234.50", "1.234,50 €", "(12.00)", "EUR 5").
 * A minus may also trail the number, as SAP and many bank and mainframe exports write credits
 * ("1.000,64-"). The mark may stand outside the parentheses, as Excel's Accounting format and
 * accounting packages write a negative amount ("$ (125.89)", "(12,50) €").
 */
const MONEY = new RegExp(`^(${MARK}{1,4}${GAP}\\(|\\(?)${SIGN}?${GAP}${MARK}{0,4}${GAP}${SIGN}?\\d[\\d.,' \u2019${SPACES}]*${GAP}${MARK}{0,4}${MINUS}?(\\)${GAP}${MARK}{1,4}|\\)?)$`);

/**
 * Zero as Excel's Accounting format and accounting packages write it: a dash beside a currency
 * mark ("$ -", "€ -", "- €"). A dash alone is not read as zero: many exports write it for "none".
 */
const ACCOUNTING_ZERO = new RegExp(`^(${MARK}{1,4}${GAP}${MINUS}|${MINUS}${GAP}${MARK}{1,4})$`);

export function looksLikeMoney(value: string): boolean {
  const v = value.trim();
  return MONEY.test(v) || ACCOUNTING_ZERO.test(v);
}

/**
 * Decimal comma when some value has a comma followed by other than exactly three digits at its
 * end ("12,5"), or a dot before a later comma ("1.234,50"). "1,234" alone reads as thousands.
 */
export function detectDecimalSeparator(samples: readonly string[]): DecimalSeparator {
  let commaVotes = 0;
  let dotVotes = 0;
  for (const raw of samples) {
    const v = raw.replace(/[^\d.,]/g, '');
    const lastComma = v.lastIndexOf(',');
    const lastDot = v.lastIndexOf('.');
    if (lastComma >= 0 && lastDot >= 0) {
      if (lastComma > lastDot) commaVotes++;
      else dotVotes++;
    } else if (lastComma >= 0) {
      if (/^\d{1,3}(,\d{3}){2,}$/.test(v)) dotVotes++;
      else if (!/^\d{1,3},\d{3}$/.test(v)) commaVotes++;
    } else if (lastDot >= 0) {
      if (/^\d{1,3}(\.\d{3}){2,}$/.test(v)) commaVotes++;
      else if (!/^\d{1,3}\.\d{3}$/.test(v)) dotVotes++;
    }
  }
  return commaVotes > dotVotes ? ',' : '.';
}

/** SQL turning the column into a DOUBLE, NULL where the value is not money. */
export function amountSql(column: string, columnType: string, decimal: DecimalSeparator): string {
  if (isNumericType(columnType)) return `CAST(${column} AS DOUBLE)`;
  const v = `trim(CAST(${column} AS VARCHAR))`;
  const digits = `regexp_replace(${v}, '[^0-9.,]', '', 'g')`;
  const normalised =
    decimal === '.' ? `replace(${digits}, ',', '')` : `replace(replace(${digits}, '.', ''), ',', '.')`;
  const minus = ['-', ...OTHER_MINUS_SIGNS].map((m) => `${v} LIKE '%${m}%'`).join(' OR ');
  const negative = `(${minus} OR (${v} LIKE '%(%' AND ${v} LIKE '%)%'))`;
  const sqlPattern = (re: RegExp) => re.source.replaceAll("'", "''");
  return `CASE WHEN regexp_full_match(${v}, '${sqlPattern(MONEY)}') THEN (CASE WHEN ${negative} THEN -1 ELSE 1 END) * try_cast(${normalised} AS DOUBLE)
               WHEN regexp_full_match(${v}, '${sqlPattern(ACCOUNTING_ZERO)}') THEN 0 END`;
}
