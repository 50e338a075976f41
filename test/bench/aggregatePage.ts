/**
 * Bench page (test/bench/aggregate.html): drives the real data worker (workers/data.worker.ts) the
 * way the app does, and times each call from this thread. `?profile` uses the instrumented copy
 * (test/bench/profile.worker.ts) instead, for a per-statement breakdown.
 * Playwright waits for `window.clvBench.warmup()` (the worker's start-up warm-up), then calls
 * `window.clvBench.run('file')` after setting the file on the input.
 */
import * as Comlink from 'comlink';
import type { DataWorkerApi } from '../../workers/contracts';
import type { ProfileWorkerApi } from './profile.worker';

interface PageRun {
  inspect_ms: number;
  load_ms: number;
  build_ms: number;
  total_ms: number;
  summary: Record<string, unknown>;
  steps?: ReturnType<ProfileWorkerApi['steps']>;
  wasm_heap_mb?: number;
}

interface MemoryReport {
  isolated: boolean;
  bytes?: number;
  breakdown?: { bytes: number; types: string[]; scope: string; url: string }[];
  error?: string;
}

const query = new URLSearchParams(location.search);
const profile = query.has('profile');
const worker = profile
  ? new Worker(new URL('./profile.worker.ts', import.meta.url), { type: 'module' })
  : new Worker(new URL('../../workers/data.worker.ts', import.meta.url), { type: 'module' });
const api = Comlink.wrap<DataWorkerApi>(worker);
const profiled = Comlink.wrap<ProfileWorkerApi>(worker);

function fileOf(inputId: string): File {
  const input = document.getElementById(inputId) as HTMLInputElement | null;
  const file = input?.files?.[0];
  if (!file) throw new Error(`no file set on #${inputId}`);
  return file;
}

/**
 * Worker errors arrive as { code, message } objects; rethrown as an Error whose message is JSON
 * with the phase that failed, the time until then and (instrumented worker) the statements so far.
 */
async function run(inputId: string): Promise<PageRun> {
  const progress = { phase: 'open', t0: performance.now() };
  try {
    return await runOnce(inputId, progress);
  } catch (error) {
    const info = error instanceof Error ? { code: error.name, message: error.message } : (error as { code?: string; message?: string });
    const failure: Record<string, unknown> = { code: info.code ?? 'ERROR', message: info.message ?? String(error), phase: progress.phase, elapsed_ms: performance.now() - progress.t0 };
    if (profile) {
      failure.steps = await profiled.steps().catch(() => null);
      failure.wasm_heap_mb = await profiled.wasmHeapBytes().then((b) => b / 2 ** 20).catch(() => null);
    }
    throw new Error(JSON.stringify(failure));
  }
}

async function runOnce(inputId: string, progress: { phase: string; t0: number }): Promise<PageRun> {
  const file = fileOf(inputId);
  if (profile) await profiled.resetSteps();
  const t0 = performance.now();
  progress.t0 = t0;
  const inspection = await api.open(file);
  const t1 = performance.now();
  progress.phase = 'load';
  const loaded = await api.load(inspection.mapping);
  const t2 = performance.now();
  progress.phase = 'build';
  const built = await api.build({ period: loaded.period, unit: 'day' });
  const t3 = performance.now();
  const result: PageRun = {
    inspect_ms: t1 - t0,
    load_ms: t2 - t1,
    build_ms: t3 - t2,
    total_ms: t3 - t0,
    summary: {
      rows_read: loaded.quality.rows_read,
      rows_kept: loaded.quality.rows_kept,
      customers: loaded.quality.customers,
      rfm_customers: built.rfmCustomers,
      feature_customers: built.features.customers,
      cutoff: built.period.cutoff,
      horizon_end: built.period.horizonEnd,
    },
  };
  if (profile) {
    result.steps = await profiled.steps();
    result.wasm_heap_mb = (await profiled.wasmHeapBytes()) / 2 ** 20;
  }
  return result;
}

/** The page's and its workers' memory, as Chromium attributes it (needs cross-origin isolation). */
async function memory(): Promise<MemoryReport> {
  const measure = (performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number; breakdown: { bytes: number; types: string[]; attribution: { scope: string; url: string }[] }[] }> }).measureUserAgentSpecificMemory;
  if (!crossOriginIsolated || !measure) return { isolated: crossOriginIsolated, error: 'measureUserAgentSpecificMemory unavailable' };
  try {
    const m = await measure.call(performance);
    return {
      isolated: true,
      bytes: m.bytes,
      breakdown: m.breakdown
        .filter((b) => b.bytes > 0)
        .map((b) => ({ bytes: b.bytes, types: b.types, scope: b.attribution[0]?.scope ?? '', url: b.attribution[0]?.url ?? '' })),
    };
  } catch (error) {
    return { isolated: true, error: String(error) };
  }
}

/** Waits for the worker's start-up warm-up (instantiating DuckDB, then the engine on a generated log). */
async function warmup(): Promise<{ ms: number; report: unknown }> {
  const report = profile ? await profiled.warmup() : await api.warmup();
  return { ms: performance.now(), report };
}

const bench = { profile, run, memory, warmup };
(window as unknown as { clvBench: typeof bench }).clvBench = bench;
document.getElementById('log')!.textContent = `ready (${profile ? 'profile worker' : 'data worker'})`;
