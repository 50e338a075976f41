/**
 * Benchmark entry point (issue "Data engine §7").
 *
 *   npm run bench -- [--quick] [--only aggregate|train] [--out FILE.json]
 *                    [--rows 1000000,10000000] [--engines chromium,wasm_node,native]
 *                    [--profile] [--proto] [--native-threads N]
 *
 * --quick        1M rows only (default: 1M and 10M)
 * --only         run just the aggregate benchmark or just the training one (test/bench/trainSpeed.ts,
 *                whose JSON goes under "train")
 * --out          JSON results (default bench-results/bench.json, which git ignores)
 * --rows         other sizes (comma-separated row counts)
 * --engines      a subset of chromium, wasm_node, native
 * --profile      one more Chromium run through an instrumented copy of the worker, for per-statement times
 * --proto        measure the prototype engine copy (test/bench/proto) instead; keys get a _proto suffix
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
  if (c?.ok) {
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
 * The training benchmark (test/bench/trainSpeed.ts, its own CLI: `--out FILE` writes a JSON
 * object). Its result goes under "train". It has no quick mode, so --quick changes nothing there.
 */
function runTrain(): Record<string, unknown> {
  const script = path.join(ROOT, 'test/bench/trainSpeed.ts');
  if (!existsSync(script)) {
    console.log('\ntrain: test/bench/trainSpeed.ts does not exist; skipped');
    return { train: { skipped: 'test/bench/trainSpeed.ts not found' } };
  }
  const tmp = path.join(os.tmpdir(), `clv-train-${process.pid}.json`);
  const args = ['--import', 'tsx', script, '--out', tmp];
  console.log(`\ntrain: node ${args.join(' ')}`);
  const res = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.status === 0 && existsSync(tmp)) {
    const out = JSON.parse(readFileSync(tmp, 'utf8')) as Record<string, unknown>;
    rmSync(tmp, { force: true });
    return { train: out };
  }
  return { train: { error: `trainSpeed.ts exited ${res.status ?? res.signal}${existsSync(tmp) ? '' : ' without writing --out'}` } };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = flag(argv, 'quick');
  const only = option(argv, 'only');
  if (only !== undefined && only !== 'aggregate' && only !== 'train') throw new Error(`--only must be aggregate or train, got ${only}`);
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
  if (only !== 'train') {
    for (const rows of sizes) {
      if (!Number.isSafeInteger(rows) || rows < 10) throw new Error(`bad row count ${rows}`);
      const proto = flag(argv, 'proto');
      const r = await runAggregate(rows, { engines, profile: flag(argv, 'profile'), proto, nativeThreads: threads ? Number(threads) : undefined, log: (l) => console.log(l) });
      const key = `${sizeKey(rows)}${proto ? '_proto' : ''}`;
      results[`aggregate_${key}`] = r;
      save();
      printAggregate(key, r);
    }
  }
  if (only !== 'aggregate') Object.assign(results, runTrain());
  save();
  console.log(`\nresults: ${out}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
