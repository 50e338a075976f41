import { csvCell } from './csv';
import { ident, num } from './sql';

/** A result column as DESCRIBE names it. */
export interface DescribedColumn {
  name: string;
  type: string;
}

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const FRACTIONAL = /^(FLOAT|REAL|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/;

/** What String.prototype.trim removes (white space and line terminators), as an RE2 class. */
const JS_WHITE_SPACE = '[\\t\\n\\v\\f\\r\\x{FEFF}\\x{2028}\\x{2029}\\p{Zs}]';

/** Doubles below this size with no fraction are written in full; csvCell writes every integer so. */
const WHOLE_NUMBER_LIMIT = 1e18;

/**
 * One cell written the way csvCell (csv.ts) writes it, as DuckDB SQL: integers as they are, other
 * numbers with 15 significant digits at most (%.15g: the same value csvNumber writes, with C's
 * exponent form 1.5e-07 where JavaScript writes 1.5e-7), non-finite numbers and NULL empty,
 * booleans as true/false, text behind an apostrophe when a spreadsheet would run it as a formula
 * and quoted when it holds a quote, comma or line break or starts or ends with white space. Other
 * types are written as text.
 */
export function csvCellSql(column: DescribedColumn): string {
  const x = ident(column.name);
  const type = column.type.toUpperCase();
  if (INTEGER.test(type) || type === 'BOOLEAN') return `coalesce(CAST(${x} AS VARCHAR), '')`;
  if (FRACTIONAL.test(type)) {
    const d = `CAST(${x} AS DOUBLE)`;
    return `CASE WHEN ${d} IS NULL OR NOT isfinite(${d}) THEN ''
                 WHEN ${d} = trunc(${d}) AND abs(${d}) < ${num(WHOLE_NUMBER_LIMIT)} THEN CAST(CAST(${d} AS BIGINT) AS VARCHAR)
                 ELSE format('{:.15g}', ${d}) END`;
  }
  const text = `CAST(${x} AS VARCHAR)`;
  const safe = `CASE WHEN regexp_matches(${text}, '^[=+\\-@\\t\\r]') THEN '''' || ${text} ELSE ${text} END`;
  return `CASE WHEN ${x} IS NULL THEN ''
               WHEN regexp_matches(${safe}, '["\\n\\r,]|^${JS_WHITE_SPACE}|${JS_WHITE_SPACE}$') THEN '"' || replace(${safe}, '"', '""') || '"'
               ELSE ${safe} END`;
}

/** The header line csvCell writes for these columns. */
export function csvHeader(columns: readonly DescribedColumn[]): string {
  return columns.map((c) => csvCell(c.name)).join(',');
}

/**
 * A query's rows as CSV lines, one VARCHAR column named by the header line: what toCsv writes for
 * the same rows, built by DuckDB so that a table of any size is written by COPY (with quoting off:
 * the lines are already quoted) without coming into JavaScript.
 */
export function csvLinesSql(sql: string, columns: readonly DescribedColumn[]): string {
  return `SELECT concat(${columns.map(csvCellSql).join(", ',', ")}) AS ${ident(csvHeader(columns))} FROM (${sql})`;
}
