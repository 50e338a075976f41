/**
 * What the UI asks DuckDB for, beyond the engine's tables: filtered pages, aggregates for the
 * charts, the `predictions` table and single-customer lookups. Everything is aggregated in SQL
 * (or, for the gain curve, in the worker) so the page only ever receives small results.
 */
import type { Row, SqlDb, SqlValue } from '../src/core/db';
import { gainCurve } from '../src/core/eval/calibration';
import { NATURAL_ORDER } from '../src/core/engine';
import { ClvError } from '../src/core/errors';
import { ident, literal, num } from '../src/core/sql';
import type {
  ColumnInfo,
  CustomerHistory,
  CustomerProfile,
  GainSeries,
  HeatCell,
  HistogramBin,
  PageRequest,
  RowFilter,
  ScatterData,
  SegmentShare,
  ValueShare,
  ViewTable,
} from './contracts';

export const PREDICTIONS_RAW = 'predictions_raw';
/** Prefix of the per-model prediction columns of `predictions`. */
export const MODEL_COLUMN_PREFIX = 'pred_';

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/i;

export async function tableExists(db: SqlDb, table: string): Promise<boolean> {
  // This connection's own schema only (the start-up warm-up works in a schema of its own).
  const [row] = await db.query(
    `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = ? AND schema_name = current_schema() AND database_name = current_database()`,
    [table],
  );
  return Number(row.n) > 0;
}

export async function columnsOf(db: SqlDb, table: ViewTable): Promise<ColumnInfo[]> {
  const rows = await db.query(`DESCRIBE ${ident(table)}`);
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type), numeric: NUMERIC_TYPE.test(String(r.column_type)) }));
}

