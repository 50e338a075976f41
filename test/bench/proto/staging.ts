/**
 * PROTOTYPE (benchmark copy of src/core/clean/staging.ts + qualityReport.ts), same results:
 *  - dates: a plain ISO date (YYYY-MM-DD) is cast directly; only other text goes through the
 *    engine's regexp_replace (time-zone stripping) + TIMESTAMP cast, the most expensive expression.
 *  - amounts: a plain decimal ("12.50", "-3") is cast directly; only other text goes through the
 *    money regex (regexp_full_match + regexp_replace + LIKEs). Decimal-comma files are unchanged.
 *  - transactions_all is a VIEW (it was a 1M-row table read once, by the quality report), and so is
 *    transactions when no duplicates are removed (a filter over staged; no copy of every row).
 *  - no regexp on order ids when no order column is mapped (is_cancel is constant false).
 *  - transactions and customer_days are not sorted (ORDER BY customer_id, day, row_id of every
 *    row); `sortTransactions` restores it to measure what it costs.
 *  - customer_days carries n_lines (non-return rows), so build need not rescan transactions.
 *  - slim staged: no all-NULL columns for unmapped roles and no copy of the original cells (the
 *    few rejected rows are re-read from the file), which halves staged's memory;
 *  - quality report: one scan for counts and reasons, one quantile_cont with a list, and the
 *    exact-duplicate count groups on the full key only rows whose row_hash repeats.
 */
import type { SqlDb } from '../../../src/core/db';
import { REJECT_REASONS, requireMapping, type CleaningOptions } from '../../../src/core/clean/staging';
import type { QualityReport } from '../../../src/core/clean/qualityReport';
import { amountSql, isNumericType, type DecimalSeparator } from '../../../src/core/mapping/amountFormat';
import { dateSql } from '../../../src/core/mapping/dateFormat';
import type { ColumnMapping, ColumnSample } from '../../../src/core/mapping/roles';
import { ident } from '../../../src/core/sql';
import { ROW_COLUMN, type RawRelation } from './rawRelation';

export interface ProtoOptions {
  /** Keep the engine's ORDER BY customer_id, day, row_id on transactions (and customer_days). */
  sortTransactions: boolean;
  /** `transactions` as a view over staged when nothing is de-duplicated. */
  transactionsView: boolean;
  /** staged keeps neither unmapped columns nor original cells (rejected rows are re-read). */
  slimStaged: boolean;
}

export const DEFAULT_PROTO: ProtoOptions = { sortTransactions: false, transactionsView: true, slimStaged: true };

function textOrNull(column: string | null): string {
  return column ? `NULLIF(trim(CAST(${ident(column)} AS VARCHAR)), '')` : 'CAST(NULL AS VARCHAR)';
}

function typeOf(columns: readonly ColumnSample[], name: string): string {
  return columns.find((col) => col.name === name)!.type;
}

/** amountSql with a fast path for plain decimals (same value: both end in try_cast(… AS DOUBLE)). */
function fastAmountSql(column: string, columnType: string, decimal: DecimalSeparator): string {
  const slow = amountSql(column, columnType, decimal);
  if (isNumericType(columnType) || decimal !== '.') return slow;
  const v = `trim(CAST(${column} AS VARCHAR))`;
  return `CASE WHEN regexp_full_match(${v}, '[-+]?[0-9]+(\\.[0-9]+)?') THEN try_cast(${v} AS DOUBLE) ELSE ${slow} END`;
}

/** Optional columns, in the order the engine's transactions table has them. */
const OPTIONAL = [
  ['order_id', 'order', 'VARCHAR'],
  ['quantity', 'quantity', 'DOUBLE'],
  ['category', 'category', 'VARCHAR'],
  ['channel', 'channel', 'VARCHAR'],
  ['region', 'region', 'VARCHAR'],
] as const;

