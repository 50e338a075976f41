import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import duckdb from '@duckdb/node-api';
import { tableFromIPC, Type } from 'apache-arrow';
import type { Row, SqlDb, SqlValue } from '../core/db';

type NativeValue = import('@duckdb/node-api').DuckDBValue;
type NativeReader = import('@duckdb/node-api').DuckDBResultReader;

export interface NativeDbOptions {
  /** DuckDB `threads` setting; default: DuckDB's own (all cores). */
  threads?: number;
  /** DuckDB `memory_limit`, e.g. '4GB'; default: DuckDB's own (80% of RAM). */
  memoryLimit?: string;
  /** The folder where larger-than-memory work spills, each database in a folder of its own inside it (see spillFolder); default: the working folder. */
  tempDir?: string;
}

/**
 * A spill folder of this database's own. DuckDB 1.5 names its spill files the same in every process
 * (`duckdb_temp_storage_DEFAULT-0.tmp`) and on close deletes every such file in its folder: two
 * runs sharing a folder (shards run side by side) would overwrite and delete each other's spill,
 * and a run that ended without closing left its files behind for the next run to grow. So each
 * database gets `clv-spill-PID-RANDOM` inside `--temp-dir` (created if missing, never removed), or
 * `.tmp-clv-PID-RANDOM` in the working folder by default. DuckDB
 * creates it on its first spill and removes it on close.
 */
function spillFolder(tempDir: string | undefined): string {
  const name = `${process.pid}-${randomBytes(4).toString('hex')}`;
  if (tempDir === undefined) return path.resolve(`.tmp-clv-${name}`);
  try {
    mkdirSync(tempDir, { recursive: true });
  } catch {
    // Not creatable: DuckDB says so when it first spills (see engineChoice.ts).
  }
  return path.join(tempDir, `clv-spill-${name}`);
}

/** Every open database's close and spill folder: a command that ends without closing (process.exit) is closed on exit, so its spill folder goes. */
const OPEN = new Map<() => void, string>();
process.on('exit', () => {
  for (const close of [...OPEN.keys()]) close();
});

/**
 * Stopped by Ctrl-C or a kill, the process ends without its exit handlers: the spill folders go
 * first (removing the open files is safe while DuckDB still works in them), then the signal ends
 * the process as it would have.
 */
function removeSpillAndStop(signal: NodeJS.Signals): void {
  for (const spill of OPEN.values()) rmSync(spill, { recursive: true, force: true });
  OPEN.clear();
  process.kill(process.pid, signal);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, removeSpillAndStop);

/** A native database: SqlDb plus what only it has (file readers, writing Parquet, its settings). */
export interface NativeDb extends SqlDb {
  readonly readsFiles: true;
  close(): void;
}

/**
 * JS values as the duckdb-wasm path delivers them (see arrowRows.ts), so the engine sees the same
 * shapes on both: integers of any width as numbers, DATE and TIMESTAMP as epoch milliseconds.
 */
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, plain(x)]));
  return v;
}

const NUMERIC_TYPES = new Set<number>([
  duckdb.DuckDBTypeId.TINYINT,
  duckdb.DuckDBTypeId.SMALLINT,
  duckdb.DuckDBTypeId.INTEGER,
  duckdb.DuckDBTypeId.BIGINT,
  duckdb.DuckDBTypeId.HUGEINT,
  duckdb.DuckDBTypeId.UTINYINT,
  duckdb.DuckDBTypeId.USMALLINT,
  duckdb.DuckDBTypeId.UINTEGER,
  duckdb.DuckDBTypeId.UBIGINT,
  duckdb.DuckDBTypeId.UHUGEINT,
  duckdb.DuckDBTypeId.FLOAT,
  duckdb.DuckDBTypeId.DOUBLE,
  duckdb.DuckDBTypeId.DECIMAL,
]);

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

type Appender = import('@duckdb/node-api').DuckDBAppender;

