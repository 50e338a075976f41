import { arrowToColumns, arrowToRows, type ArrowLikeTable } from './arrowRows';
import type { SqlDb, SqlValue } from './db';

/** A synchronous DuckDB-WASM connection (browser worker or Node blocking build). */
export interface BlockingConnection {
  query(sql: string): ArrowLikeTable;
  prepare(sql: string): { query(...params: unknown[]): ArrowLikeTable; close(): void };
  insertArrowFromIPCStream(buffer: Uint8Array, options: { name: string; create?: boolean }): void;
  close(): void;
}

/**
 * Wraps a blocking connection as the core's SqlDb; parameters always go through prepare/bind.
 * Extension autoloading is switched off: it would fetch code from the network.
 */
export function sqlDbFromConnection(conn: BlockingConnection): SqlDb & { close(): void } {
  conn.query('SET autoinstall_known_extensions = false');
  conn.query('SET autoload_known_extensions = false');
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
    async insertArrowIpc(table, ipc) {
      conn.query(`DROP TABLE IF EXISTS "${table.replaceAll('"', '""')}"`);
      conn.insertArrowFromIPCStream(ipc, { name: table, create: true });
    },
    close() {
      conn.close();
    },
  };
}