function originalSql(columns: readonly ColumnSample[]): string {
  return `struct_pack(${columns.map((c) => `${ident(c.name)} := CAST(${ident(c.name)} AS VARCHAR)`).join(', ')})`;
}

/**
 * dateSql with a fast path for plain ISO dates: a 10-character value with dashes at positions 5
 * and 8 is cast to DATE directly (what the regexp_replace → TIMESTAMP path yields for it);
 * anything else (times, offsets, other formats) takes the engine's path unchanged.
 */
function fastDateSql(column: string, columnType: string, format: ColumnMapping['dateFormat']): string {
  const slow = dateSql(column, columnType, format);
  if ((format !== 'iso' && format !== 'native') || /^(DATE|TIMESTAMP)/i.test(columnType)) return slow;
  const v = `trim(CAST(${column} AS VARCHAR))`;
  return `CASE WHEN length(${v}) = 10 AND substr(${v}, 5, 1) = '-' AND substr(${v}, 8, 1) = '-' THEN try_cast(${v} AS DATE) ELSE ${slow} END`;
}

export async function stageRows(db: SqlDb, raw: RawRelation, columns: readonly ColumnSample[], mapping: ColumnMapping, proto: ProtoOptions): Promise<void> {
  requireMapping(mapping, columns);
  const col = (name: string) => ident(name);
  const amt = (name: string) => fastAmountSql(col(name), typeOf(columns, name), mapping.decimalSeparator);
  const amount = mapping.amount ? amt(mapping.amount) : `(${amt(mapping.quantity!)}) * (${amt(mapping.unitPrice!)})`;
  const quantity = mapping.quantity ? amt(mapping.quantity) : 'CAST(NULL AS DOUBLE)';
  const all = columns.map((c) => col(c.name));
  const optional = OPTIONAL.map(([name, role]) => ({ name, mapped: mapping[role] !== null, sql: name === 'quantity' ? quantity : textOrNull(mapping[role]) }));
  // Slim: unmapped optional columns are not stored (an all-NULL column still costs ~8-16 bytes a row
  // in memory), and the original cells are not kept: rejected rows are re-read from the file.
  const kept = proto.slimStaged ? optional.filter((o) => o.mapped) : optional;
  const parsed = `SELECT ${ident(ROW_COLUMN)} AS row_id,
      ${textOrNull(mapping.customer)} AS customer_id,
      ${fastDateSql(col(mapping.date!), typeOf(columns, mapping.date!), mapping.dateFormat)} AS day,
      ${amount} AS amount,
      ${kept.map((o) => `${o.sql} AS ${o.name},`).join('\n      ')}
      hash(${all.join(', ')}) AS row_hash
      ${proto.slimStaged ? '' : `, ${originalSql(columns)} AS original`}
    FROM (${raw.sql})`;
  const reason = `CASE WHEN customer_id IS NULL THEN '${REJECT_REASONS.missingCustomer}'
      WHEN day IS NULL THEN '${REJECT_REASONS.badDate}'
      WHEN amount IS NULL OR isnan(amount) OR isinf(amount) THEN '${REJECT_REASONS.badAmount}' END`;
  await db.exec(
    `CREATE OR REPLACE TABLE staged AS
     SELECT row_id, customer_id, day, amount, ${kept.map((o) => `${o.name}, `).join('')}row_hash, reason
            ${proto.slimStaged ? '' : ', CASE WHEN reason IS NOT NULL THEN original END AS original'}
     FROM (SELECT *, ${reason} AS reason FROM (${parsed}))`,
    raw.params,
  );
}

