import type { DuckDBBindings } from 'duckdb-browser-blocking';
import { sqlDbFromConnection, type BlockingConnection } from '../src/core/blockingDb';
import { warmUpEngine, warmupLog, WARMUP_FILE_NAME, WARMUP_ROWS, type WarmupReport } from '../src/core/engineWarmup';

export interface WorkerWarmupReport extends WarmupReport {
  rows: number;
  /** Heap written once after the steps (0 when stopped early or the allocation failed). */
  heapBytes: number;
  heapMs: number;
}

export interface WorkerWarmup {
  /** Settles when the warm-up has ended (finished, stopped or failed): null if it failed. */
  done: Promise<WorkerWarmupReport | null>;
  /** Asks the warm-up to stop after its current step; settles once the engine is free. */
  stop(): Promise<void>;
}

/**
 * Starts warming DuckDB up in the worker (see src/core/engineWarmup.ts) on a connection of its own
 * and a generated log held in memory. A failed warm-up is only a lost speed-up: it is logged, not thrown.
 */
/**
 * Heap the warm-up writes once, like a database pre-faulting its buffer pool: about what a
 * 1M-row file needs at its peak beyond the warm-up's own use. It stays with the page (WebAssembly
 * memory never shrinks), so only devices that report 8 GB or more (navigator.deviceMemory) get it.
 */
export const WARMUP_HEAP_BYTES = 256 * 2 ** 20;

export function heapToTouch(deviceMemoryGb: number | undefined): number {
  return deviceMemoryGb !== undefined && deviceMemoryGb >= 8 ? WARMUP_HEAP_BYTES : 0;
}

/**
 * The pipeline warm-up grows the heap for good too (about 150 MB): not on devices that report
 * less than 4 GB. Browsers that do not report (Firefox, Safari) warm up.
 */
export function warmsUp(deviceMemoryGb: number | undefined): boolean {
  return deviceMemoryGb === undefined || deviceMemoryGb >= 4;
}

const deviceMemory = (): number | undefined => (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;

interface EmscriptenHeap {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAPU8: Uint8Array;
}

/**
 * Grows DuckDB's WebAssembly heap and writes every page once, then frees it. Fresh pages cost a
 * page fault on their first write; the engine's allocator reuses these instead. Returns the bytes
 * touched (0 if the allocation failed: a small device simply keeps its memory).
 */
export function touchHeap(bindings: DuckDBBindings, bytes: number): number {
  const mod = (bindings as unknown as { mod?: EmscriptenHeap }).mod;
  if (!mod || bytes <= 0) return 0;
  // Unsigned: a pointer above 2 GiB comes back from wasm as a negative i32.
  const pointer = mod._malloc(bytes) >>> 0;
  if (!pointer) return 0;
  try {
    mod.HEAPU8.fill(0, pointer, pointer + bytes);
  } finally {
    mod._free(pointer);
  }
  return bytes;
}

export function startWarmup(bindings: DuckDBBindings, rows = WARMUP_ROWS): WorkerWarmup {
  let stopping = false;
  const done = (async () => {
    // Let a call that is already waiting (a file dropped at once) run first.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (stopping || !warmsUp(deviceMemory())) return null;
    const bytes = warmupLog(rows);
    bindings.registerFileBuffer(WARMUP_FILE_NAME, bytes);
    let db: ReturnType<typeof sqlDbFromConnection> | null = null;
    try {
      db = sqlDbFromConnection(bindings.connect() as unknown as BlockingConnection);
      const file = { fileName: WARMUP_FILE_NAME, path: WARMUP_FILE_NAME, head: bytes.subarray(0, 4096), size: bytes.byteLength };
      const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
      const report = await warmUpEngine(db, file, () => stopping, pause);
      const t0 = performance.now();
      const heapBytes = report.completed && !stopping ? touchHeap(bindings, heapToTouch(deviceMemory())) : 0;
      return { ...report, rows, heapBytes, heapMs: performance.now() - t0 };
    } finally {
      db?.close();
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
