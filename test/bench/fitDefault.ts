/**
 * `fit_default_cdnow`: the default run as a user starts it — `fit --model default` (all default
 * models, 5-fold cross-fitting) on CDNOW_master, cutoff 1997-09-30, horizon to 1998-06-30, weeks —
 * in a fresh CLI process. Reports wall seconds of the whole process, the CPU seconds it used
 * (user + system, from /proc on Linux; null elsewhere), the customers scored and the folds, and the
 * 1-minute load average before and after: on a shared machine the wall time says as much about the
 * neighbours as about the code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CDNOW_MASTER = process.env.CLV_CDNOW_MASTER ?? '/work/shared/datasets/cdnow/CDNOW_master.txt';

export interface FitDefaultResult {
  seconds: number;
  cpu_seconds: number | null;
  customers: number;
  folds: number;
  protocol: string;
  /** Threads the nets trained on side by side (`fit --workers`, default one per core). */
  training_threads: number;
  loadavg_1m: { before: number; after: number; cores: number };
}

/** CPU seconds (user + system) used by this process's waited-for children, from /proc/self/stat. */
export function childrenCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 (cutime, cstime) of proc(5), counted from field 3 at index 0.
    const ticks = Number(fields[13]) + Number(fields[14]);
    const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    return ticks / hz;
  } catch {
    return null;
  }
}

export function runFitDefault(root: string): FitDefaultResult | { error: string } {
  if (!existsSync(CDNOW_MASTER)) return { error: `${CDNOW_MASTER} not found (set CLV_CDNOW_MASTER)` };
  const out = mkdtempSync(path.join(os.tmpdir(), 'clv-fit-default-'));
  const args = ['--import', 'tsx', path.join(root, 'src/cli.ts'), 'fit', CDNOW_MASTER, '--cutoff', '1997-09-30', '--horizon-end', '1998-06-30', '--unit', 'week', '--model', 'default', '--backtest', 'off', '--out', out];
  console.log(`\nfit: node ${args.join(' ')}`);
  const before = os.loadavg()[0];
  const cpu0 = childrenCpuSeconds();
  const started = performance.now();
  const res = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - started) / 1000;
  const cpu1 = childrenCpuSeconds();
  const after = os.loadavg()[0];
  rmSync(out, { recursive: true, force: true });
  if (res.status !== 0) return { error: `fit exited ${res.status ?? res.signal}: ${res.stderr.trim().split('\n').pop()}` };
  const summary = JSON.parse(res.stdout) as { customers: number; protocol: string; training_threads: number };
  const folds = Number(/^(\d+)-fold/.exec(summary.protocol)?.[1] ?? 1);
  return {
    seconds,
    cpu_seconds: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
    customers: summary.customers,
    folds,
    protocol: summary.protocol,
    training_threads: summary.training_threads,
    loadavg_1m: { before, after, cores: os.cpus().length },
  };
}