/** The `rejected` table (line, reason, original cells); with a slim staged table the cells come from a second read, only when some row was rejected. */
export async function buildRejected(db: SqlDb, raw: RawRelation, columns: readonly ColumnSample[], proto: ProtoOptions): Promise<void> {
  if (!proto.slimStaged) {
    await db.exec(`CREATE OR REPLACE TABLE rejected AS SELECT row_id AS line, reason, UNNEST(original) FROM staged WHERE reason IS NOT NULL ORDER BY row_id`);
    return;
  }
  const [{ n }] = await db.query(`SELECT count(*) AS n FROM staged WHERE reason IS NOT NULL`);
  const source = `(SELECT ${ident(ROW_COLUMN)} AS row_id, ${originalSql(columns)} AS original FROM (${raw.sql}) ${Number(n) === 0 ? 'LIMIT 0' : ''})`;
  await db.exec(
    `CREATE OR REPLACE TABLE rejected AS
     SELECT s.row_id AS line, s.reason, UNNEST(r.original)
     FROM staged s JOIN ${source} r USING (row_id) WHERE s.reason IS NOT NULL ORDER BY s.row_id`,
    raw.params,
  );
}

/** Drops a table or view of that name, whichever it is (CREATE OR REPLACE cannot switch kinds). */
async function dropRelation(db: SqlDb, name: 'transactions' | 'transactions_all'): Promise<void> {
  const [kind] = await db.query(
    `SELECT (SELECT count(*) FROM duckdb_views() WHERE view_name = ? AND NOT internal) AS views, (SELECT count(*) FROM duckdb_tables() WHERE table_name = ?) AS tables`,
    [name, name],
  );
  if (Number(kind.views) > 0) await db.exec(`DROP VIEW ${name}`);
  if (Number(kind.tables) > 0) await db.exec(`DROP TABLE ${name}`);
}

export async function buildTransactions(
  db: SqlDb,
  options: CleaningOptions,
  removeDuplicates: boolean,
  mapping: ColumnMapping,
  proto: ProtoOptions,
): Promise<void> {
  const dedupe = removeDuplicates ? 'QUALIFY row_number() OVER (PARTITION BY row_hash, customer_id, day, amount ORDER BY row_id) = 1' : '';
  const isCancel = mapping.order ? `regexp_full_match(coalesce(order_id, ''), '[Cc][0-9]+')` : 'false';
  // Unmapped optional columns are typed NULL constants here (nothing stored), so the schema is the engine's.
  const optional = OPTIONAL.map(([name, role, type]) => (proto.slimStaged && mapping[role] === null ? `CAST(NULL AS ${type}) AS ${name}` : name)).join(', ');
  await dropRelation(db, 'transactions_all');
  await db.exec(
    `CREATE VIEW transactions_all AS
     SELECT row_id, customer_id, day, ${optional}, is_cancel,
            CASE WHEN is_cancel AND amount > 0 THEN -amount ELSE amount END AS amount,
            (amount < 0 OR is_cancel) AS is_return
     FROM (SELECT *, ${isCancel} AS is_cancel FROM staged WHERE reason IS NULL ${dedupe})`,
  );
  const order = proto.sortTransactions ? 'ORDER BY customer_id, day, row_id' : '';
  const select = `SELECT * EXCLUDE (is_cancel) FROM transactions_all ${options.returns === 'drop' ? 'WHERE NOT is_return' : ''} ${order}`;
  await dropRelation(db, 'transactions');
  // Without de-duplication `transactions` is a filter over staged: a view saves copying every row.
  if (proto.transactionsView && !removeDuplicates && !proto.sortTransactions) await db.exec(`CREATE VIEW transactions AS ${select}`);
  else await db.exec(`CREATE TABLE transactions AS ${select}`);
  await db.exec(
    `CREATE OR REPLACE TABLE customer_days AS
     SELECT customer_id, day, sum(amount) AS spend, bool_or(NOT is_return) AS is_purchase, count(*) AS n_rows,
            count(*) FILTER (WHERE NOT is_return) AS n_lines
     FROM transactions GROUP BY customer_id, day ${proto.sortTransactions ? 'ORDER BY customer_id, day' : ''}`,
  );
}

