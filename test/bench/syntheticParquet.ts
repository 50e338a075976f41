/**
 * The synthetic transaction log of syntheticLog.ts, generated inside native DuckDB and written
 * straight to Parquet: the scale benchmark's large logs (10M, 100M rows) in a minute or two instead
 * of the JavaScript generator's half hour plus a CSV → Parquet conversion.
 *
 * The same story and the same parameters (DEFAULT_SYNTHETIC), per customer:
 *  - first purchase at t0 ~ Uniform(0, cohortShare · spanDays) days after `start`;
 *  - purchase rate λ ~ Gamma(r, α) per day, Poisson purchases while alive;
 *  - after each purchase the customer drops out for good with probability p ~ Beta(a, b);
 *  - each purchase spends round(100 · exp(Normal(logSpend, purchaseLogSd))) cents (at least 1),
 *    logSpend ~ Normal(spendLogMean, spendLogSd);
 *  - rows written in blocks of `blockCustomers` customers, in date order inside a block
 *    (ties by customer), exactly `rows` rows, the last customer cut short (its latest purchases
 *    dropped); columns customer_id (VARCHAR 'C0000001'), date (DATE), amount (DOUBLE, whole cents)
 *    as the benchmark's CSV → Parquet conversion typed them.
 *
 * How the same process is drawn without a loop (SQL has none per customer):
 *  - the number of purchases the customer would make if time never ran out is K ~ Geometric(p)
 *    on 1, 2, … (dropout after each purchase), drawn by inversion;
 *  - only the first M = min(K, cap) purchases are drawn, cap = 2 + ⌈μ + 6√μ + 6⌉ with
 *    μ = λ · (spanDays − t0): the Poisson process cannot reach the cap inside the span except with
 *    negligible probability (a 6σ tail), so the cap changes nothing that is written;
 *  - the M-th purchase falls at t0 + G, G ~ Gamma(M − 1, λ) (the sum of M − 1 exponential gaps),
 *    and, given it, the M − 2 purchases in between are independent Uniform(t0, t0 + G) (the
 *    order-statistics property of the Poisson process); purchases at or after the end of the span
 *    are not written. This is the same distribution as the JavaScript generator's gap-by-gap walk.
 * Random numbers: counter-based, from DuckDB's 64-bit `hash()` (a MurmurHash finaliser) of keys
 * chained by xor: the customer's key is hash(hash(seed) xor customer), a purchase's key
 * hash(hash(customer key) xor purchase number), and stream k of a key is hash(key xor k) (top 53
 * bits → a uniform on (0, 1)). Normals by Box–Muller; Gamma by Marsaglia & Tsang (2000), as in
 * syntheticLog.ts, with at most four tries (the chance that all four are rejected is below 10⁻⁵;
 * then the last try's value is kept, slightly off the Gamma); shape < 1 by the
 * Gamma(shape + 1) · U^(1/shape) boost, as in syntheticLog.ts.
 *
 * Where it differs from syntheticLog.ts: the random numbers (hashes, not xoshiro128**), so the
 * rows are not the JavaScript generator's rows, only the same distribution; the output is
 * Parquet, not CSV; the cap and the four Gamma tries above; and the bytes depend on the DuckDB
 * version (its `hash()` may change between versions: the cached file's name carries the version).
 * Deterministic: the same seed, size and DuckDB version give the same rows in the same order, on
 * any number of threads.
 *
 * CLI:  npx tsx test/bench/syntheticParquet.ts --rows 100000000 [--out /tmp/log.parquet] [--seed 7]
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SqlDb } from '../../src/core/db';
import { literal, num } from '../../src/core/sql';
import { DEFAULT_SYNTHETIC, syntheticDir, type SyntheticLogOptions } from './syntheticLog';

/** Bump when the generated rows change for the same options and DuckDB version. */
const GENERATOR_VERSION = 1;

export interface SyntheticParquetResult {
  path: string;
  rows: number;
  customers: number;
  bytes: number;
  firstDate: string;
  lastDate: string;
  duckdb: string;
  /** Milliseconds spent generating (0 when a cached file was reused). */
  ms: number;
}

/** DuckDB's memory limit while generating (past it, it spills to the temporary folder). */
const GENERATOR_MEMORY = '12GB';

const TWO_POW_53 = '9007199254740992.0';

