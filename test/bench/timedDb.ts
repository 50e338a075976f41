/**
 * Benchmark-only instrumentation: a SqlDb wrapper that times every statement and names the
 * engine step it belongs to, so a slow run can be broken down without touching the engine.
 * Runs in Node and in a browser worker (no Node imports).
 */
import type { SqlDb } from '../../src/core/db';

export interface StatementTiming {
  step: string;
  ms: number;
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
  [/TABLE transactions_all AS/i, 'transactions_all'],
  [/TABLE transactions AS/i, 'transactions'],
  [/TABLE customer_days AS/i, 'customer_days'],
  [/TABLE rejected AS/i, 'rejected'],
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
  reset(): void;
}

export function timedDb(inner: SqlDb): TimedDb {
  const timings: StatementTiming[] = [];
  const time = async <T>(sql: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      timings.push({ step: stepOf(sql), ms: performance.now() - t0, sql: sql.replace(/\s+/g, ' ').trim().slice(0, 120) });
    }
  };
  return {
    timings,
    query: (sql, params) => time(sql, () => inner.query(sql, params)),
    exec: (sql, params) => time(sql, () => inner.exec(sql, params)),
    columns: (sql, params) => time(sql, () => inner.columns(sql, params)),
    byStep() {
      const out: Record<string, number> = {};
      for (const step of STEPS) {
        const ms = timings.filter((t) => t.step === step).reduce((s, t) => s + t.ms, 0);
        if (ms > 0) out[step] = Math.round(ms);
      }
      return out;
    },
    reset() {
      timings.length = 0;
    },
  };
}
