import { createRequire } from 'node:module';
import path from 'node:path';
import { arrowToColumns, arrowToRows, type ArrowLikeTable } from '../core/arrowRows';
import type { SqlDb, SqlValue } from '../core/db';

const require = createRequire(import.meta.url);

interface BlockingConnection {
  query(sql: string): ArrowLikeTable;
  prepare(sql: string): { query(...params: unknown[]): ArrowLikeTable; close(): void };
  close(): void;
}

/** DuckDB-WASM's Node build (the same engine as the browser's), behind the core's SqlDb. */
export async function openWasmDb(): Promise<SqlDb & { close(): void }> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  const conn: BlockingConnection = db.connect();
  const run = (sql: string, params?: readonly SqlValue[]): ArrowLikeTable => {
    if (!params || params.length === 0) return conn.query(sql);
    const stmt = conn.prepare(sql);
    try {
      return stmt.query(...params);
    } finally {
      stmt.close();
    }
  };
  return {
    async query(sql, params) {
      return arrowToRows(run(sql, params));
    },
    async exec(sql, params) {
      run(sql, params);
    },
    async columns(sql, params) {
      return arrowToColumns(run(sql, params));
    },
    close() {
      conn.close();
    },
  };
}
