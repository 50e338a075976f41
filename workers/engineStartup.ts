import { BROWSER_RUNTIME, ConsoleLogger, LogLevel, createDuckDB, type DuckDBBindings } from 'duckdb-browser-blocking';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import { sqlDbFromConnection, type BlockingConnection } from '../src/core/blockingDb';
import type { SqlDb } from '../src/core/db';
import { DataEngine } from '../src/core/engine';
import { startWarmup, type WorkerWarmupReport } from './warmupRunner';

export interface StartedEngine<D extends SqlDb> {
  bindings: DuckDBBindings;
  db: D;
  engine: DataEngine;
}

export interface EngineStartup<D extends SqlDb> {
  /** The engine, once DuckDB is instantiated and the warm-up has stopped (after its current step). */
  ready(): Promise<StartedEngine<D>>;
  /** The warm-up's report once it has ended, without stopping it; null if it could not run. */
  warmupReport(): Promise<WorkerWarmupReport | null>;
}

/**
 * DuckDB inside a data worker (blocking build; the wasm comes from the app, never a CDN). It is
 * instantiated as soon as the worker starts and then warmed up (see src/core/engineWarmup.ts) while
 * the page waits for a file. Concurrent callers share one instantiation; a failed one is tried
 * again by the next call. `wrap` decorates the user's connection (the benchmark times it).
 */
export function startEngine<D extends SqlDb>(wrap: (db: SqlDb) => D): EngineStartup<D> {
  let instantiating: Promise<StartedEngine<D>> | null = null;
  const instantiate = (): Promise<StartedEngine<D>> => {
    instantiating ??= (async () => {
      const bundles = { mvp: { mainModule: mvpWasm, mainWorker: '' }, eh: { mainModule: ehWasm, mainWorker: '' } };
      const bindings = await createDuckDB(bundles, new ConsoleLogger(LogLevel.WARNING), BROWSER_RUNTIME);
      await bindings.instantiate(() => undefined);
      const db = wrap(sqlDbFromConnection(bindings.connect() as unknown as BlockingConnection));
      return { bindings, db, engine: new DataEngine(db) };
    })();
    instantiating.catch(() => (instantiating = null));
    return instantiating;
  };
  const warmup = instantiate()
    .then(({ bindings }) => startWarmup(bindings))
    .catch(() => null);
  return {
    ready: async () => {
      const started = await instantiate();
      await (await warmup)?.stop();
      return started;
    },
    warmupReport: async () => (await (await warmup)?.done) ?? null,
  };
}