/** A WHERE clause from the UI's filters; every column is checked against the table, values are bound. */
function whereClause(columns: ColumnInfo[], filters: readonly RowFilter[]): { sql: string; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  for (const f of filters) {
    const column = columns.find((c) => c.name === f.column);
    if (!column) throw new ClvError('UNKNOWN_COLUMN', `There is no column "${f.column}" to filter on.`);
    if (f.value.trim() === '') continue;
    if (f.op === 'contains') {
      parts.push(`contains(lower(CAST(${ident(column.name)} AS VARCHAR)), lower(?))`);
      params.push(f.value);
      continue;
    }
    const value = Number(f.value);
    if (column.numeric && !Number.isFinite(value)) {
      throw new ClvError('BAD_ARGUMENT', `"${f.value}" is not a number; "${column.name}" can only be compared with numbers.`);
    }
    const op = f.op === '=' ? '=' : f.op === '>=' ? '>=' : '<=';
    parts.push(column.numeric ? `${ident(column.name)} ${op} ?` : `CAST(${ident(column.name)} AS VARCHAR) ${op} ?`);
    params.push(column.numeric ? value : f.value);
  }
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** One page of a table, filtered and sorted by DuckDB; only `limit` rows cross to the page. */
export async function filteredPage(db: SqlDb, table: ViewTable, request: PageRequest): Promise<{ rows: Row[]; total: number; columns: ColumnInfo[] }> {
  const columns = await columnsOf(db, table);
  const where = whereClause(columns, request.filters ?? []);
  // The tables are stored unsorted: without a sort key pages follow the table's natural order,
  // which also keeps consecutive pages from overlapping.
  const natural = table === 'predictions' ? 'predicted_clv DESC NULLS LAST, customer_id' : NATURAL_ORDER[table];
  let order = `ORDER BY ${natural}`;
  if (request.orderBy) {
    if (!columns.some((c) => c.name === request.orderBy!.column)) throw new ClvError('UNKNOWN_COLUMN', `There is no column "${request.orderBy.column}" to sort by.`);
    order = `ORDER BY ${ident(request.orderBy.column)} ${request.orderBy.descending ? 'DESC' : 'ASC'} NULLS LAST, ${natural}`;
  }
  const limit = num(Math.max(0, Math.floor(request.limit)));
  const offset = num(Math.max(0, Math.floor(request.offset)));
  const rows = await db.query(`SELECT * FROM ${ident(table)} ${where.sql} ${order} LIMIT ${limit} OFFSET ${offset}`, where.params);
  const [count] = await db.query(`SELECT count(*) AS n FROM ${ident(table)} ${where.sql}`, where.params);
  return { rows, total: Number(count.n), columns };
}

/** RFM segments with their share of customers and of calibration-period spend. */
export async function rfmSegmentShares(db: SqlDb): Promise<SegmentShare[]> {
  const rows = await db.query(
    `SELECT r.segment, count(*) AS customers,
            count(*) / sum(count(*)) OVER () AS customer_share,
            coalesce(sum(f.total_spend), 0) AS spend,
            coalesce(sum(f.total_spend) / nullif(sum(sum(f.total_spend)) OVER (), 0), 0) AS value_share,
            avg(r.frequency) AS avg_frequency, avg(r.monetary_value) AS avg_monetary
     FROM rfm r LEFT JOIN features f USING (customer_id)
     GROUP BY r.segment ORDER BY spend DESC, r.segment`,
  );
  return rows.map((r) => ({
    segment: String(r.segment),
    customers: Number(r.customers),
    customer_share: Number(r.customer_share),
    spend: Number(r.spend),
    value_share: Number(r.value_share),
    avg_frequency: Number(r.avg_frequency),
    avg_monetary: Number(r.avg_monetary),
  }));
}

/** Customers per (recency score, frequency score) cell, with their average calibration spend. */
export async function rfmHeatmap(db: SqlDb): Promise<HeatCell[]> {
  const rows = await db.query(
    `SELECT r.r_score, r.f_score, count(*) AS customers, coalesce(avg(f.total_spend), 0) AS avg_spend
     FROM rfm r LEFT JOIN features f USING (customer_id)
     GROUP BY r.r_score, r.f_score ORDER BY r.r_score, r.f_score`,
  );
  return rows.map((r) => ({ r_score: Number(r.r_score), f_score: Number(r.f_score), customers: Number(r.customers), avg_spend: Number(r.avg_spend) }));
}

/** One per-customer column of model output on its way into DuckDB. */
export type RawColumn = { name: string; type: 'VARCHAR' | 'DOUBLE' | 'BOOLEAN'; values: ArrayLike<unknown> };

function csvField(v: unknown, type: RawColumn['type']): string {
  if (v === null || v === undefined) return '';
  if (type === 'DOUBLE') return typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
  if (type === 'BOOLEAN') return v ? 'true' : 'false';
  return `"${String(v).replaceAll('"', '""')}"`;
}

/**
 * Per-customer columns as CSV for DuckDB's own reader: every text value quoted, numbers in full
 * precision, non-finite numbers empty (NULL). (Arrow inserts into DuckDB-WASM proved fragile:
 * a column sharing another's buffer silently broke the connection's inserts.)
 */
export function rawColumnsCsv(columns: readonly RawColumn[]): Uint8Array {
  const n = columns[0]?.values.length ?? 0;
  const lines = [columns.map((c) => `"${c.name.replaceAll('"', '""')}"`).join(',')];
  for (let i = 0; i < n; i++) lines.push(columns.map((c) => csvField(c.values[i], c.type)).join(','));
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** Reads the CSV from `rawColumnsCsv` (registered or written at `path`) into `predictions_raw` with fixed types. */
export async function loadRawColumns(db: SqlDb, path: string, columns: readonly Omit<RawColumn, 'values'>[]): Promise<void> {
  const types = columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ');
  await db.exec(
    `CREATE OR REPLACE TABLE ${ident(PREDICTIONS_RAW)} AS
     SELECT * FROM read_csv(${literal(path)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${types}})`,
  );
}

/**
 * `predictions` from the raw per-customer columns the worker loaded: rounded values, the RFM
 * segment beside the value segment, highest predicted CLV first.
 */
export async function buildPredictions(db: SqlDb): Promise<string[]> {
  const raw = await columnsOf(db, PREDICTIONS_RAW as ViewTable);
  const select = raw
    .filter((c) => c.name !== 'customer_id' && c.name !== 'value_segment' && c.name !== 'in_test')
    .map((c) => `round(CAST(p.${ident(c.name)} AS DOUBLE), 4) AS ${ident(c.name)}`);
  await db.exec(
    `CREATE OR REPLACE TABLE predictions AS
     SELECT p.customer_id, r.segment AS rfm_segment, p.value_segment, ${select.join(', ')}, p.in_test
     FROM ${ident(PREDICTIONS_RAW)} p LEFT JOIN rfm r USING (customer_id)
     ORDER BY p.predicted_clv DESC NULLS LAST, p.customer_id`,
  );
  await db.exec(`DROP TABLE ${ident(PREDICTIONS_RAW)}`);
  return (await columnsOf(db, 'predictions')).map((c) => c.name);
}

function modelColumn(model: string): string {
  return `${MODEL_COLUMN_PREFIX}${model}`;
}

/**
 * Predicted against actual horizon spend for the test customers. Up to `maxPoints` customers come
 * as points; more are counted on a grid that is even in log(1 + spend), as density.
 */
export async function predictedVsActual(db: SqlDb, model: string, maxPoints: number, gridSize = 40): Promise<ScatterData> {
  const column = ident(modelColumn(model));
  const [count] = await db.query(`SELECT count(*) AS n, max(greatest(actual_spend, ${column}, 0)) AS top FROM predictions WHERE in_test`);
  const n = Number(count.n);
  if (n <= maxPoints) {
    const rows = await db.query(`SELECT actual_spend AS actual, ${column} AS predicted FROM predictions WHERE in_test`);
    return { kind: 'points', n, points: rows.map((r) => ({ actual: Number(r.actual), predicted: Number(r.predicted) })) };
  }
  const width = Math.log1p(Math.max(Number(count.top), 1)) / gridSize;
  const w = num(width);
  const rows = await db.query(
    `SELECT floor(ln(1 + greatest(actual_spend, 0)) / ${w}) AS bx, floor(ln(1 + greatest(${column}, 0)) / ${w}) AS by, count(*) AS customers
     FROM predictions WHERE in_test GROUP BY ALL`,
  );
  const edge = (b: number) => Math.expm1(b * width);
  return {
    kind: 'bins',
    n,
    bins: rows.map((r) => ({
      x1: edge(Number(r.bx)),
      x2: edge(Number(r.bx) + 1),
      y1: edge(Number(r.by)),
      y2: edge(Number(r.by) + 1),
      customers: Number(r.customers),
    })),
  };
}

/** Cumulative gain per model on the test customers, computed in the worker with the core's curve. */
export async function gainCurves(db: SqlDb, models: readonly string[], points = 50): Promise<GainSeries[]> {
  if (models.length === 0) return [];
  const cols = await db.columns(
    `SELECT CAST(actual_spend AS DOUBLE) AS actual, ${models.map((m, i) => `CAST(${ident(modelColumn(m))} AS DOUBLE) AS ${ident(`m${i}`)}`).join(', ')}
     FROM predictions WHERE in_test`,
  );
  const actual = cols.actual as ArrayLike<number>;
  if (actual.length === 0) return [];
  return models.map((model, i) => ({ model, points: gainCurve(actual, cols[`m${i}`] as ArrayLike<number>, points) }));
}

/** Predicted CLV of every customer, binned evenly in log(1 + CLV). */
export async function clvHistogram(db: SqlDb, bins: number): Promise<HistogramBin[]> {
  const [range] = await db.query(`SELECT max(greatest(predicted_clv, 0)) AS top FROM predictions`);
  const top = Number(range.top);
  if (!Number.isFinite(top)) return [];
  const width = Math.log1p(Math.max(top, 1)) / Math.max(1, Math.floor(bins));
  const rows = await db.query(
    `SELECT least(floor(ln(1 + greatest(predicted_clv, 0)) / ${num(width)}), ${num(Math.floor(bins) - 1)}) AS b, count(*) AS customers
     FROM predictions WHERE predicted_clv IS NOT NULL GROUP BY ALL ORDER BY b`,
  );
  return rows.map((r) => ({ x1: Math.expm1(Number(r.b) * width), x2: Math.expm1((Number(r.b) + 1) * width), customers: Number(r.customers) }));
}

/** Customers and predicted (and, with a horizon, actual) value per value segment and per RFM segment. */
export async function valueShares(db: SqlDb): Promise<ValueShare[]> {
  const hasActual = (await columnsOf(db, 'predictions')).some((c) => c.name === 'actual_spend');
  const actual = hasActual ? 'sum(actual_spend)' : 'NULL';
  const actualShare = hasActual ? 'sum(actual_spend) / nullif(sum(sum(actual_spend)) OVER (), 0)' : 'NULL';
  const rows = await db.query(
    `SELECT * FROM (
       SELECT 'value' AS grouping, value_segment AS segment, count(*) AS customers, sum(predicted_clv) AS predicted,
              sum(predicted_clv) / nullif(sum(sum(predicted_clv)) OVER (), 0) AS predicted_share,
              ${actual} AS actual, ${actualShare} AS actual_share
       FROM predictions GROUP BY value_segment
       UNION ALL
       SELECT 'rfm', coalesce(rfm_segment, '—'), count(*), sum(predicted_clv),
              sum(predicted_clv) / nullif(sum(sum(predicted_clv)) OVER (), 0), ${actual}, ${actualShare}
       FROM predictions GROUP BY rfm_segment)
     ORDER BY grouping DESC, CASE segment WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, predicted DESC`,
  );
  const orNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    grouping: r.grouping === 'value' ? 'value' : 'rfm',
    segment: String(r.segment),
    customers: Number(r.customers),
    predicted: Number(r.predicted),
    predicted_share: Number(r.predicted_share),
    actual: orNull(r.actual),
    actual_share: orNull(r.actual_share),
  }));
}

