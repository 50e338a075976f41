/**
 * Benchmark entry point (issue "Data engine §7").
 *
 *   npm run bench -- [--quick] [--only aggregate|train|app|fit|sequence|scale] [--out FILE.json]
 *                    [--rows 1000000,10000000] [--engines chromium,wasm_node,native]
 *                    [--profile] [--native-threads N]
 *
 * --quick        1M rows only (default: 1M and 10M), and no run through the app
 * --only app     the largest file (--rows, default 10M) through the real app in Chromium, with the
 *                page's main thread watched (test/bench/appLoad.ts; key app_load_10m)
 * --only         run just the aggregate benchmark or just the training one (Chromium: test/bench/trainBrowser.ts,
 *                Node and PyTorch: test/bench/trainSpeed.ts, kernels and reads per batch: trainDispatches.ts;
 *                keys train_fnn, train_fnn_browser, train_fnn_node, train_dispatches)
 * --only fit     the default CLV run (fit --model default, 5-fold cross-fitting) on CDNOW_master
 *                (test/bench/fitDefault.ts; key fit_default_cdnow: seconds, cpu_seconds, customers, folds)
 * --only sequence  the sequence nets (LSTM, CNN) through fit --eval split on CDNOW_sample, WASM
 *                (test/bench/sequenceFit.ts; key sequence_fit_sample: seconds and cpu_seconds per net)
 * --only scale   native DuckDB through the CLI on 10M and 100M-row Parquet logs (--rows to change):
 *                rows/s, peak RSS and spill with --memory-limit 4GB, and 4 shards one after another
 *                (test/bench/scale.ts; key scale: rows_100m_native_s, peak_rss_mb, sharded4_s)
 * --out          JSON results (default bench-results/bench.json, which git ignores)
 * --rows         other sizes (comma-separated row counts)
 * --engines      a subset of chromium, wasm_node, native
 * --profile      one more Chromium run through an instrumented copy of the worker, for per-statement times
 *
 * Generated logs are cached in $CLV_BENCH_DATA or <tmpdir>/clv-bench (never in the repository).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENGINES, runAggregate, type AggregateResult, type EngineName } from './aggregate';
import { ROOT } from './aggregateBrowser';
import { STEPS } from './timedDb';
import { runAppLoad } from './appLoad';
import { runAppFitDefault } from './appFitDefault';
import { runFitDefault } from './fitDefault';
import { runScale } from './scale';
import { runSequenceFit } from './sequenceFit';

function flag(argv: string[], name: string): boolean {
  return argv.includes(`--${name}`);
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return v;
}

export function sizeKey(rows: number): string {
  if (rows % 1_000_000 === 0) return `${rows / 1_000_000}m`;
  if (rows % 1_000 === 0) return `${rows / 1_000}k`;
  return String(rows);
}

const fmt = (x: number | null | undefined, d = 0) => (x === null || x === undefined ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, j) => Math.max(...cells.map((r) => r[j]?.length ?? 0)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function printAggregate(key: string, r: AggregateResult): void {
  console.log(`\naggregate_${key}: ${r.rows.toLocaleString('en-US')} rows, ${r.customers.toLocaleString('en-US')} customers, ${r.file_mb} MB CSV`);
  const c = r.runs.chromium;
  const w = r.runs.wasm_node;
  const n = r.runs.native;
  const row = (name: string, ok: boolean | undefined, total: number | undefined, cpu: number | undefined, qcpu: number | undefined, i: number | undefined, l: number | undefined, b: number | undefined, peak: string, init: number | undefined) =>
    ok === undefined ? null : ok ? [name, fmt(total), fmt(qcpu), fmt(cpu), fmt(i), fmt(l), fmt(b), peak, fmt(init)] : [name, 'FAILED', '', '', '', '', '', '', ''];
  const rows = [
    row('DuckDB-WASM, Chromium worker', c?.ok, c?.total_ms, c?.renderer_cpu_ms, c?.worker_thread_cpu_ms, c?.inspect_ms, c?.load_ms, c?.build_ms, c ? `${fmt(c.renderer_peak_mb)} (renderer)` : '', c?.init_ms),
    row('DuckDB-WASM, Node', w?.ok, w?.total_ms, w?.cpu_ms, w?.main_thread_cpu_ms, w?.inspect_ms, w?.load_ms, w?.build_ms, w ? fmt(w.peak_rss_mb) : '', w?.init_ms),
    row(`native DuckDB${n?.threads ? ` (${n.threads} thr)` : ''}`, n?.ok, n?.total_ms, n?.cpu_ms, undefined, n?.inspect_ms, n?.load_ms, n?.build_ms, n ? fmt(n.peak_rss_mb) : '', n?.init_ms),
  ].filter((x): x is string[] => x !== null);
  console.log(table(['engine', 'wall ms', 'query-thread cpu ms', 'process cpu ms', 'inspect', 'load', 'build', 'peak RSS MB', 'init ms'], rows));
  const pass = (b: boolean | null) => (b === null ? 'n/a' : b ? 'PASS' : 'FAIL');
  console.log(
    `ratio wasm(Chromium)/native: ${fmt(r.ratio, 2)}× wall, ${fmt(r.cpu_ratio, 2)}× cpu (worker thread / native process) | targets: Chromium ≤ 3 s ${pass(r.targets.chromium_le_3s)}, ≤ 3× native ${pass(r.targets.ratio_le_3x)}, completes in browser ${r.runs.chromium ? pass(r.targets.completed_in_browser) : 'n/a'}`,
  );
  if (r.chromium_runs_ms.length > 1) {
    console.log(`Chromium runs (fresh browser each, warmed up as the app is): ${r.chromium_runs_ms.map((v) => (v === null ? 'failed' : fmt(v))).join(', ')} ms; the table shows the median run`);
  }
  if (c?.ok) {
    const w = c.warmup;
    if (w) console.log(`Chromium start-up: page load → engine ready ${fmt(c.init_ms)} ms (warm-up steps ${fmt(w.ms)} ms on ${fmt(w.rows)} generated rows${w.heapBytes ? `, ${fmt(w.heapBytes / 2 ** 20)} MiB heap written in ${fmt(w.heapMs)} ms` : ''})`);
    console.log(
      `Chromium memory: renderer peak ${fmt(c.renderer_peak_mb)} MB, all Chromium processes peak ${fmt(c.chromium_total_peak_mb)} MB, measureUserAgentSpecificMemory ${fmt(c.ua_memory_mb)} MB${r.peak_rss_mb.chromium_wasm_heap ? `, DuckDB wasm heap ${fmt(r.peak_rss_mb.chromium_wasm_heap)} MB` : ''}`,
    );
  }
  const stepSets = Object.entries(r.steps_ms);
  if (stepSets.length > 0) {
    const names = STEPS.filter((s) => stepSets.some(([, v]) => v[s] !== undefined));
    console.log(`per step (ms, wall):\n${table(['step', ...stepSets.map(([k]) => k)], names.map((s) => [s, ...stepSets.map(([, v]) => fmt(v[s]))]))}`);
  }
  console.log(`load average (1 min) during the runs: ${r.loadavg_1m.join(' → ')} on ${os.cpus().length} cores`);
  for (const e of r.errors) console.log(`ERROR ${e}`);
}

/**
 * The training benchmark (issue 3 §7): the seed FNN on 100k × 16 synthetic rows, batch 64 and 512.
 *  - test/bench/trainBrowser.ts: headless Chromium, the app's training code in a Web Worker, on each
 *    backend Chromium offers (its own CLI; `--out FILE` writes a JSON object);
 *  - test/bench/trainSpeed.ts: the same in Node (tfjs CPU/WASM, model.fit baseline) and the
 *    PyTorch reference (Debian python3-torch, one thread, same batch sizes) when it is installed.
 * `train_fnn` is the fastest browser configuration the app can use, at the batch size where its
 * ratio to PyTorch is best; everything measured is kept under train_fnn_browser / train_fnn_node.
 * There is no quick mode: --quick changes nothing here.
 */