function macros(seed: number): string[] {
  return [
    // A 64-bit key mixed with a stream number. DuckDB's hash() of several values is not used:
    // it combines the values' hashes so loosely that neighbouring streams would be correlated.
    'CREATE OR REPLACE TEMP MACRO syn_h(h, i) AS hash(xor(h, i::UBIGINT))',
    // Uniform on (0, 1), open at both ends (so ln() is finite): the top 53 bits of stream k of key h.
    `CREATE OR REPLACE TEMP MACRO syn_u(h, k) AS (((syn_h(h, k) >> 11)::DOUBLE + 0.5) / ${TWO_POW_53})`,
    // Standard normal by Box–Muller from streams k and k + 1.
    'CREATE OR REPLACE TEMP MACRO syn_n(h, k) AS (sqrt(-2 * ln(syn_u(h, k))) * cos(2 * pi() * syn_u(h, k + 1)))',
    // The customer's key: the seed's hash mixed with the customer number.
    `CREATE OR REPLACE TEMP MACRO syn_customer(c) AS syn_h(hash(${num(Math.trunc(seed))}::BIGINT), c)`,
  ];
}

/** Select lists applied one inside the other: each level sees the columns of the levels before it. */
type Levels = string[][];

/** Puts level lists side by side: level i of every part runs at the same depth. */
function merge(...parts: Levels[]): Levels {
  const depth = Math.max(...parts.map((p) => p.length));
  return Array.from({ length: depth }, (_, i) => parts.flatMap((p) => p[i] ?? []));
}

/** Nested SELECTs (not lateral aliases: DuckDB inlines those, and the Gamma draws would be copied exponentially often). */
function nest(from: string, levels: Levels): string {
  return levels.reduce((inner, items) => (items.length === 0 ? inner : `SELECT *, ${items.join(', ')} FROM (${inner})`), from);
}

/**
 * Levels drawing `name` ~ Gamma(shape, 1) by Marsaglia & Tsang for a shape ≥ 1 (a SQL expression
 * over earlier columns), from customer streams firstStream … firstStream + 11. The first try is
 * computed as columns; the later ones inside the CASE, which DuckDB evaluates only for the rows
 * still rejected (a few per cent), so they cost next to nothing.
 */
function gammaLevels(name: string, shape: string, firstStream: number): Levels {
  const d = `${name}_d`;
  const cc = `${name}_cc`;
  const k = (i: number) => firstStream + 3 * i;
  const v = (x: string) => `pow(1 + ${cc} * ${x}, 3)`;
  const ok = (x: string, lu: string, vv: string) => `(1 + ${cc} * ${x} > 0 AND ${lu} < 0.5 * ${x} * ${x} + ${d} * (1 - ${vv} + ln(greatest(${vv}, 1e-300))))`;
  const later = [1, 2, 3].map((i) => {
    const x = `syn_n(hc, ${k(i)})`;
    return `WHEN ${ok(x, `ln(syn_u(hc, ${k(i) + 2}))`, v(x))} THEN ${d} * ${v(x)}`;
  });
  return [
    [`(${shape}) - 1.0 / 3 AS ${d}`],
    [`1 / sqrt(9 * ${d}) AS ${cc}`, `syn_n(hc, ${k(0)}) AS ${name}_x0`, `ln(syn_u(hc, ${k(0) + 2})) AS ${name}_lu0`],
    [`${v(`${name}_x0`)} AS ${name}_v0`],
    [`${ok(`${name}_x0`, `${name}_lu0`, `${name}_v0`)} AS ${name}_ok0`],
    [`CASE WHEN ${name}_ok0 THEN ${d} * ${name}_v0 ${later.join(' ')} ELSE ${d} * greatest(${v(`syn_n(hc, ${k(3)})`)}, 1e-6) END AS ${name}`],
  ];
}

/** Gamma(shape, 1) for a constant shape: directly when ≥ 1, else boosted from shape + 1. Uses 13 streams. */
function gammaConstLevels(name: string, shape: number, firstStream: number): Levels {
  if (shape >= 1) return [...gammaLevels(name, num(shape), firstStream), []];
  return [...gammaLevels(`${name}_b`, num(shape + 1), firstStream), [`${name}_b * pow(syn_u(hc, ${firstStream + 12}), ${num(1 / shape)}) AS ${name}`]];
}

