import { ClvError } from '../errors';
import type { SqlDb } from '../db';
import { ident, literal } from '../sql';
import type { FileKind } from './fileKind';
import { nestedColumnsNative, PARENT_ID, topLevelRows } from './nestedRows';
import type { RawRelation } from './rawRelationShape';

/** rawRelation's names (passed in, so that neither file imports the other's values). */
export interface RelationNames {
  rowColumn: string;
  extraColumn: string;
  maxColumns: number;
}

/** Rows read for the sample (DESCRIBE and the first rows) without numbering the whole input. */
const SAMPLE_ROWS = 2000;

/** Column types that are not one value per cell: a wrapper or nested records, not a transaction table. */
const NESTED_TYPE = /^(STRUCT|MAP|UNION)|\[\]$|\[\d+\]$/i;

/** Objects nested this many levels inside a row are spread into columns of their own (as in importedTable.ts). */
const FLATTEN_DEPTH = 3;

/** A path that names several files (a glob) rather than one. */
export function isGlob(path: string): boolean {
  return /[*?[]/.test(path);
}

/**
 * Parquet or JSON (a file or a glob of files) read by DuckDB's own readers, as native DuckDB has
 * them: columns keep their types (dates stay dates, amounts numbers), files are combined by column
 * name, and nothing is copied into JavaScript. DuckDB-WASM here has neither reader (see rawRelation).
 */
export async function nativeRelation(db: SqlDb, path: string, kind: Extract<FileKind, { kind: 'parquet' | 'json' }>, fileName: string, names: RelationNames): Promise<RawRelation> {
  const { rowColumn: ROW_COLUMN, extraColumn: EXTRA_COLUMN, maxColumns: MAX_FILE_COLUMNS } = names;
  const compression = kind.kind === 'json' && kind.compression === 'gzip' ? 'gzip' : 'auto_detect';
  const reader = kind.kind === 'parquet' ? `read_parquet(?, union_by_name=true)` : `read_json(?, format='auto', union_by_name=true, compression=${literal(compression)})`;
  const numbered = (source: string) => `SELECT row_number() OVER () AS ${ident(ROW_COLUMN)}, *, CAST(NULL AS VARCHAR) AS ${ident(EXTRA_COLUMN)} FROM ${source}`;
  const sampleSql = numbered(`(SELECT * FROM ${reader} LIMIT ${SAMPLE_ROWS})`);
  const describe = async (select: string) => (await db.query(`DESCRIBE SELECT ${select} FROM ${reader}`, [path])).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  // Objects nested in a row (STRUCT columns: Shopify's customer {id, email, orders_count}) are
  // spread into dotted columns, as the in-browser JSON and Parquet readers do (importedTable.ts).
  const columns: { name: string; type: string; sql: string }[] = [];
  const spread = async (fields: { name: string; type: string }[], prefix: string, path: string, depth: number): Promise<void> => {
    for (const f of fields) {
      const sql = path === '' ? ident(f.name) : `struct_extract(${path}, ${literal(f.name)})`;
      if (/^STRUCT/i.test(f.type) && !/\]$/.test(f.type) && depth < FLATTEN_DEPTH) await spread(await describe(`unnest(${sql})`), `${prefix}${f.name}.`, sql, depth + 1);
      else columns.push({ name: `${prefix}${f.name}`, type: f.type, sql });
    }
  };
  await spread(await describe('*'), '', '', 0);
  if (columns.length > MAX_FILE_COLUMNS) {
    throw new ClvError('TOO_MANY_COLUMNS', `"${fileName}" has ${columns.length.toLocaleString('en-US')} columns, more than the ${MAX_FILE_COLUMNS.toLocaleString('en-US')} that can be read. Keep the customer, date and amount columns (and any you need) and save the file again.`, { columns: columns.length, limit: MAX_FILE_COLUMNS });
  }
  // Bulk-export lines nested under another row (nestedRows.ts): left out, with the columns only they fill.
  const parent = kind.kind === 'json' && columns.some((c) => c.name === PARENT_ID) ? await nestedColumnsNative(db, reader, [path], columns) : null;
  if (parent) columns.splice(0, columns.length, ...columns.filter((c, j) => c.name === PARENT_ID || parent.filled[j]));
  // Lists beside a row's own date (an order's line items) stay one column of text, as in the browser;
  // without a date at the top level the rows are customers holding their orders: refused below.
  const dated = columns.some((c) => /^(DATE|TIMESTAMP)/i.test(c.type) || (/^VARCHAR/i.test(c.type) && /date|time|created/i.test(c.name)));
  if (dated) for (const c of columns) if (NESTED_TYPE.test(c.type)) [c.sql, c.type] = [`CAST(${c.sql} AS VARCHAR)`, 'VARCHAR'];
  const nested = columns.find((c) => NESTED_TYPE.test(c.type));
  if (nested) {
    throw new ClvError(
      'NESTED_DATA',
      `"${fileName}" holds nested records in "${nested.name}", not one transaction per row. Export the transactions as a flat table (one row per purchase, with customer, date and amount columns).`,
      { column: nested.name },
    );
  }
  // With nested rows the columns are chosen (and PARENT_ID dropped) by name, so never `*`.
  if (!parent && columns.every((c) => c.sql === ident(c.name))) {
    return { sql: numbered(reader), sampleSql, params: [path], layout: null, names: columns.map((c) => c.name), sampleRecords: [], encoding: 'utf-8' };
  }
  const flat = (source: string) => `(SELECT ${columns.map((c) => `${c.sql} AS ${ident(c.name)}`).join(', ')} FROM ${source})`;
  const rows = (source: string) => (parent ? topLevelRows(numbered(flat(source))) : numbered(flat(source)));
  return {
    sql: rows(reader),
    sampleSql: rows(`(SELECT * FROM ${reader} LIMIT ${SAMPLE_ROWS})`),
    params: [path],
    layout: null,
    names: columns.filter((c) => !parent || c.name !== PARENT_ID).map((c) => c.name),
    sampleRecords: [],
    encoding: 'utf-8',
    ...(parent && { nestedRows: parent.nestedRows }),
  };
}
