import * as Comlink from 'comlink';
import {
  BROWSER_RUNTIME,
  ConsoleLogger,
  LogLevel,
  DuckDBDataProtocol,
  createDuckDB,
  type DuckDBBindings,
} from 'duckdb-browser-blocking';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import { sqlDbFromConnection, type BlockingConnection } from '../src/core/blockingDb';
import { toCsv } from '../src/core/csv';
import type { SqlDb } from '../src/core/db';
import { DataEngine, type EngineTable } from '../src/core/engine';
import { toErrorInfo } from '../src/core/errors';
import type { DataWorkerApi, FeatureArrays } from './dataWorkerApi';

let bindings: DuckDBBindings | null = null;
let db: SqlDb | null = null;
let engine: DataEngine | null = null;
let registered: string | null = null;

/** DuckDB runs inside this worker (blocking build): the wasm comes from the app, never a CDN. */
async function ready(): Promise<DataEngine> {
  if (engine) return engine;
  const bundles = {
    mvp: { mainModule: mvpWasm, mainWorker: '' },
    eh: { mainModule: ehWasm, mainWorker: '' },
  };
  bindings = await createDuckDB(bundles, new ConsoleLogger(LogLevel.WARNING), BROWSER_RUNTIME);
  await bindings.instantiate();
  db = sqlDbFromConnection(bindings.connect() as unknown as BlockingConnection);
  engine = new DataEngine(db);
  return engine;
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toErrorInfo(error);
  }
}

function safeName(name: string): string {
  return `upload_${Date.now()}_${name.replace(/[^\w.-]/g, '_')}`;
}

const api: DataWorkerApi = {
  open: (file) =>
    guarded(async () => {
      const e = await ready();
      if (registered) bindings!.dropFile(registered);
      registered = safeName(file.name);
      bindings!.registerFileHandle(registered, file, DuckDBDataProtocol.BROWSER_FILEREADER, true);
      const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
      return e.inspect({ fileName: file.name, path: registered, head, size: file.size });
    }),
  load: (mapping, cleaning) => guarded(async () => (await ready()).load(mapping, cleaning)),
  build: (options) => guarded(async () => (await ready()).build(options)),
  page: (table, offset, limit, orderBy) => guarded(async () => (await ready()).page(table, offset, limit, orderBy)),
  exportCsv: (table: EngineTable) => guarded(async () => toCsv(await (await ready()).rows(table))),
  featureArrays: () =>
    guarded(async () => {
      const e = await ready();
      const built = e.state.built;
      if (!built) throw toErrorInfo(new Error('tables are not built yet'));
      const ids = await e.page('features', 0, Number.MAX_SAFE_INTEGER);
      const featureNames = built.features.featureColumns;
      const targetNames = built.features.targetColumns;
      const cols = await e.numericColumns('features', [...featureNames, ...targetNames]);
      const n = ids.rows.length;
      const features = new Float32Array(n * featureNames.length);
      featureNames.forEach((name, j) => cols[name].forEach((v, i) => (features[i * featureNames.length + j] = v)));
      const targets = new Float32Array(n * targetNames.length);
      targetNames.forEach((name, j) => cols[name].forEach((v, i) => (targets[i * targetNames.length + j] = v)));
      const result: FeatureArrays = { customerIds: ids.rows.map((r) => String(r.customer_id)), featureNames, features, targetNames, targets };
      return Comlink.transfer(result, [features.buffer, targets.buffer]);
    }),
  segmentSummary: () =>
    guarded(async () => {
      await ready();
      return db!.query(
        `SELECT segment, count(*) AS customers, avg(monetary_value) AS avg_monetary, avg(frequency) AS avg_frequency FROM rfm GROUP BY segment ORDER BY customers DESC`,
      );
    }),
};

Comlink.expose(api);
