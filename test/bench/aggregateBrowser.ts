/**
 * DuckDB-WASM in headless Chromium, through the real data worker: builds the bench page
 * (test/bench/aggregate.html) with the app's Vite config, serves it with the isolation headers,
 * hands the generated log to an <input type=file> (a real, disk-backed File: nothing is copied)
 * and times the worker's open → load → build from the page.
 *
 * Memory, three ways:
 *  - renderer_peak_mb: VmHWM (kernel high-water mark of RSS) of the renderer process that hosts the
 *    page and its data worker, read from /proc. This is the number that decides an out-of-memory kill.
 *  - chromium_total_peak_mb: the largest sum of VmRSS over every Chromium process, sampled every 100 ms.
 *  - ua_memory_mb: performance.measureUserAgentSpecificMemory() after the build (the page is
 *    cross-origin isolated), with its per-context breakdown; WebAssembly memory is included and
 *    never shrinks, so the worker's share is close to its peak.
 * CPU: user+system time of the renderer process, and of the data worker's thread alone, over the
 * measured run (/proc/<pid>/task/<tid>/stat): much less disturbed than wall time by other load on
 * the machine; on an idle machine the worker thread's CPU time is close to the wall time.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { serveBuild } from '../e2e/staticServer';
import type { WorkerWarmupReport } from '../../workers/warmupRunner';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  // measureUserAgentSpecificMemory answers at once instead of waiting for the next GC
  '--enable-blink-features=ForceEagerMeasureMemory',
];
const BASE = '/bench/';
const CLK_TCK = 100;

export interface BrowserRun {
  ok: boolean;
  error?: string;
  /** Page load → DuckDB instantiated and the start-up warm-up ended (what a user waits before dropping). */
  init_ms: number;
  /** The warm-up's own steps (part of init_ms). */
  warm_ms: number;
  warmup?: WorkerWarmupReport | null;
  inspect_ms: number;
  load_ms: number;
  build_ms: number;
  total_ms: number;
  renderer_cpu_ms: number;
  /** CPU time of the data worker's thread alone (where DuckDB runs). */
  worker_thread_cpu_ms: number;
  renderer_peak_mb: number;
  chromium_total_peak_mb: number;
  ua_memory_mb: number | null;
  ua_memory_breakdown?: { mb: number; types: string[]; scope: string; url: string }[];
  wasm_heap_mb?: number;
  steps_ms?: Record<string, number>;
  statements?: { step: string; ms: number; sql: string }[];
  summary?: Record<string, unknown>;
  /** On failure: the phase (open/load/build) and how long it had run. */
  failed_phase?: string;
  failed_after_ms?: number;
  chromium: string;
}

let built: string | null = null;

/** Production build of the bench page (once per process), outside the repository. */
export async function buildBenchSite(): Promise<string> {
  if (built) return built;
  const outDir = path.join(os.tmpdir(), 'clv-bench-site');
  const { build } = await import('vite');
  await build({
    root: ROOT,
    configFile: path.join(ROOT, 'vite.config.ts'),
    base: BASE,
    logLevel: 'error',
    build: {
      outDir,
      emptyOutDir: true,
      rolldownOptions: { input: { aggregate: path.join(ROOT, 'test/bench/aggregate.html') } },
    },
  });
  built = outDir;
  return outDir;
}

interface ProcInfo {
  pid: number;
  ppid: number;
  type: string;
}

function procs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? (/chrom/i.test(cmd.split('\0')[0] ?? '') ? 'browser' : 'other');
      out.push({ pid: Number(name), ppid, type });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

function descendants(root: number): ProcInfo[] {
  const all = procs();
  const keep = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) if (!keep.has(p.pid) && keep.has(p.ppid)) (keep.add(p.pid), (grew = true));
  }
  return all.filter((p) => keep.has(p.pid) && p.type !== 'other');
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU ticks per thread name of a process (names are truncated to 15 characters by Linux). */
function threadTicks(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(`${name}#${tid}`, Number(f[11]) + Number(f[12]));
      } catch {
        // thread ended
      }
    }
  } catch {
    // process ended
  }
  return out;
}

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime
  } catch {
    return 0;
  }
}

export interface BrowserOptions {
  file: string;
  profile?: boolean;
  /** Gives up after this long (ms). */
  timeoutMs?: number;
}

