import { ClvError } from '../core/errors';

const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };
const AMOUNT = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** Whether text is an amount of memory as --memory-limit takes it ('4GB', '512MB', '1.5GiB'). */
export function isMemoryAmount(text: string): boolean {
  return AMOUNT.test(text.trim());
}

/** Bytes in an amount of memory, in DuckDB's units: KB, MB, GB, TB are powers of 1000, KiB, MiB, GiB, TiB of 1024. */
export function memoryBytes(text: string): number {
  const m = AMOUNT.exec(text.trim());
  if (!m) throw new Error(`not an amount of memory: ${text}`);
  return Number(m[1]) * UNITS[m[2].toLowerCase()];
}

/** Node, the code and DuckDB's library: about 140 MiB resident once DuckDB is open, and the small results in JavaScript. */
export const PROCESS_RESERVE_BYTES = 512 * 2 ** 20;

/**
 * DuckDB's buffer pool gets this share of what the reserve leaves; the rest is for DuckDB's
 * allocations outside its pool (operators' working state, readers' and writers' buffers, the
 * allocator's caches), measured at 100M rows under a 2,477 MiB pool: 700 MiB to 2,058 MiB beyond
 * the pool at the peak of a command (README "Scaling"). Half, as DuckDB's guide to out-of-memory
 * errors advises (a limit of 50-60% of the memory there is): 4GB gives a 1,651 MiB pool.
 */
export const POOL_SHARE = 0.5;

/** Below this the pool cannot hold one thread's working set of a sort or hash aggregate. */
export const MIN_POOL_BYTES = 128 * 2 ** 20;

/**
 * DuckDB's `memory_limit` for a process that must stay within `processBytes` (--memory-limit):
 * DuckDB's own limit bounds only its buffer pool (DuckDB's documentation: "this limit only applies
 * to the buffer manager"), so the pool gets POOL_SHARE of what PROCESS_RESERVE_BYTES leaves. The
 * result is whole MiB, as DuckDB's setting text ('2688MiB').
 */
export function duckdbMemoryLimit(processLimit: string): string {
  const poolBytes = (memoryBytes(processLimit) - PROCESS_RESERVE_BYTES) * POOL_SHARE;
  if (poolBytes < MIN_POOL_BYTES) {
    const least = Math.ceil((MIN_POOL_BYTES / POOL_SHARE + PROCESS_RESERVE_BYTES) / 1e6);
    throw new ClvError('BAD_ARGUMENT', `--memory-limit ${processLimit.trim()} is too little for native DuckDB and Node together: give at least ${least}MB (the whole process stays within it; DuckDB spills the rest to --temp-dir).`);
  }
  return `${Math.floor(poolBytes / 2 ** 20)}MiB`;
}
