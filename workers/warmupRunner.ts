import type { DuckDBBindings } from 'duckdb-browser-blocking';
import { sqlDbFromConnection, type BlockingConnection } from '../src/core/blockingDb';
import { warmUpEngine, warmupLog, WARMUP_FILE_NAME, WARMUP_ROWS, type WarmupReport } from '../src/core/engineWarmup';

export interface WorkerWarmup {
  /** Settles when the warm-up has ended (finished, stopped or failed): null if it failed. */
  done: Promise<(WarmupReport & { rows: number }) | null>;
  /** Asks the warm-up to stop after its current step; settles once the engine is free. */
  stop(): Promise<void>;
}

/**
 * Starts warming DuckDB up in the worker (see src/core/engineWarmup.ts) on a connection of its own
 * and a generated log held in memory. A failed warm-up is only a lost speed-up: it is logged, not thrown.
 */
export function startWarmup(bindings: DuckDBBindings, rows = WARMUP_ROWS): WorkerWarmup {
  let stopping = false;
  const done = (async () => {
    // Let a call that is already waiting (a file dropped at once) run first.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (stopping) return null;
    const bytes = warmupLog(rows);
    bindings.registerFileBuffer(WARMUP_FILE_NAME, bytes);
    const db = sqlDbFromConnection(bindings.connect() as unknown as BlockingConnection);
    try {
      const file = { fileName: WARMUP_FILE_NAME, path: WARMUP_FILE_NAME, head: bytes.subarray(0, 4096), size: bytes.byteLength };
      const report = await warmUpEngine(db, file, () => stopping, () => new Promise((resolve) => setTimeout(resolve, 0)));
      return { ...report, rows };
    } finally {
      db.close();
      bindings.dropFile(WARMUP_FILE_NAME);
    }
  })().catch((error: unknown) => {
    console.warn('data engine warm-up failed:', error);
    return null;
  });
  return {
    done,
    stop: async () => {
      stopping = true;
      await done;
    },
  };
}