/** Customer ids starting with `prefix` (case-insensitive), for the lookup's suggestions. */
export async function searchCustomers(db: SqlDb, prefix: string, limit: number): Promise<string[]> {
  const rows = await db.query(
    `SELECT customer_id FROM features WHERE starts_with(lower(customer_id), lower(?)) ORDER BY customer_id LIMIT ${num(Math.max(1, Math.floor(limit)))}`,
    [prefix],
  );
  return rows.map((r) => String(r.customer_id));
}

/**
 * One customer's features, RFM row and predictions. `index` is the customer's position in the
 * order of the training inputs (features joined with rfm, by customer id), which is what the
 * model worker's explanations are indexed by.
 */
export async function customerProfile(db: SqlDb, customerId: string): Promise<CustomerProfile | null> {
  const [features] = await db.query(`SELECT * FROM features WHERE customer_id = ?`, [customerId]);
  if (!features) return null;
  const [position] = await db.query(
    `SELECT count(*) AS n FROM features f JOIN rfm r USING (customer_id) WHERE f.customer_id < ?`,
    [customerId],
  );
  const [rfm] = await db.query(`SELECT * FROM rfm WHERE customer_id = ?`, [customerId]);
  const prediction = (await tableExists(db, 'predictions')) ? ((await db.query(`SELECT * FROM predictions WHERE customer_id = ?`, [customerId]))[0] ?? null) : null;
  return { index: Number(position.n), customer_id: customerId, features, rfm: rfm ?? null, prediction };
}

