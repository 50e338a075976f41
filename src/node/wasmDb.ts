import { createRequire } from 'node:module';
import path from 'node:path';
import { sqlDbFromConnection, type BlockingConnection } from '../core/blockingDb';
import type { SqlDb } from '../core/db';

const require = createRequire(import.meta.url);

/** DuckDB-WASM's Node build, instantiated: the raw bindings (files, connections). */
export async function openWasmBindings(): Promise<{ connect(): unknown; registerFileBuffer(name: string, buffer: Uint8Array): void; dropFile(name: string): void }> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  return db;
}

/** DuckDB-WASM's Node build (the same engine as the browser's), behind the core's SqlDb. */
export async function openWasmDb(): Promise<SqlDb & { close(): void; connect(): SqlDb & { close(): void } }> {
  const db = await openWasmBindings();
  // Another connection to the same database (its own schema search path and temporary tables).
  const connect = () => sqlDbFromConnection(db.connect() as BlockingConnection);
  return { ...connect(), connect };
}
