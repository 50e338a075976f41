/** How money is written: which character is the decimal separator. */
export type DecimalSeparator = '.' | ',';

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL|REAL)/i;

export function isNumericType(columnType: string): boolean {
  return NUMERIC_TYPE.test(columnType);
}

/**
 * A value is money when it is digits with separators, optionally a sign or parentheses, and at
 * most a short currency marker before or after ("$1,234.50", "1.234,50 €", "(12.00)", "EUR 5").
 * A minus may also trail the number, as SAP and many bank and mainframe exports write credits
 * ("1.000,64-").
 */
const MONEY = /^\(?[-+]?\s*[^\d\s.,()+-]{0,4}\s*[-+]?\d[\d.,' ]*\s*[^\d\s.,()+-]{0,4}-?\)?$/;

export function looksLikeMoney(value: string): boolean {
  return MONEY.test(value.trim());
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
  const negative = `(${v} LIKE '%-%' OR (${v} LIKE '(%' AND ${v} LIKE '%)'))`;
  return `CASE WHEN regexp_full_match(${v}, '${MONEY.source.replaceAll("'", "''")}') THEN (CASE WHEN ${negative} THEN -1 ELSE 1 END) * try_cast(${normalised} AS DOUBLE) END`;
}