/** Days of history the lookup draws at most: the most recent ones when a customer has more. */
export const HISTORY_DAYS = 1000;

/**
 * One customer's days from `customer_days` (their rows of a day netted, as every table counts
 * them), before and after the cutoff, oldest first; at most the `limit` most recent.
 */
export async function customerHistory(db: SqlDb, customerId: string, limit = HISTORY_DAYS): Promise<CustomerHistory> {
  const rows = await db.query(
    `SELECT CAST(day AS VARCHAR) AS day, CAST(spend AS DOUBLE) AS spend, is_purchase
     FROM customer_days WHERE customer_id = ? ORDER BY day DESC LIMIT ${num(Math.max(1, Math.floor(limit)) + 1)}`,
    [customerId],
  );
  const truncated = rows.length > limit;
  const days = rows.slice(0, limit).reverse().map((r) => ({ day: String(r.day), spend: Number(r.spend), purchase: Boolean(r.is_purchase) }));
  if (!truncated) {
    const firstPurchase = days.find((d) => d.purchase)?.day ?? null;
    return { days, truncated, firstPurchase, earlierPurchaseDays: 0, purchaseDays: null };
  }
  // The kept days start late: the first purchase and the purchases before them come from the
  // full list of purchase days (one date per day, small even for decades of daily purchases).
  const purchases = await db.query(
    `SELECT CAST(day AS VARCHAR) AS day FROM customer_days WHERE customer_id = ? AND is_purchase ORDER BY day`,
    [customerId],
  );
  const purchaseDays = purchases.map((r) => String(r.day));
  const firstKept = days[0].day;
  return {
    days,
    truncated,
    firstPurchase: purchaseDays[0] ?? null,
    earlierPurchaseDays: purchaseDays.filter((d) => d < firstKept).length,
    purchaseDays,
  };
}
