import { arrowToColumns, arrowToRows, type ArrowLikeTable } from './arrowRows';
import type { SqlDb, SqlValue } from './db';

/** A synchronous DuckDB-WASM connection (browser worker or Node blocking build). */
export interface BlockingConnection {
  query(sql: string): ArrowLikeTable;
  prepare(sql: string): { query(...params: unknown[]): ArrowLikeTable; close(): void };
  close(): void;
}

/** Wraps a blocking connection as the core's SqlDb; parameters always go through prepare/bind. */
export function sqlDbFromConnection(conn: BlockingConnection): SqlDb & { close(): void } {
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
