/**
 * Benchmark-only copy of workers/data.worker.ts (open/load/build only) whose SqlDb is wrapped by
 * timedDb, so each SQL statement can be timed inside the browser. Also reports the size of
 * DuckDB's WebAssembly memory, which only grows, so its final size is the wasm heap's peak.
 * The timed totals come from the real worker; this one is for the per-step breakdown. It warms up
 * at start exactly as the real worker does (workers/warmupRunner.ts).
 */
import * as Comlink from 'comlink';
import { DuckDBDataProtocol, type DuckDBBindings } from 'duckdb-browser-blocking';
import { DataEngine } from '../../src/core/engine';
import { toErrorInfo } from '../../src/core/errors';
import type { BuildOptions } from '../../src/core/engine';
import type { ColumnMapping } from '../../src/core/mapping/roles';
import { timedDb, type TimedDb } from './timedDb';
import { startEngine } from '../../workers/engineStartup';

let bindings: DuckDBBindings | null = null;
let db: TimedDb | null = null;
let registered: string | null = null;
let serial = 0;

// The same start-up as the real worker, warm-up included (its statements run on their own connection, untimed).
const startup = startEngine((connection) => timedDb(connection));

async function ready(): Promise<DataEngine> {
  const started = await startup.ready();
  bindings = started.bindings;
  db = started.db;
  return started.engine;
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toErrorInfo(error);
  }
}

const api = {
  warmup: () => startup.warmupReport(),
  open: (file: File) =>
    guarded(async () => {
      const e = await ready();
      if (registered) bindings!.dropFile(registered);
      registered = `bench_${++serial}_${file.name.replace(/[^\w.-]/g, '_')}`;
      bindings!.registerFileHandle(registered, file, DuckDBDataProtocol.BROWSER_FILEREADER, true);
      const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
      return e.inspect({ fileName: file.name, path: registered, head, size: file.size });
    }),
  load: (mapping: ColumnMapping) => guarded(async () => (await ready()).load(mapping)),
  build: (options: Partial<BuildOptions>) => guarded(async () => (await ready()).build(options)),
  steps: () => ({ byStep: db?.byStep() ?? {}, statements: (db?.timings ?? []).map((t) => ({ ...t, ms: Math.round(t.ms) })) }),
  resetSteps: () => db?.reset(),
  wasmHeapBytes: () => (bindings ? (bindings as unknown as { mod: { HEAPU8: Uint8Array } }).mod.HEAPU8.byteLength : 0),
};

export type ProfileWorkerApi = typeof api;

Comlink.expose(api);
