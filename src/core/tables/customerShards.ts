import type { SqlDb } from '../db';
import { ClvError } from '../errors';
import { ident, num } from '../sql';
import { CUSTOMER_STATS } from './customerStats';

/**
 * Sharding by customer. Everything up to one row per customer (`customer_stats` and the
 * per-customer extras of `features`) depends on that customer's rows only, so each shard computes
 * it for its own customers; the population statistics (quintile scores, the visitante gap
 * distribution and normalisation) are computed once, over every shard's rows, by `features
 * --from-stats`.
 */
export interface Shard {
  /** 1-based: shard K of N. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 1 && index <= count)) {
    throw new ClvError('BAD_ARGUMENT', `--shard must be K/N with 1 ≤ K ≤ N (shard K of N), e.g. 2/4, not "${text}".`);
  }
  return { index, count };
}

/**
 * The shard of a customer id as SQL: 1 + (the first four bytes of the MD5 of the id's UTF-8 text,
 * read as a big-endian unsigned integer) mod N. MD5 is the same in every DuckDB version and in
 * every other tool (DuckDB's own hash() is not), so a shard can be recomputed anywhere.
 */
export function shardOfSql(idColumn: string, count: number): string {
  return `(CAST('0x' || substr(md5(CAST(${idColumn} AS VARCHAR)), 1, 8) AS UBIGINT) % ${num(count)} + 1)`;
}

/** Whether a relation of the loaded data is a table (rows can be deleted) rather than a view. */
async function isTable(db: SqlDb, name: string): Promise<boolean> {
  const rows = await db.query(`SELECT table_type FROM information_schema.tables WHERE table_name = ?`, [name]);
  return rows.some((r) => String(r.table_type).toUpperCase().includes('TABLE'));
}

/**
 * Keeps only the shard's customers in the loaded data (`transactions`, or the `staged` table it is
 * a view over, and `customer_days`): after this the tables are built for those customers alone.
 */
export async function keepShard(db: SqlDb, shard: Shard): Promise<void> {
  const other = `customer_id IS NOT NULL AND ${shardOfSql('customer_id', shard.count)} <> ${num(shard.index)}`;
  const rows = (await isTable(db, 'transactions')) ? 'transactions' : 'staged';
  await db.exec(`DELETE FROM ${ident(rows)} WHERE ${other}`);
  await db.exec(`DELETE FROM customer_days WHERE ${other}`);
}

/** Date columns of customer_stats, stored in shard files as days since 1970-01-01 (a plain integer any writer and reader keeps). */
const DATE_COLUMNS = ['first_purchase', 'first_day', 'last_day', 'rth_day'];
/** Sums of integers that DuckDB keeps as HUGEINT: stored as BIGINT, read back as HUGEINT. */
const HUGE_COLUMNS = ['gap_sum', 'gap_sq'];
/** Per-customer feature columns that come from the transactions rather than customer_stats, stored with this prefix. */
export const SHARD_FEATURE_PREFIX = 'feature_';
export const SHARD_META = { shard: '__shard', shards: '__shards', cutoff: '__cutoff', horizonEnd: '__horizon_end' } as const;
/**
 * The extreme-amount fence (Q3 + 3·IQR of the positive amounts) needs every row's amount: each
 * shard adds, after its customers, rows without a customer that count its positive amounts by
 * value (`__amount`, `__amount_rows`); merged, they give the exact quartiles.
 */
export const SHARD_AMOUNTS = { value: '__amount', rows: '__amount_rows' } as const;

/**
 * One shard's per-customer statistics as a SELECT: every column of `customer_stats`, the features
 * that need transaction lines (`n_orders` and the encoded extras, from `features`) and the shard and
 * period it was computed for.
 */
export async function shardStatsSql(db: SqlDb, shard: Shard, period: { cutoff: string; horizonEnd: string | null }, lineFeatures: readonly string[]): Promise<string> {
  const described = await db.query(`DESCRIBE ${CUSTOMER_STATS}`);
  const columns = described.map((r) => String(r.column_name)).map((c) => {
    if (DATE_COLUMNS.includes(c)) return `CAST(s.${ident(c)} - DATE '1970-01-01' AS BIGINT) AS ${ident(c)}`;
    if (HUGE_COLUMNS.includes(c)) return `CAST(s.${ident(c)} AS BIGINT) AS ${ident(c)}`;
    return `s.${ident(c)}`;
  });
  const features = lineFeatures.map((f) => `f.${ident(f)} AS ${ident(SHARD_FEATURE_PREFIX + f)}`);
  const meta = [
    `CAST(${num(shard.index)} AS BIGINT) AS ${SHARD_META.shard}`,
    `CAST(${num(shard.count)} AS BIGINT) AS ${SHARD_META.shards}`,
    `CAST(${sqlText(period.cutoff)} AS VARCHAR) AS ${SHARD_META.cutoff}`,
    `CAST(${period.horizonEnd === null ? 'NULL' : sqlText(period.horizonEnd)} AS VARCHAR) AS ${SHARD_META.horizonEnd}`,
  ];
  const customers = `SELECT ${[...columns, ...features, ...meta].join(', ')} FROM ${CUSTOMER_STATS} s LEFT JOIN features f USING (customer_id)`;
  const amounts = `SELECT ${[...meta, `CAST(amount AS DOUBLE) AS ${SHARD_AMOUNTS.value}`, `count(*) AS ${SHARD_AMOUNTS.rows}`].join(', ')} FROM transactions WHERE amount > 0 GROUP BY amount`;
  return `SELECT * FROM (${customers} UNION ALL BY NAME ${amounts}) ORDER BY customer_id NULLS LAST, ${SHARD_AMOUNTS.value}`;
}

/** A period day (already checked as YYYY-MM-DD) as SQL text. */
function sqlText(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
  return `'${day}'`;
}

export interface LoadedShards {
  /** The fence over every shard's positive amounts and the rows above it (null without positive amounts). */
  extremeAmounts: { threshold: number | null; rows: number };
  shards: number;
  cutoff: string;
  horizonEnd: string | null;
  /** Features stored by the shards (n_orders and the encoded extras), in the shards' order. */
  lineFeatures: string[];
  customers: number;
}

/**
 * Turns the shards' rows (a table `shard_rows` holding every shard file) back into `customer_stats`
 * and `shard_features`, after checking that they make one whole: one period, one N, every shard
 * 1..N present once, no customer twice.
 */
export async function restoreShards(db: SqlDb, table: string, fileCount: number): Promise<LoadedShards> {
  const described = (await db.query(`DESCRIBE ${ident(table)}`)).map((r) => String(r.column_name));
  const meta: string[] = [...Object.values(SHARD_META), ...Object.values(SHARD_AMOUNTS)];
  if (!meta.every((m) => described.includes(m)) || !described.includes('customer_id') || !described.includes('n_days')) {
    throw new ClvError('SHARDS_MISMATCH', `The files given to --from-stats are not the output of "clv stats". Give the Parquet files that "stats --shard K/N" wrote.`);
  }
  const [facts] = await db.query(
    `SELECT count(DISTINCT ${SHARD_META.shards}) AS n_counts, max(${SHARD_META.shards}) AS shards, count(DISTINCT ${SHARD_META.shard}) AS present,
            count(DISTINCT ${SHARD_META.cutoff}) AS n_cutoffs, max(${SHARD_META.cutoff}) AS cutoff,
            count(DISTINCT coalesce(${SHARD_META.horizonEnd}, '')) AS n_horizons, max(${SHARD_META.horizonEnd}) AS horizon_end,
            count(customer_id) AS n_rows, count(DISTINCT customer_id) AS customers,
            list(DISTINCT ${SHARD_META.shard} ORDER BY ${SHARD_META.shard}) AS shard_list
     FROM ${ident(table)}`,
  );
  const shards = Number(facts.shards);
  const present = Array.from(facts.shard_list as Iterable<unknown>, Number);
  if (Number(facts.n_counts) !== 1) throw new ClvError('SHARDS_MISMATCH', 'The shard files were cut into different numbers of shards (N in --shard K/N). Give the files of one run, all with the same N.');
  if (Number(facts.n_cutoffs) !== 1 || Number(facts.n_horizons) !== 1) throw new ClvError('SHARDS_MISMATCH', 'The shard files were computed for different periods (--cutoff, --horizon-end). Run every shard with the same period.');
  if (present.length !== shards) {
    const missing = Array.from({ length: shards }, (_, i) => i + 1).filter((k) => !present.includes(k));
    throw new ClvError('SHARDS_MISMATCH', `Shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${shards}`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing: every shard 1..${shards} is needed for the population statistics. Run "clv stats --shard K/${shards}" for ${missing.length > 1 ? 'them' : 'it'} and include its file.`, { missing });
  }
  if (Number(facts.n_rows) !== Number(facts.customers) || fileCount < shards) {
    throw new ClvError('SHARDS_MISMATCH', `Some customers appear in more than one shard file (a shard given twice?). Give each shard's file once (${shards} shards).`);
  }
  const lineFeatures = described.filter((c) => c.startsWith(SHARD_FEATURE_PREFIX)).map((c) => c.slice(SHARD_FEATURE_PREFIX.length));
  const statsColumns = described.filter((c) => !meta.includes(c) && !c.startsWith(SHARD_FEATURE_PREFIX)).map((c) => {
    if (DATE_COLUMNS.includes(c)) return `DATE '1970-01-01' + CAST(${ident(c)} AS INTEGER) AS ${ident(c)}`;
    if (HUGE_COLUMNS.includes(c)) return `CAST(${ident(c)} AS HUGEINT) AS ${ident(c)}`;
    if (c === 'customer_id') return `CAST(customer_id AS VARCHAR) AS customer_id`;
    return ident(c);
  });
  await db.exec(`CREATE OR REPLACE TEMP TABLE ${CUSTOMER_STATS} AS SELECT ${statsColumns.join(', ')} FROM ${ident(table)} WHERE customer_id IS NOT NULL`);
  await db.exec(
    `CREATE OR REPLACE TEMP TABLE shard_features AS SELECT CAST(customer_id AS VARCHAR) AS customer_id${lineFeatures.map((f) => `, CAST(${ident(SHARD_FEATURE_PREFIX + f)} AS DOUBLE) AS ${ident(f)}`).join('')} FROM ${ident(table)} WHERE customer_id IS NOT NULL`,
  );
  const histogram = await db.columns(
    `SELECT ${SHARD_AMOUNTS.value} AS amount, CAST(sum(${SHARD_AMOUNTS.rows}) AS DOUBLE) AS n FROM ${ident(table)} WHERE ${SHARD_AMOUNTS.value} IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
  await db.exec(`DROP TABLE IF EXISTS ${ident(table)}`);
  return { extremeAmounts: extremeAmountFence(histogram.amount as ArrayLike<number>, histogram.n as ArrayLike<number>), shards, cutoff: String(facts.cutoff), horizonEnd: facts.horizon_end === null || facts.horizon_end === undefined ? null : String(facts.horizon_end), lineFeatures, customers: Number(facts.customers) };
}

/**
 * Q3 + 3·IQR from amounts counted by value (ascending), with the interpolation of DuckDB's
 * quantile_cont (the quality report's): the value at position (n − 1)·p of the sorted amounts,
 * linear between neighbours. Also the rows above the fence.
 */
export function extremeAmountFence(values: ArrayLike<number>, counts: ArrayLike<number>): { threshold: number | null; rows: number } {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i];
  if (n === 0) return { threshold: null, rows: 0 };
  // The amount at 0-based position `k` of the sorted rows.
  const at = (k: number): number => {
    let seen = 0;
    for (let i = 0; i < values.length; i++) {
      seen += counts[i];
      if (k < seen) return values[i];
    }
    return values[values.length - 1];
  };
  const quantile = (p: number) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const a = at(lo);
    return lo + 1 < n ? a + (h - lo) * (at(lo + 1) - a) : a;
  };
  const [q1, q3] = [quantile(0.25), quantile(0.75)];
  const threshold = q3 + 3 * (q3 - q1);
  let rows = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > threshold) rows += counts[i];
  return { threshold, rows };
}