export async function runInChromium(options: BrowserOptions): Promise<BrowserRun> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`);
  const site = await buildBenchSite();
  const server = await serveBuild(site, BASE);
  let browser: Browser | null = null;
  const console_: string[] = [];
  const result: BrowserRun = {
    ok: false,
    init_ms: 0,
    warm_ms: 0,
    inspect_ms: 0,
    load_ms: 0,
    build_ms: 0,
    total_ms: 0,
    renderer_cpu_ms: 0,
    worker_thread_cpu_ms: 0,
    renderer_peak_mb: 0,
    chromium_total_peak_mb: 0,
    ua_memory_mb: null,
    chromium: '',
  };
  let sampler: NodeJS.Timeout | null = null;
  let totalPeakKb = 0;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    result.chromium = browser.version();
    // Playwright spawns Chromium from this process: its processes are our descendants.
    const rootPid = process.pid;
    const page = await browser.newPage();
    page.on('console', (m) => console_.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => console_.push(`pageerror: ${e.message}`));
    page.setDefaultTimeout(options.timeoutMs ?? 600_000);
    const query = options.profile ? '?profile' : '';
    await page.goto(`${server.url}test/bench/aggregate.html${query}`);
    await page.waitForFunction(() => 'clvBench' in window);

    // As in the app, the data worker instantiates DuckDB and warms the engine up on a generated log
    // as soon as the page loads (src/core/engineWarmup.ts); the file is dropped once that is done,
    // the earliest moment a user who waits for a ready page would drop it.
    const ready = await page.evaluate(() => (window as any).clvBench.warmup());
    result.init_ms = ready.ms;
    result.warm_ms = ready.report?.ms ?? 0;
    result.warmup = ready.report;

    const tree = rootPid ? descendants(rootPid) : [];
    const renderers = tree.filter((p) => p.type === 'renderer');
    const cpu0 = renderers.map((p) => cpuTicks(p.pid));
    const threads0 = renderers.map((p) => threadTicks(p.pid));
    const sample = () => {
      const kb = (rootPid ? descendants(rootPid) : []).reduce((s, p) => s + statusKb(p.pid, 'VmRSS'), 0);
      if (kb > totalPeakKb) totalPeakKb = kb;
    };
    sample();
    sampler = setInterval(sample, 100);

    await page.locator('#file').setInputFiles(options.file);
    const run = await page.evaluate(() => (window as any).clvBench.run('file'));
    clearInterval(sampler);
    sampler = null;
    sample();
    Object.assign(result, {
      inspect_ms: run.inspect_ms,
      load_ms: run.load_ms,
      build_ms: run.build_ms,
      total_ms: run.total_ms,
      summary: run.summary,
      wasm_heap_mb: run.wasm_heap_mb,
      steps_ms: run.steps?.byStep,
      statements: run.steps?.statements,
    });
    result.renderer_cpu_ms = renderers.reduce((s, p, i) => s + cpuTicks(p.pid) - cpu0[i], 0) * (1000 / CLK_TCK);
    // The data worker's own thread: DuckDB runs there, so this is the query work itself, without
    // V8's background compilation/GC threads and without time spent waiting for a CPU.
    let workerTicks = 0;
    renderers.forEach((p, i) => {
      for (const [name, ticks] of threadTicks(p.pid)) if (name.startsWith('DedicatedWorker')) workerTicks += ticks - (threads0[i].get(name) ?? 0);
    });
    result.worker_thread_cpu_ms = workerTicks * (1000 / CLK_TCK);
    result.renderer_peak_mb = Math.max(0, ...renderers.map((p) => statusKb(p.pid, 'VmHWM'))) / 1024;
    result.chromium_total_peak_mb = totalPeakKb / 1024;
    const mem = await page.evaluate(() => (window as any).clvBench.memory());
    if (typeof mem.bytes === 'number') {
      result.ua_memory_mb = mem.bytes / 2 ** 20;
      result.ua_memory_breakdown = (mem.breakdown ?? [])
        .map((b: { bytes: number; types: string[]; scope: string; url: string }) => ({ mb: b.bytes / 2 ** 20, types: b.types, scope: b.scope, url: b.url.replace(server.url, '') }))
        .filter((b: { mb: number }) => b.mb >= 1);
    }
    result.ok = true;
  } catch (error) {
    result.ok = false;
    const message = error instanceof Error ? error.message : typeof error === 'object' ? JSON.stringify(error) : String(error);
    // The bench page reports failures as JSON: phase, time until the failure, statements so far.
    const json = /\{.*\}/s.exec(message)?.[0];
    let failure: { code?: string; message?: string; phase?: string; elapsed_ms?: number; steps?: { byStep: Record<string, number>; statements: { step: string; ms: number; sql: string }[] }; wasm_heap_mb?: number } | null = null;
    try {
      failure = json ? JSON.parse(json) : null;
    } catch {
      failure = null;
    }
    if (failure?.phase) {
      result.failed_phase = failure.phase;
      result.failed_after_ms = failure.elapsed_ms;
      result.steps_ms = failure.steps?.byStep;
      result.statements = failure.steps?.statements;
      result.wasm_heap_mb = failure.wasm_heap_mb ?? undefined;
      result.error = `${failure.code}: ${failure.message} (during ${failure.phase}, after ${Math.round(failure.elapsed_ms ?? 0)} ms)`;
    } else {
      result.error = `${message.split('\n')[0].slice(0, 400)}${console_.length ? ` | console: ${console_.slice(-5).join(' / ').slice(0, 600)}` : ''}`;
    }
    if (sampler) clearInterval(sampler);
    const tree = descendants(process.pid).filter((p) => p.type === 'renderer');
    result.renderer_peak_mb = Math.max(0, ...tree.map((p) => statusKb(p.pid, 'VmHWM'))) / 1024;
    result.chromium_total_peak_mb = totalPeakKb / 1024;
  } finally {
    if (sampler) clearInterval(sampler);
    await browser?.close().catch(() => undefined);
    await server.close();
  }
  return result;
}
