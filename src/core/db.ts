/**
 * The one thing the core needs from DuckDB: run SQL with bound parameters and get rows back.
 * Browser (AsyncDuckDB in the data worker), Node (duckdb-wasm blocking build, the CLI and tests)
 * and the native benchmark each provide an implementation.
 */
export type SqlValue = string | number | boolean | null | bigint;

export type Row = Record<string, unknown>;

export interface SqlDb {
  /** Native DuckDB reads Parquet and JSON (and globs of files) itself; DuckDB-WASM here has neither reader, so those are read in JavaScript. */
  readonly readsFiles?: boolean;
  /** Runs one statement; `params` are bound to `?` placeholders, never spliced into the text. */
  query(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs a statement whose result is not needed. */
  exec(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /** Columnar result for large reads: each column as a plain array or typed array. */
  columns(sql: string, params?: readonly SqlValue[]): Promise<Record<string, ArrayLike<unknown>>>;
  /** Creates (or replaces) a table from an Arrow IPC stream. */
  insertArrowIpc(table: string, ipc: Uint8Array): Promise<void>;
}
