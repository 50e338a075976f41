/**
 * The scale benchmark (issue 15 §3): native DuckDB on large Parquet logs through the CLI, as a user
 * runs it, each command in its own process.
 *
 *   npm run bench -- --only scale [--rows 10000000,100000000] [--memory-limit 4GB]
 *
 * For each size: the synthetic log (syntheticLog.ts, cached as CSV) converted once to Parquet,
 * then `features LOG.parquet --engine native --memory-limit 4GB --temp-dir DIR --format parquet`
 * (wall time, rows/s, peak RSS of the process, most bytes spilled to DIR at once), then the
 * sharded run: `stats --shard K/4` for K = 1..4 one after another and `features --from-stats`.
 * Peak RSS and spill are sampled every 100 ms from /proc and the temp folder.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureSyntheticLog, syntheticDir } from './syntheticLog';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const CLI = path.join(ROOT, 'src/cli.ts');
/** The synthetic logs run from 2021-01-01 over three years: learn up to mid-2023, predict its second half. */
const PERIOD = ['--cutoff', '2023-06-30', '--horizon-end', '2023-12-31'];
const SHARDS = 4;

export interface CommandRun {
  argv: string[];
  seconds: number;
  /** CPU time of the process (user + system, all threads), from its last /proc sample: what the load of others does not inflate. */
  cpu_s: number;
  peak_rss_mb: number;
  spill_peak_mb: number;
  summary: Record<string, unknown> | null;
  error?: string;
}

function folderBytes(dir: string): number {
  let total = 0;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const n of names) {
    try {
      const s = statSync(path.join(dir, n));
      total += s.isDirectory() ? folderBytes(path.join(dir, n)) : s.size;
    } catch {
      // removed while counted
    }
  }
  return total;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU seconds of a process so far (all its threads). */
function cpuOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    // After "pid (comm) ", utime and stime are the 12th and 13th fields, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** One CLI command in its own Node process, with its wall time, peak RSS and the temp folder's peak size. */
export function runClv(argv: string[], tempDir: string): Promise<CommandRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let peakRss = 0;
    let peakSpill = 0;
    let cpu = 0;
    const sample = () => {
      cpu = Math.max(cpu, cpuOf(child.pid!));
      peakRss = Math.max(peakRss, rssOf(child.pid!));
      peakSpill = Math.max(peakSpill, folderBytes(tempDir));
    };
    const timer = setInterval(sample, 100);
    child.on('close', (code) => {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      const mb = (b: number) => Math.round(b / 2 ** 20);
      let summary: Record<string, unknown> | null = null;
      try {
        summary = JSON.parse(stdout) as Record<string, unknown>;
      } catch {
        // reported as the error
      }
      resolve({ argv, seconds, cpu_s: Number(cpu.toFixed(1)), peak_rss_mb: mb(peakRss), spill_peak_mb: mb(peakSpill), summary, ...(code === 0 ? {} : { error: stderr.trim() || `exit ${code}` }) });
    });
  });
}

