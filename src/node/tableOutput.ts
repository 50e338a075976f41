import type { Row, SqlDb } from '../core/db';
import { toCsv } from '../core/csv';
import { parquetKind, writeParquet } from '../core/parquetWriter';
import { literal } from '../core/sql';
import type { outputFolder } from './outputFolder';

/** How the CLI writes its tables: CSV (the default) or Parquet (`--format parquet`). */
export type OutputFormat = 'csv' | 'parquet';

type Folder = ReturnType<typeof outputFolder>;

/** Rows already in JavaScript, written as NAME.csv or NAME.parquet; `types` are DuckDB column types (text when absent). */
export function writeRows(folder: Folder, name: string, rows: readonly Row[], columns: readonly string[], format: OutputFormat, types: Readonly<Record<string, string>> = {}): string {
  if (format === 'csv') return folder.write(`${name}.csv`, toCsv(rows, columns));
  const kinds = columns.map((c) => types[c] ?? (rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number') ? 'DOUBLE' : 'VARCHAR'));
  return folder.write(`${name}.parquet`, writeParquet(columns.map((c, j) => ({ name: c, kind: parquetKind(kinds[j]), values: rows.map((r) => r[c]) })), rows.length));
}

/**
 * A query's result written as NAME.csv or NAME.parquet. Native DuckDB writes Parquet itself
 * (streamed, compressed, any size); otherwise the rows come into JavaScript and are encoded here
 * (DuckDB-WASM has no Parquet writer without downloading its extension).
 */
export async function writeQuery(folder: Folder, name: string, db: SqlDb, sql: string, format: OutputFormat, columns?: readonly string[]): Promise<string> {
  if (format === 'parquet' && db.readsFiles) {
    const file = folder.file(`${name}.parquet`);
    await db.exec(`COPY (${sql}) TO ${literal(file)} (FORMAT parquet, COMPRESSION zstd)`);
    return file;
  }
  const rows = await db.query(sql);
  const described = await db.query(`DESCRIBE ${sql}`);
  const types = Object.fromEntries(described.map((r) => [String(r.column_name), String(r.column_type)]));
  return writeRows(folder, name, rows, columns ?? described.map((r) => String(r.column_name)), format, types);
}
