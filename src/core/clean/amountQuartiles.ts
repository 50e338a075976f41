import type { SqlDb } from '../db';
import { ident } from '../sql';

/** Where each quartile falls between two ordered values: DuckDB's quantile_cont rule. */
function interpolate(n: number, p: number, lo: number, hi: number | null): number {
  const h = (n - 1) * p;
  const below = Math.floor(h);
  return hi === null || below === h ? lo : lo + (hi - lo) * (h - below);
}

/**
 * The first and third quartiles of a table's positive amounts, equal to
 * `quantile_cont(amount, [0.25, 0.75]) FILTER (WHERE amount > 0)`, or null when there is none.
 * DuckDB's quantile aggregates hold every value in one array outside its memory limit (800 MB for
 * 100M rows, twice that while the array grows, on top of `--memory-limit`); here the amounts are
 * counted by value and the quartiles read from the running counts, a GROUP BY and a window over
 * the distinct amounts that DuckDB spills like any other.
 */
export async function positiveAmountQuartiles(db: SqlDb, table: string): Promise<[number, number] | null> {
  const position = (p: number, step: number) => `floor(CAST(n - 1 AS DOUBLE) * ${p}) + ${step}`;
  const [r] = await db.query(
    `WITH counted AS (SELECT amount, count(*) AS k FROM ${ident(table)} WHERE amount > 0 GROUP BY amount),
          running AS (SELECT amount, sum(k) OVER (ORDER BY amount ROWS UNBOUNDED PRECEDING) AS upto, sum(k) OVER () AS n FROM counted)
     SELECT CAST(any_value(n) AS DOUBLE) AS n,
            min(amount) FILTER (WHERE upto > ${position(0.25, 0)}) AS q1_lo, min(amount) FILTER (WHERE upto > ${position(0.25, 1)}) AS q1_hi,
            min(amount) FILTER (WHERE upto > ${position(0.75, 0)}) AS q3_lo, min(amount) FILTER (WHERE upto > ${position(0.75, 1)}) AS q3_hi
     FROM running`,
  );
  if (r === undefined || r.n === null || r.n === undefined) return null;
  const n = Number(r.n);
  const value = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return [interpolate(n, 0.25, Number(r.q1_lo), value(r.q1_hi)), interpolate(n, 0.75, Number(r.q3_lo), value(r.q3_hi))];
}