/** SQL type and appender call for an Arrow column type (text for anything unusual). */
function columnKind(typeId: Type): { sql: string; append: (a: Appender, v: unknown) => void } {
  switch (typeId) {
    case Type.Bool:
      return { sql: 'BOOLEAN', append: (a, v) => a.appendBoolean(Boolean(v)) };
    case Type.Int:
      return { sql: 'BIGINT', append: (a, v) => a.appendBigInt(BigInt(v as number | bigint)) };
    case Type.Float:
      return { sql: 'DOUBLE', append: (a, v) => a.appendDouble(Number(v)) };
    default:
      return { sql: 'VARCHAR', append: (a, v) => a.appendVarchar(String(v)) };
  }
}

function bindValues(params?: readonly SqlValue[]): NativeValue[] | undefined {
  return params && params.length > 0 ? (params as NativeValue[]) : undefined;
}

/**
 * Native DuckDB (@duckdb/node-api) behind the core's SqlDb (`clv … --engine native` and the
 * benchmark): the same engine code and SQL as the browser, run by the native library instead of
 * WebAssembly, on every core, spilling to disk beyond its memory limit. Its own Parquet and JSON
 * readers are linked in; nothing is ever downloaded (extension autoloading and -installing off).
 * This module imports @duckdb/node-api, an optional dependency: load it with a dynamic import
 * (see engineChoice.ts).
 */
export async function openNativeDb(options: NativeDbOptions = {}): Promise<NativeDb> {
  const config: Record<string, string> = { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' };
  if (options.threads !== undefined) config.threads = String(options.threads);
  if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
  const spill = spillFolder(options.tempDir);
  config.temp_directory = spill;
  const instance = await duckdb.DuckDBInstance.create(':memory:', config);
  const conn = await instance.connect();
  const read = (sql: string, params?: readonly SqlValue[]): Promise<NativeReader> => conn.runAndReadAll(sql, bindValues(params));
  const close = () => {
    if (!OPEN.delete(close)) return;
    conn.closeSync();
    instance.closeSync();
    rmSync(spill, { recursive: true, force: true });
  };
  OPEN.set(close, spill);
  return {
    readsFiles: true,
    async query(sql, params) {
      const reader = await read(sql, params);
      return reader.getRowObjectsJS().map((r) => {
        const row: Row = {};
        for (const [k, v] of Object.entries(r)) row[k] = plain(v);
        return row;
      });
    },
    async exec(sql, params) {
      await conn.run(sql, bindValues(params));
    },
    async columns(sql, params) {
      const reader = await read(sql, params);
      const names = reader.columnNames();
      const columns = reader.getColumnsJS();
      const out: Record<string, ArrayLike<unknown>> = {};
      names.forEach((name, j) => {
        const values = columns[j];
        out[name] = NUMERIC_TYPES.has(reader.columnTypeId(j))
          ? Float64Array.from(values, (v) => (v === null ? Number.NaN : Number(v)))
          : values.map(plain);
      });
      return out;
    },
    // Decoded with apache-arrow and appended row by row (node-api reads no Arrow IPC itself).
    async insertArrowIpc(table, ipc) {
      const arrow = tableFromIPC(ipc);
      const fields = arrow.schema.fields.map((f) => ({ name: f.name, kind: columnKind(f.typeId), column: arrow.getChild(f.name) }));
      await conn.run(`DROP TABLE IF EXISTS ${quote(table)}`);
      await conn.run(`CREATE TABLE ${quote(table)} (${fields.map((f) => `${quote(f.name)} ${f.kind.sql}`).join(', ')})`);
      const appender = await conn.createAppender(table);
      for (let i = 0; i < arrow.numRows; i++) {
        for (const f of fields) {
          const v = f.column?.get(i);
          if (v === null || v === undefined) appender.appendNull();
          else f.kind.append(appender, v);
        }
        appender.endRow();
      }
      appender.closeSync();
    },
    close,
  };
}