/** One row per customer in [from, to): t0, λ, logSpend, M (purchases drawn) and G (time from the first to the M-th). */
function customersSql(o: SyntheticLogOptions, from: number, to: number): string {
  const cohortDays = Math.max(1, o.cohortShare * o.spanDays);
  const levels: Levels = [
    ...merge(gammaConstLevels('lam_g', o.r, 1), gammaConstLevels('beta_x', o.a, 14), gammaConstLevels('beta_y', o.b, 27), [
      [`${num(o.spendLogMean)} + ${num(o.spendLogSd)} * syn_n(hc, 40) AS log_spend`, `syn_u(hc, 42) * ${num(cohortDays)} AS t0`, `ln(syn_u(hc, 43)) AS ln_drop`],
    ]),
    [`lam_g / ${num(o.alpha)} AS lam`, 'beta_x / (beta_x + beta_y) AS p'],
    // Purchases until dropout if time never ran out: Geometric(p) on 1, 2, … by inversion.
    [`least(1 + floor(ln_drop / least(ln(greatest(1 - p, 1e-300)), -1e-12)), 1e9) AS k_drop`, `lam * (${num(o.spanDays)} - t0) AS mu`],
    ['least(k_drop, 2 + ceil(mu + 6 * sqrt(mu) + 6))::BIGINT AS m'],
    ...gammaLevels('g_shape', 'greatest(m - 1, 1)', 44),
    ['CASE WHEN m >= 2 THEN g_shape / lam END AS g'],
  ];
  return `SELECT c, syn_h(hc, 0) AS hr, t0, log_spend, m, g FROM (${nest(`SELECT c, syn_customer(c) AS hc FROM range(${num(from)}, ${num(to)}) AS cs(c)`, levels)})`;
}

/** Rows written per customer in [from, to) (before the last customer is cut short). */
function countsSql(o: SyntheticLogOptions, from: number, to: number): string {
  const span = num(o.spanDays);
  return `SELECT c, 1 + (m >= 2 AND t0 + g < ${span})::INTEGER
      + len(list_filter(range(1, m - 1), lambda j: t0 + syn_u(syn_h(hr, j), 1) * g < ${span})) AS n
    FROM (${customersSql(o, from, to)})`;
}

/** Every purchase of the customers in [from, to) that falls inside the span: c, j, t, day, cents. */
function purchasesSql(o: SyntheticLogOptions, from: number, to: number): string {
  return `SELECT c, j, t, floor(t)::INTEGER AS day,
      greatest(1, round(100 * exp(log_spend + ${num(o.purchaseLogSd)} * syn_n(hj, 2))))::BIGINT AS cents
    FROM (
      SELECT c, j, hj, log_spend, CASE WHEN j = 0 THEN t0 WHEN j = m - 1 THEN t0 + g ELSE t0 + syn_u(hj, 1) * g END AS t
      FROM (SELECT c, j, syn_h(hr, j) AS hj, t0, log_spend, m, g FROM (SELECT c, hr, t0, log_spend, m, g, unnest(range(m)) AS j FROM (${customersSql(o, from, to)})))
    )
    WHERE t < ${num(o.spanDays)}`;
}

/** DuckDB's version (the bytes depend on it through `hash()`). */
export async function duckdbVersion(db: SqlDb): Promise<string> {
  const [row] = await db.query('SELECT version() AS v');
  return String(row.v);
}

/**
 * Writes the log to `file` as Parquet (zstd) through a temporary name, so a killed run leaves no
 * half file. `db` must be native DuckDB (it writes the file itself).
 */