/** The log as Parquet (typed columns, zstd), converted once by native DuckDB and cached beside the CSV. */
async function parquetLog(rows: number): Promise<{ path: string; csvSeconds: number; customers: number; mb: number }> {
  const csv = ensureSyntheticLog(rows);
  const file = csv.path.replace(/\.csv$/, '.parquet');
  if (!existsSync(file)) {
    const { openNativeDb } = await import('../../src/node/nativeDb');
    const db = await openNativeDb({ memoryLimit: '4GB', tempDir: path.join(syntheticDir(), 'convert-tmp') });
    const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
    await db.exec(
      `COPY (SELECT customer_id, CAST(date AS DATE) AS date, CAST(amount AS DOUBLE) AS amount FROM read_csv(${quote(csv.path)}, header=true, columns={'customer_id': 'VARCHAR', 'date': 'DATE', 'amount': 'DOUBLE'}))
       TO ${quote(`${file}.partial`)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    db.close();
    const { renameSync } = await import('node:fs');
    renameSync(`${file}.partial`, file);
  }
  return { path: file, csvSeconds: csv.ms / 1000, customers: csv.customers, mb: Math.round(statSync(file).size / 2 ** 20) };
}

const key = (rows: number) => (rows % 1_000_000 === 0 ? `${rows / 1_000_000}m` : String(rows));

export async function runScale(sizes: number[], memoryLimit = '4GB', log: (line: string) => void = console.log): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = { memory_limit: memoryLimit, cores: os.cpus().length, loadavg_1m_before: os.loadavg()[0] };
  const scale: Record<string, number | null> = {};
  const work = path.join(syntheticDir(), 'scale');
  for (const rows of sizes) {
    const k = key(rows);
    log(`scale ${k}: preparing the Parquet log`);
    const log_ = await parquetLog(rows);
    const tempDir = path.join(work, `spill-${k}`);
    const out = path.join(work, `out-${k}`);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(tempDir, { recursive: true });
    const native = ['--engine', 'native', '--memory-limit', memoryLimit, '--temp-dir', tempDir];
    log(`scale ${k}: features --engine native (${log_.mb} MB Parquet)`);
    const whole = await runClv(['features', log_.path, ...PERIOD, ...native, '--format', 'parquet', '--out', out], tempDir);
    log(`  ${whole.error ? `FAILED: ${whole.error}` : `${whole.seconds.toFixed(1)} s (${whole.cpu_s} s CPU), peak RSS ${whole.peak_rss_mb} MB, spill peak ${whole.spill_peak_mb} MB`}`);
    const shards: CommandRun[] = [];
    for (let s = 1; s <= SHARDS; s++) {
      log(`scale ${k}: stats --shard ${s}/${SHARDS}`);
      shards.push(await runClv(['stats', log_.path, ...PERIOD, ...native, '--shard', `${s}/${SHARDS}`, '--out', path.join(out, 'stats')], tempDir));
    }
    log(`scale ${k}: features --from-stats`);
    const combine = await runClv(['features', '--from-stats', path.join(out, 'stats', '*.parquet'), ...native, '--format', 'parquet', '--out', path.join(out, 'sharded')], tempDir);
    const sharded = [...shards, combine];
    const failed = sharded.find((r) => r.error);
    const shardedSeconds = sharded.reduce((s, r) => s + r.seconds, 0);
    log(`  sharded (${SHARDS} stats one after another + from-stats): ${failed ? `FAILED: ${failed.error}` : `${shardedSeconds.toFixed(1)} s (stats ${shards.map((r) => r.seconds.toFixed(1)).join(' / ')} s, from-stats ${combine.seconds.toFixed(1)} s)`}`);
    result[`scale_${k}`] = { rows, customers: log_.customers, parquet_mb: log_.mb, unsharded: whole, sharded: { runs: sharded, seconds: shardedSeconds, peak_rss_mb: Math.max(...sharded.map((r) => r.peak_rss_mb)) } };
    scale[`rows_${k}_native_s`] = whole.error ? null : Number(whole.seconds.toFixed(1));
    scale[`rows_${k}_per_s`] = whole.error ? null : Math.round(rows / whole.seconds);
    scale[`peak_rss_mb_${k}`] = whole.peak_rss_mb;
    scale[`spill_mb_${k}`] = whole.spill_peak_mb;
    scale[`sharded4_s_${k}`] = failed ? null : Number(shardedSeconds.toFixed(1));
    scale[`cpu_s_${k}`] = whole.cpu_s;
    scale[`sharded4_cpu_s_${k}`] = Number(sharded.reduce((s, r) => s + r.cpu_s, 0).toFixed(1));
    rmSync(work, { recursive: true, force: true });
  }
  const largest = key(Math.max(...sizes));
  // The issue's headline keys, for the largest size run.
  result.scale = { ...scale, [`rows_${largest}_native_s`]: scale[`rows_${largest}_native_s`], peak_rss_mb: scale[`peak_rss_mb_${largest}`], sharded4_s: scale[`sharded4_s_${largest}`] };
  result.loadavg_1m_after = os.loadavg()[0];
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--rows');
  const sizes = (i >= 0 ? argv[i + 1] : '10000000').split(',').map(Number);
  const r = await runScale(sizes);
  const o = argv.indexOf('--out');
  if (o >= 0) writeFileSync(argv[o + 1], `${JSON.stringify(r, null, 2)}\n`);
  console.log(JSON.stringify(r.scale));
}
