import type { SqlDb } from './db';
import { DataEngine, type SourceFile } from './engine';
import { Rng } from './random';
import { ident } from './sql';

/**
 * Warming the data engine up before the user's first file.
 *
 * DuckDB-WASM's code starts out compiled by V8's baseline compiler; a function is recompiled by the
 * optimising one only after it has run hot. A first 1M-row file therefore runs about twice as slowly
 * as the same file a second time (5.6 s against 2.8 s in headless Chromium). Running the engine's own
 * pipeline once on a generated log, while the page waits for a file, makes the hot code hot.
 *
 * The warm-up works in a schema of its own, on a connection of its own, so the user's tables are
 * never touched, and it stops between steps as soon as the user needs the engine.
 */

export const WARMUP_SCHEMA = 'clv_warmup';
export const WARMUP_FILE_NAME = 'clv_warmup.csv';
/** Rows of the generated log: enough for the hot paths of parsing, grouping, sorting and windows to tier up. */
export const WARMUP_ROWS = 200_000;

export interface WarmupReport {
  /** Wall time of the steps that ran. */
  ms: number;
  /** Steps that ran (inspect, load, build), in order, and how long each took: a user's first call waits for at most one. */
  steps: string[];
  stepMs: number[];
  /** False when the user needed the engine before the last step. */
  completed: boolean;
}

const DAY_MS = 86_400_000;
const START_DAY = Date.UTC(2022, 0, 1) / DAY_MS;
const SPAN_DAYS = 730;

/**
 * A deterministic transaction log as CSV bytes (`customer_id,date,amount`): customers buying at
 * their own rate over two years, lognormal amounts, some same-day purchases, a few returns and a
 * few unusable rows (so cleaning and the rejected-rows table run too).
 */
export function warmupLog(rows: number, seed = 1): Uint8Array {
  const rng = new Rng(seed);
  const lines: string[] = ['customer_id,date,amount'];
  const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
  let customer = 0;
  while (lines.length <= rows) {
    customer++;
    const id = `W${String(customer).padStart(7, '0')}`;
    const purchases = 1 + Math.floor(-Math.log(1 - rng.uniform()) * 5);
    const meanGap = 10 + rng.uniform() * 80;
    const typical = 3 + rng.normal(0, 0.6);
    let day = START_DAY + rng.int(SPAN_DAYS);
    for (let k = 0; k < purchases && lines.length <= rows && day < START_DAY + SPAN_DAYS; k++) {
      const amount = Math.exp(typical + rng.normal(0, 0.4));
      const n = lines.length;
      if (n % 1999 === 0) lines.push(`${id},not a date,${amount.toFixed(2)}`);
      else if (n % 2999 === 0) lines.push(`,${iso(day)},${amount.toFixed(2)}`);
      else if (n % 499 === 0) lines.push(`${id},${iso(day)},${(-amount).toFixed(2)}`);
      else lines.push(`${id},${iso(day)},${amount.toFixed(2)}`);
      // One purchase in ten is followed by another on the same day.
      if (rng.uniform() >= 0.1) day += 1 + Math.floor(-Math.log(1 - rng.uniform()) * meanGap);
    }
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/**
 * Runs inspect → load → build on `file` in WARMUP_SCHEMA (created here, dropped at the end).
 * `db` must be a connection of its own: it is switched to that schema while the steps run.
 * `shouldStop` is asked before each step and `pause` runs after each, so a waiting call of the
 * user gets the engine after at most one step.
 */
export async function warmUpEngine(db: SqlDb, file: SourceFile, shouldStop: () => boolean, pause: () => Promise<void>): Promise<WarmupReport> {
  const steps: string[] = [];
  const stepMs: number[] = [];
  const t0 = performance.now();
  const schema = ident(WARMUP_SCHEMA);
  await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await db.exec(`USE ${schema}`);
  const engine = new DataEngine(db);
  const run: [string, () => Promise<unknown>][] = [
    ['inspect', () => engine.inspect(file)],
    ['load', () => engine.load(engine.state.mapping!)],
    ['build', () => engine.build()],
  ];
  try {
    for (const [name, step] of run) {
      if (shouldStop()) break;
      const started = performance.now();
      await step();
      steps.push(name);
      stepMs.push(performance.now() - started);
      await pause();
    }
  } finally {
    // Each on its own: a failed USE must not keep the schema (its tables would outlive the warm-up).
    await db.exec('USE main').catch(() => undefined);
    await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
  return { ms: performance.now() - t0, steps, stepMs, completed: steps.length === run.length };
}