export async function writeSyntheticParquet(db: SqlDb, file: string, options: Partial<SyntheticLogOptions> & { rows: number }): Promise<SyntheticParquetResult> {
  const o: SyntheticLogOptions = { ...DEFAULT_SYNTHETIC, ...options };
  if (!Number.isSafeInteger(o.rows) || o.rows < 1) throw new RangeError(`rows must be a positive integer, got ${o.rows}`);
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  const t0 = performance.now();
  for (const m of macros(o.seed)) await db.exec(m);

  // Where the rows run out: customers counted in chunks until the running total reaches `rows`.
  const chunk = Math.min(2_000_000, Math.max(1_000, Math.ceil(o.rows / 4)));
  let total = 0;
  let from = 1;
  let last = 0;
  let lastRows = 0;
  for (;;) {
    const to = from + chunk;
    const [row] = await db.query(`SELECT sum(n)::BIGINT AS n FROM (${countsSql(o, from, to)})`);
    const n = Number(row.n);
    if (total + n >= o.rows) {
      const [cut] = await db.query(
        `SELECT c, n, cum FROM (SELECT c, n, sum(n) OVER (ORDER BY c ROWS UNBOUNDED PRECEDING) AS cum FROM (${countsSql(o, from, to)}))
         WHERE cum >= ? ORDER BY c LIMIT 1`,
        [o.rows - total],
      );
      last = Number(cut.c);
      lastRows = o.rows - total - (Number(cut.cum) - Number(cut.n));
      break;
    }
    total += n;
    from = to;
  }

  const idWidth = Math.max(7, String(o.rows).length);
  const tmp = `${file}.partial`;
  mkdirSync(path.dirname(file), { recursive: true });
  rmSync(tmp, { force: true });
  await db.exec(
    `COPY (
      SELECT 'C' || lpad(c::VARCHAR, ${num(idWidth)}, '0') AS customer_id, (${literal(o.start)}::DATE + day) AS date, cents::DOUBLE / 100 AS amount
      FROM (
        SELECT c, j, day, cents FROM (${purchasesSql(o, 1, last)})
        UNION ALL
        SELECT c, j, day, cents FROM (${purchasesSql(o, last, last + 1)}) QUALIFY row_number() OVER (ORDER BY t, j) <= ${num(lastRows)}
      )
      ORDER BY c // ${num(o.blockCustomers)}, day, c, j
    ) TO ${literal(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  const [summary] = await db.query(`SELECT count(*)::BIGINT AS n, strftime(min(date), '%Y-%m-%d') AS first, strftime(max(date), '%Y-%m-%d') AS last FROM read_parquet(${literal(tmp)})`);
  if (Number(summary.n) !== o.rows) throw new Error(`generated ${summary.n} rows, expected ${o.rows}`);
  renameSync(tmp, file);
  return { path: file, rows: o.rows, customers: last, bytes: statSync(file).size, firstDate: String(summary.first), lastDate: String(summary.last), duckdb: await duckdbVersion(db), ms: performance.now() - t0 };
}

/**
 * The Parquet log for `rows` rows with the default parameters, generated once by native DuckDB and
 * reused while its size, parameters and DuckDB version match (a JSON sidecar records them).
 */
export async function ensureSyntheticParquet(rows: number, seed = DEFAULT_SYNTHETIC.seed): Promise<SyntheticParquetResult> {
  const { openNativeDb } = await import('../../src/node/nativeDb');
  const tempDir = path.join(syntheticDir(), 'generate-tmp');
  mkdirSync(tempDir, { recursive: true });
  // The generator is not what is measured: it gets more memory than the pipeline's 4 GB (its
  // ORDER BY of 100M rows ran out of memory at 4 GB, spilling or not).
  const db = await openNativeDb({ memoryLimit: GENERATOR_MEMORY, tempDir });
  try {
    const version = await duckdbVersion(db);
    const file = path.join(syntheticDir(), `synthetic_sql_${rows}_s${seed}_v${GENERATOR_VERSION}_duckdb-${version.replace(/[^\w.-]/g, '')}.parquet`);
    const meta = `${file}.json`;
    const options = { ...DEFAULT_SYNTHETIC, seed, rows };
    if (existsSync(file) && existsSync(meta)) {
      try {
        const saved = JSON.parse(readFileSync(meta, 'utf8')) as SyntheticParquetResult & { options: unknown };
        if (JSON.stringify(saved.options) === JSON.stringify(options) && statSync(file).size === saved.bytes) return { ...saved, path: file, ms: 0 };
      } catch {
        // regenerate below
      }
    }
    const result = await writeSyntheticParquet(db, file, { seed, rows });
    writeFileSync(meta, JSON.stringify({ ...result, options }, null, 2));
    return result;
  } finally {
    db.close();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const rows = Number((arg(argv, 'rows') ?? '1000000').replace(/_/g, ''));
  const seed = Number(arg(argv, 'seed') ?? DEFAULT_SYNTHETIC.seed);
  const out = arg(argv, 'out');
  let result: SyntheticParquetResult;
  if (out) {
    const { openNativeDb } = await import('../../src/node/nativeDb');
    const db = await openNativeDb({ memoryLimit: GENERATOR_MEMORY, tempDir: path.join(path.dirname(path.resolve(out)), 'generate-tmp') });
    result = await writeSyntheticParquet(db, path.resolve(out), { rows, seed });
    db.close();
  } else {
    result = await ensureSyntheticParquet(rows, seed);
  }
  console.log(JSON.stringify(result, null, 2));
}
