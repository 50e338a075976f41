import { ClvError } from '../errors';
import type { SqlDb } from '../db';
import { ident, literal } from '../sql';
import type { FileKind } from './fileKind';
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
  const described = await db.query(`DESCRIBE SELECT * FROM ${reader}`, [path]);
  const columns = described.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  if (columns.length > MAX_FILE_COLUMNS) {
    throw new ClvError('TOO_MANY_COLUMNS', `"${fileName}" has ${columns.length.toLocaleString('en-US')} columns, more than the ${MAX_FILE_COLUMNS.toLocaleString('en-US')} that can be read. Keep the customer, date and amount columns (and any you need) and save the file again.`, { columns: columns.length, limit: MAX_FILE_COLUMNS });
  }
  const nested = columns.find((c) => NESTED_TYPE.test(c.type));
  if (nested) {
    throw new ClvError(
      'NESTED_DATA',
      `"${fileName}" holds nested records in "${nested.name}", not one transaction per row. Export the transactions as a flat table (one row per purchase, with customer, date and amount columns).`,
      { column: nested.name },
    );
  }
  return { sql: numbered(reader), sampleSql, params: [path], layout: null, names: columns.map((c) => c.name), sampleRecords: [], encoding: 'utf-8' };
}
