import type { SqlDb, SqlValue } from '../db';
import { ident } from '../sql';
import type { TextColumns } from './importedTable';

/**
 * Shopify's bulk operation results (GraphQL Admin API) are JSON lines in which nested connections
 * are flattened: each order is a line, and each of its line items a line of its own that names the
 * order in `__parentId`. Those lines are parts of the order they name, not transactions: read as
 * rows they leave the customer, date and amount blank on most rows, and the role guesser takes the
 * row's own `id` for the customer. Both readers (importedTable's JSON in JavaScript, native DuckDB's
 * read_json) keep only the rows without it, and count the others for the quality report.
 */
export const PARENT_ID = '__parentId';

/** Whether a row's PARENT_ID names a parent (blank is no parent). */
export function namesParent(value: string | null | undefined): boolean {
  return value !== null && value !== undefined && value.trim() !== '';
}

const FILLED = `nullif(trim(CAST(${ident(PARENT_ID)} AS VARCHAR)), '') IS NOT NULL`;

/** The top-level rows of a numbered relation that still holds PARENT_ID, without it (row numbers stay the file's). */
export function topLevelRows(numbered: string): string {
  return `SELECT * EXCLUDE (${ident(PARENT_ID)}) FROM (${numbered}) WHERE NOT (${FILLED})`;
}

/**
 * JSON read in JavaScript: the count of nested rows, and the columns without those that only
 * nested rows fill (a line item's sku and quantity would otherwise be offered as the orders'
 * own); PARENT_ID stays, for topLevelRows. Null when no row names a parent.
 */
export function nestedColumns(table: TextColumns): { table: TextColumns; nestedRows: number } | null {
  const at = table.names.indexOf(PARENT_ID);
  if (at < 0) return null;
  const nested = table.columns[at].map(namesParent);
  const nestedRows = nested.filter(Boolean).length;
  if (nestedRows === 0) return null;
  const kept = table.names.map((name, j) => name === PARENT_ID || table.columns[j].some((v, i) => v !== null && !nested[i]));
  return {
    table: { ...table, names: table.names.filter((_, j) => kept[j]), columns: table.columns.filter((_, j) => kept[j]) },
    nestedRows,
  };
}

/**
 * Native DuckDB: the count of nested rows over the whole file, and which columns (given as SQL over
 * the reader's rows) some top-level row fills, in one scan. Null when no row names a parent.
 */
export async function nestedColumnsNative(db: SqlDb, reader: string, params: SqlValue[], columns: readonly { sql: string }[]): Promise<{ filled: boolean[]; nestedRows: number } | null> {
  const counts = columns.map((c, j) => `count(${c.sql}) FILTER (WHERE NOT (${FILLED})) AS ${ident(`c${j}`)}`);
  const [row] = await db.query(`SELECT count(*) FILTER (WHERE ${FILLED}) AS nested, ${counts.join(', ')} FROM ${reader}`, params);
  const nestedRows = Number(row.nested);
  if (nestedRows === 0) return null;
  return { filled: columns.map((_, j) => Number(row[`c${j}`]) > 0), nestedRows };
}
