/**
 * One Node measurement in its own process (so its peak RSS is its own):
 *   node --import tsx test/bench/aggregateNode.ts --engine wasm|native --file LOG.csv --warm SMALL.csv [--threads N]
 * Prints one line `@@RESULT {json}` on stdout.
 *
 * Peak memory is the kernel's high-water mark of the process (getrusage maxRSS), which also
 * catches peaks inside a blocking duckdb-wasm call where no JS sampler could run.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { DataEngine } from '../../src/core/engine';
import type { SqlDb } from '../../src/core/db';
import { openNativeDb } from './nativeDb';
import { openWasmDb } from '../../src/node/wasmDb';
import { runFlow } from './flow';
import { timedDb } from './timedDb';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const MB = 1024 * 1024;

/** CPU ms of this process's main thread (where duckdb-wasm's blocking build runs all queries). */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

async function main(): Promise<void> {
  const kind = arg('engine');
  const file = arg('file');
  const warm = arg('warm');
  const threads = arg('threads');
  if ((kind !== 'wasm' && kind !== 'native') || !file) throw new Error('usage: --engine wasm|native --file FILE [--warm FILE] [--threads N]');
  const t0 = performance.now();
  const db: SqlDb & { close(): void } = kind === 'wasm' ? await openWasmDb() : await openNativeDb({ threads: threads ? Number(threads) : undefined });
  const initMs = performance.now() - t0;
  // Per-statement CPU of the main thread: the query work for wasm; for native only the caller's share.
  const timed = timedDb(db, kind === 'wasm' ? mainThreadCpuMs : undefined);
  const engine = new DataEngine(timed);
  let warmMs = 0;
  if (warm) {
    const w0 = performance.now();
    await runFlow(engine, warm);
    warmMs = performance.now() - w0;
    timed.reset();
  }
  const rssBefore = process.memoryUsage().rss;
  const load0 = os.loadavg()[0];
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  const { times, summary } = await runFlow(engine, file);
  const cpu = process.cpuUsage(cpu0);
  const mainCpu = mainThreadCpuMs() - main0;
  const rssAfter = process.memoryUsage().rss;
  const result = {
    engine: kind,
    threads: threads ? Number(threads) : null,
    init_ms: initMs,
    warm_ms: warmMs,
    ...times,
    cpu_ms: (cpu.user + cpu.system) / 1000,
    main_thread_cpu_ms: mainCpu,
    loadavg_1m: [load0, os.loadavg()[0]],
    steps_ms: timed.byStep(),
    steps_cpu_ms: timed.byStepCpu(),
    statements: timed.timings.map((t) => ({ step: t.step, ms: Math.round(t.ms), cpu_ms: t.cpu_ms, sql: t.sql })),
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    rss_before_mb: rssBefore / MB,
    rss_after_mb: rssAfter / MB,
    summary,
  };
  process.stdout.write(`@@RESULT ${JSON.stringify(result)}\n`);
  db.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
