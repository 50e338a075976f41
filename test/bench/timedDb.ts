/**
 * Benchmark-only instrumentation: a SqlDb wrapper that times every statement and names the
 * engine step it belongs to, so a slow run can be broken down without touching the engine.
 * Runs in Node and in a browser worker (no Node imports).
 */
import type { SqlDb } from '../../src/core/db';

export interface StatementTiming {
  step: string;
  ms: number;
  /** CPU ms of the calling thread, when a cpu clock was given (Node: /proc, 10 ms ticks). */
  cpu_ms?: number;
  sql: string;
}

/** Engine steps in flow order; `stepOf` maps each statement the engine issues to one of them. */
export const STEPS = [
  'inspect',
  'staging',
  'transactions_all',
  'transactions',
  'customer_days',
  'rejected',
  'quality',
  'build_shared',
  'rfm',
  'features',
  'visitante',
  'other',
] as const;
export type Step = (typeof STEPS)[number];

const RULES: [RegExp, Step][] = [
  [/^\s*SELECT line FROM read_csv/i, 'inspect'],
  [/^\s*DESCRIBE /i, 'inspect'],
  [/LIMIT 1000\s*$/i, 'inspect'],
  [/TABLE staged AS/i, 'staging'],
  [/(TABLE|VIEW) transactions_all AS/i, 'transactions_all'],
  [/VIEW transactions AS/i, 'transactions'],
  // customer_stats: the shared per-customer table that rfm, features and visitante are built from
  [/TABLE (purchase_days|purchase_stats|customer_stats) AS/i, 'build_shared'],
  [/TABLE transactions AS/i, 'transactions'],
  [/TABLE customer_days AS/i, 'customer_days'],
  [/TABLE rejected AS/i, 'rejected'],
  [/FROM staged WHERE reason IS NOT NULL\s*$/i, 'rejected'],
  [/TABLE rfm AS/i, 'rfm'],
  [/FROM rfm\s*$/i, 'rfm'],
  [/TABLE features AS/i, 'features'],
  [/FROM features\)/i, 'features'],
  [/TABLE visitante AS/i, 'visitante'],
  // qualityReport's reads of staged / transactions_all / transactions
  [/FROM (staged|transactions_all|transactions)\b/i, 'quality'],
];

export function stepOf(sql: string): Step {
  for (const [re, step] of RULES) if (re.test(sql)) return step;
  return 'other';
}

export interface TimedDb extends SqlDb {
  timings: StatementTiming[];
  /** Milliseconds per step, in STEPS order, steps with no statement left out. */
  byStep(): Record<string, number>;
  /** The same with CPU ms (empty without a cpu clock). */
  byStepCpu(): Record<string, number>;
  reset(): void;
}

export function timedDb(inner: SqlDb, cpuClock?: () => number): TimedDb {
  const timings: StatementTiming[] = [];
  const time = async <T>(sql: string, work: () => Promise<T>): Promise<T> => {
    const c0 = cpuClock?.();
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      const ms = performance.now() - t0;
      const cpu = c0 === undefined ? undefined : cpuClock!() - c0;
      timings.push({ step: stepOf(sql), ms, ...(cpu === undefined ? {} : { cpu_ms: cpu }), sql: sql.replace(/\s+/g, ' ').trim().slice(0, 120) });
    }
  };
  const sumBy = (value: (t: StatementTiming) => number | undefined) => {
    const out: Record<string, number> = {};
    for (const step of STEPS) {
      const picked = timings.filter((t) => t.step === step && value(t) !== undefined);
      if (picked.length > 0) out[step] = Math.round(picked.reduce((s, t) => s + value(t)!, 0));
    }
    return out;
  };
  return {
    timings,
    query: (sql, params) => time(sql, () => inner.query(sql, params)),
    exec: (sql, params) => time(sql, () => inner.exec(sql, params)),
    columns: (sql, params) => time(sql, () => inner.columns(sql, params)),
    // Parquet/JSON arrive as an Arrow table of text columns: part of inspect.
    insertArrowIpc: (table, ipc) => time('SELECT line FROM read_csv /* insertArrowIpc */', () => inner.insertArrowIpc(table, ipc)),
    byStep: () => sumBy((t) => t.ms),
    byStepCpu: () => sumBy((t) => t.cpu_ms),
    reset() {
      timings.length = 0;
    },
  };
}