const asNumber = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export async function qualityReport(db: SqlDb, file: string, format: string, options: CleaningOptions): Promise<QualityReport> {
  // Exact duplicates: group on the full key only the rows whose 64-bit row hash repeats.
  const [dups] = await db.query(
    `SELECT coalesce(sum(n - 1), 0) AS n FROM (
       SELECT count(*) AS n FROM staged
       WHERE reason IS NULL AND row_hash IN (SELECT row_hash FROM staged WHERE reason IS NULL GROUP BY row_hash HAVING count(*) > 1)
       GROUP BY row_hash, customer_id, day, amount)`,
  );
  const byReason = await db.query(`SELECT reason, count(*) AS n FROM staged GROUP BY reason ORDER BY n DESC, reason`);
  const reasons = byReason.filter((r) => r.reason !== null);
  const rowsRead = byReason.reduce((s, r) => s + asNumber(r.n), 0);
  const rejected = reasons.reduce((s, r) => s + asNumber(r.n), 0);
  const valid = rowsRead - rejected;
  const [all] = await db.query(
    `SELECT count(*) AS n, count(*) FILTER (WHERE is_return) AS returns, count(*) FILTER (WHERE is_cancel) AS cancels,
            coalesce(sum(amount) FILTER (WHERE is_return), 0) AS return_amount FROM transactions_all`,
  );
  const [kept] = await db.query(
    `SELECT count(*) AS n, count(*) FILTER (WHERE amount = 0) AS zero_rows, count(DISTINCT customer_id) AS customers,
            CAST(min(day) AS VARCHAR) AS first_day, CAST(max(day) AS VARCHAR) AS last_day FROM transactions`,
  );
  const [fence] = await db.query(
    `SELECT q[2] + 3 * (q[2] - q[1]) AS threshold FROM (SELECT quantile_cont(amount, [0.25, 0.75]) AS q FROM transactions WHERE amount > 0)`,
  );
  const threshold = fence?.threshold === null || fence?.threshold === undefined ? null : Number(fence.threshold);
  let extremeRows = 0;
  let examples: QualityReport['extreme_amounts']['examples'] = [];
  if (threshold !== null) {
    const [c] = await db.query(`SELECT count(*) AS n FROM transactions WHERE amount > ?`, [threshold]);
    extremeRows = asNumber(c.n);
    const top = await db.query(`SELECT row_id, customer_id, amount FROM transactions WHERE amount > ? ORDER BY amount DESC, row_id LIMIT 5`, [threshold]);
    examples = top.map((r) => ({ row: asNumber(r.row_id), customer_id: String(r.customer_id), amount: asNumber(r.amount) }));
  }
  const afterDedupe = asNumber(all.n);
  const warnings: string[] = [];
  if (rejected > 0) warnings.push(`${rejected} row(s) could not be used; download them from the report to see why.`);
  if (asNumber(dups.n) > valid - afterDedupe) {
    warnings.push(`${asNumber(dups.n)} row(s) repeat another row exactly; without an order id they may be real repeat orders, so they were kept.`);
  }
  if (extremeRows > 0) warnings.push(`${extremeRows} row(s) have unusually large amounts (above ${threshold?.toFixed(2)}); check they are not data errors.`);
  return {
    file,
    format,
    rows_read: rowsRead,
    rows_rejected: rejected,
    rejected_by_reason: Object.fromEntries(reasons.map((r) => [String(r.reason), asNumber(r.n)])),
    duplicate_rows_found: asNumber(dups.n),
    duplicates_removed: valid - afterDedupe,
    returns: { policy: options.returns, rows: asNumber(all.returns), cancelled_invoices: asNumber(all.cancels), amount: asNumber(all.return_amount) },
    zero_amount_rows: asNumber(kept.zero_rows),
    rows_kept: asNumber(kept.n),
    customers: asNumber(kept.customers),
    first_date: kept.first_day === null ? null : String(kept.first_day),
    last_date: kept.last_day === null ? null : String(kept.last_day),
    extreme_amounts: { threshold, rows: extremeRows, examples },
    warnings,
  };
}