function runTrain(): Record<string, unknown> {
  const epochs = '2';
  const spawnJson = (script: string): { json: Record<string, unknown> | null; error?: string } => {
    const file = path.join(ROOT, 'test/bench', script);
    if (!existsSync(file)) return { json: null, error: `test/bench/${script} not found` };
    const tmp = path.join(os.tmpdir(), `clv-train-${process.pid}-${script}.json`);
    const args = ['--import', 'tsx', file, '--epochs', epochs, '--out', tmp];
    console.log(`\ntrain: node ${args.join(' ')}`);
    const res = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (res.status === 0 && existsSync(tmp)) {
      const json = JSON.parse(readFileSync(tmp, 'utf8')) as Record<string, unknown>;
      rmSync(tmp, { force: true });
      return { json };
    }
    return { json: null, error: `${script} exited ${res.status ?? res.signal}${existsSync(tmp) ? '' : ' without writing --out'}` };
  };
  const load0 = os.loadavg()[0];
  const browser = spawnJson('trainBrowser.ts');
  const node = spawnJson('trainSpeed.ts');
  // Kernels and GPU → CPU reads per batch: why model.fit is slow on a GPU backend (device-independent).
  const dispatches = spawnJson('trainDispatches.ts');
  const load1 = os.loadavg()[0];

  type Run = { backend: string; variant?: string; batch: number; rows?: number; samples_per_s?: number; skipped?: string; error?: string };
  type Torch = { batch: number; loader: string; samples_per_s: number };
  const runs = ((browser.json?.runs as Run[] | undefined) ?? []).slice();
  const torch = (node.json?.pytorch_cpu as Torch[] | null | undefined) ?? null;
  // The stronger of the two PyTorch loops at each batch size is the reference.
  const torchAt = (batch: number): number | null => {
    const rates = (torch ?? []).filter((t) => t.batch === batch).map((t) => t.samples_per_s);
    return rates.length ? Math.max(...rates) : null;
  };
  const ratio = (r: Run): number | null => {
    const t = torchAt(r.batch);
    return t && r.samples_per_s ? Math.round((r.samples_per_s / t) * 1000) / 1000 : null;
  };
  // What the shipped app can run: the unminified build exists only to test threads.
  const usable = runs.filter((r) => typeof r.samples_per_s === 'number' && !r.variant?.includes('unminified'));
  const ranked = usable
    .map((r) => ({ r, q: ratio(r) ?? -1 }))
    .sort((a, b) => b.q - a.q || (b.r.samples_per_s ?? 0) - (a.r.samples_per_s ?? 0));
  const best = ranked[0]?.r;
  const trainFnn = best
    ? {
        backend: best.backend,
        variant: best.variant,
        batch: best.batch,
        samples_per_s: best.samples_per_s,
        pytorch_cpu_samples_per_s: torchAt(best.batch),
        ratio_vs_pytorch_cpu: ratio(best),
        target_ratio: 0.5,
        meets_target: (ratio(best) ?? 0) >= 0.5,
        per_batch: [...new Set(usable.map((r) => r.batch))].map((batch) => {
          const top = usable.filter((r) => r.batch === batch).sort((a, b) => (b.samples_per_s ?? 0) - (a.samples_per_s ?? 0))[0];
          return { batch, backend: top.backend, variant: top.variant, samples_per_s: top.samples_per_s, pytorch_cpu_samples_per_s: torchAt(batch), ratio_vs_pytorch_cpu: ratio(top) };
        }),
      }
    : { error: browser.error ?? 'no browser configuration finished' };
  const result = {
    train_fnn: trainFnn,
    train_fnn_browser: browser.json ? { ...browser.json, runs: runs.map((r) => ({ ...r, ratio_vs_pytorch_cpu: ratio(r) })) } : { error: browser.error },
    train_fnn_node: node.json ?? { error: node.error },
    train_dispatches: dispatches.json?.train_dispatches ?? { error: dispatches.error },
    train_loadavg_1m: { before: load0, after: load1, cores: os.cpus().length },
  };

  console.log('\ntrain_fnn: seed FNN, samples/s (fastest epoch); ratio = samples/s ÷ PyTorch CPU (1 thread) at the same batch');
  const rows: (string | number)[][] = runs.map((r) => [
    `chromium ${r.backend}`,
    r.variant ?? '',
    r.batch,
    r.rows ? fmt(r.rows) : '',
    r.skipped ? 'skipped (see below)' : r.error ? 'FAILED (see below)' : fmt(r.samples_per_s),
    r.samples_per_s ? fmt(ratio(r), 2) : '',
  ]);
  type NodeRun = { backend: string; batch: number; rows: number; samples_per_s: number };
  for (const r of (node.json?.train_fnn_node as NodeRun[] | undefined) ?? []) rows.push([`node ${r.backend}`, 'trainer.ts loop', r.batch, fmt(r.rows), fmt(r.samples_per_s), fmt(ratio(r), 2)]);
  for (const r of (node.json?.layers_fit_baseline as NodeRun[] | undefined) ?? []) rows.push([`node ${r.backend}`, 'tfjs-layers model.fit', r.batch, fmt(r.rows), fmt(r.samples_per_s), fmt(ratio(r), 2)]);
  for (const t of torch ?? []) rows.push(['pytorch cpu', `1 thread, ${t.loader} loader`, t.batch, '', fmt(t.samples_per_s), '']);
  console.log(table(['engine', 'variant', 'batch', 'rows', 'samples/s', '× pytorch'], rows));
  for (const r of runs.filter((x) => x.skipped || x.error)) console.log(`chromium ${r.backend} batch ${r.batch}${r.variant ? ` (${r.variant})` : ''}: ${r.skipped ? `skipped: ${r.skipped}` : `FAILED: ${r.error}`}`);
  if (browser.json?.webgl_renderer) console.log(`WebGL renderer: ${String(browser.json.webgl_renderer)}`);
  if (!torch) console.log(`PyTorch reference: ${String(node.json?.pytorch_note ?? node.error ?? 'not measured')}`);
  else console.log(`PyTorch: ${String(node.json?.pytorch_note)}`);
  if ('backend' in trainFnn) {
    console.log(
      `best browser: ${trainFnn.backend} (${trainFnn.variant}) batch ${trainFnn.batch}: ${fmt(trainFnn.samples_per_s)} samples/s = ${fmt(trainFnn.ratio_vs_pytorch_cpu, 2)}× PyTorch CPU (${fmt(trainFnn.pytorch_cpu_samples_per_s)}) | target ≥ 0.5×: ${trainFnn.ratio_vs_pytorch_cpu === null ? 'n/a' : trainFnn.meets_target ? 'PASS' : 'FAIL'}`,
    );
  } else console.log(`train_fnn: ${trainFnn.error}`);
  type Dispatch = { loop: string; batch: number; kernels_per_batch: number; reads_per_batch: number };
  for (const d of (dispatches.json?.train_dispatches as Dispatch[] | undefined) ?? []) {
    console.log(`dispatches, batch ${d.batch}: ${d.loop}: ${fmt(d.kernels_per_batch, 1)} kernels and ${fmt(d.reads_per_batch, 2)} GPU → CPU reads per batch`);
  }
  if (browser.json?.app_choice) console.log(`app's backend choice in headless Chromium: ${String(browser.json.app_choice)}`);
  console.log(`load average (1 min): ${load0.toFixed(2)} before, ${load1.toFixed(2)} after, browser runs ${((browser.json?.loadavg_1m as number[] | undefined) ?? []).map((l) => l.toFixed(1)).join(' → ')} on ${os.cpus().length} cores`);
  for (const e of [browser.error, node.error, dispatches.error, ...((browser.json?.errors as string[] | undefined) ?? [])].filter(Boolean)) console.log(`ERROR ${e}`);
  return result;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = flag(argv, 'quick');
  const only = option(argv, 'only');
  if (only !== undefined && !['aggregate', 'train', 'app', 'fit', 'sequence', 'scale'].includes(only)) throw new Error(`--only must be aggregate, train, app, fit, sequence or scale, got ${only}`);
  const out = path.resolve(option(argv, 'out') ?? path.join(ROOT, 'bench-results', 'bench.json'));
  const sizes = (option(argv, 'rows') ?? (quick ? '1000000' : '1000000,10000000')).split(',').map((s) => Number(s.replace(/_/g, '')));
  const engines = (option(argv, 'engines')?.split(',') ?? ENGINES) as EngineName[];
  for (const e of engines) if (!ENGINES.includes(e)) throw new Error(`unknown engine ${e}; use ${ENGINES.join(', ')}`);
  const threads = option(argv, 'native-threads');

  const results: Record<string, unknown> = {};
  const save = () => {
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  };
  results.meta = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, mem_gb: Math.round(os.totalmem() / 2 ** 30), argv };
  if (only === 'scale') {
    // Only by name: it writes gigabytes of logs and runs for many minutes.
    const scaleRows = (option(argv, 'rows') ?? '10000000,100000000').split(',').map((s) => Number(s.replace(/_/g, '')));
    Object.assign(results, await runScale(scaleRows, option(argv, 'memory-limit') ?? '4GB'));
    save();
    console.log(`
scale: ${JSON.stringify(results.scale)}`);
    return;
  }
  if (only === undefined || only === 'aggregate') {
    for (const rows of sizes) {
      if (!Number.isSafeInteger(rows) || rows < 10) throw new Error(`bad row count ${rows}`);
      const r = await runAggregate(rows, { engines, profile: flag(argv, 'profile'), nativeThreads: threads ? Number(threads) : undefined, log: (l) => console.log(l) });
      const key = sizeKey(rows);
      results[`aggregate_${key}`] = r;
      save();
      printAggregate(key, r);
    }
  }
  if (only === 'app' || (only === undefined && !quick)) {
    // The largest file through the real app, main thread watched (test/bench/appLoad.ts).
    const rows = Math.max(...sizes);
    const key = `app_load_${sizeKey(rows)}`;
    try {
      const r = await runAppLoad(rows);
      results[key] = r;
      console.log(
        `\n${key}: RFM table after ${fmt(r.ms_to_rfm_table / 1000, 1)} s, all panels after ${fmt(r.ms_to_all_panels / 1000, 1)} s; main thread: longest task ${fmt(r.main_thread.maxTask)} ms, longest timer gap ${fmt(r.main_thread.maxGap)} ms over ${fmt(r.main_thread.ticks)} ticks`,
      );
      for (const step of r.steps_seen) console.log(`  shown: ${step}`);
    } catch (error) {
      results[key] = { error: error instanceof Error ? error.message : String(error) };
      console.log(`\n${key}: FAILED ${String(results[key] && (results[key] as { error: string }).error)}`);
    }
    save();
  }
  if (only === undefined || only === 'train') Object.assign(results, runTrain());
  save();
  if (only === undefined || only === 'sequence') {
    const sequence = runSequenceFit(ROOT);
    results.sequence_fit_sample = sequence;
    save();
    const line = (r: { seconds: number; cpu_seconds: number | null } | { error: string }) => ('error' in r ? `FAILED ${r.error}` : `${fmt(r.seconds, 1)} s wall, ${r.cpu_seconds === null ? '?' : fmt(r.cpu_seconds, 1)} s CPU`);
    console.log(`\nsequence_fit_sample (${'error' in sequence ? 'FAILED' : `${sequence.epochs} epochs`}): ${'error' in sequence ? sequence.error : (['lstm', 'cnn'] as const).map((m) => `${m} ${line(sequence[m])}`).join('; ')}`);
  }
  if (only === undefined || only === 'fit') {
    const fit = runFitDefault(ROOT);
    results.fit_default_cdnow = fit;
    save();
    console.log(`\nfit_default_cdnow: ${'error' in fit ? `FAILED ${fit.error}` : `${fmt(fit.seconds, 1)} s wall, ${fit.cpu_seconds === null ? '?' : fmt(fit.cpu_seconds, 1)} s CPU, ${fit.customers} customers, ${fit.folds} folds, ${fit.training_threads} training threads (load ${fmt(fit.loadavg_1m.before, 1)} → ${fmt(fit.loadavg_1m.after, 1)} on ${fit.loadavg_1m.cores} cores)`}`);
    // The same run in the app (test/bench/appFitDefault.ts): Train clicked → metrics on screen.
    const app = await runAppFitDefault();
    results.app_fit_default_cdnow = app;
    save();
    console.log(`\napp_fit_default_cdnow: ${'error' in app ? `FAILED ${app.error}` : `${fmt(app.seconds, 1)} s from Train to metrics, ${app.customers} customers, ${app.protocol}${app.folds ? ` (${app.folds} folds)` : ''}, ${app.backend}, nets on ${app.training_workers} workers (load ${fmt(app.loadavg_1m.before, 1)} → ${fmt(app.loadavg_1m.after, 1)} on ${app.loadavg_1m.cores} cores)`}`);
  }
  console.log(`\nresults: ${out}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
