import type { Row, SqlDb } from '../core/db';
import { toCsv } from '../core/csv';
import { csvLinesSql } from '../core/csvSql';
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
 * A query's result written as NAME.csv or NAME.parquet. Native DuckDB writes both itself (streamed,
 * any size, nothing in JavaScript): Parquet compressed, CSV with the cells csvCell writes (see
 * csvSql.ts). DuckDB-WASM's rows come into JavaScript and are encoded here (it has no Parquet
 * writer without downloading its extension, and writes no files of Node's).
 */
export async function writeQuery(folder: Folder, name: string, db: SqlDb, sql: string, format: OutputFormat, columns?: readonly string[]): Promise<string> {
  const described = (await db.query(`DESCRIBE ${sql}`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  const chosen = columns ? columns.map((c) => described.find((d) => d.name === c) ?? { name: c, type: 'VARCHAR' }) : described;
  if (db.readsFiles) {
    const file = folder.file(`${name}.${format}`);
    const options = format === 'parquet' ? 'FORMAT parquet, COMPRESSION zstd' : "FORMAT csv, HEADER true, QUOTE '', ESCAPE ''";
    const select = format === 'parquet' ? sql : csvLinesSql(sql, chosen);
    await db.exec(`COPY (${select}) TO ${literal(file)} (${options})`);
    return file;
  }
  const rows = await db.query(sql);
  const types = Object.fromEntries(described.map((c) => [c.name, c.type]));
  return writeRows(folder, name, rows, chosen.map((c) => c.name), format, types);
}
