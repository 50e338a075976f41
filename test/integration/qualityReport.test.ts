/**
 * The quality report's counts on a file whose answers are computed here row by row: zero-amount
 * rows, returns and cancelled invoices, customers, date range, and the extreme-amount fence
 * (Q3 + 3·IQR of the positive amounts, quantiles by linear interpolation) with its examples.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SqlDb } from '../../src/core/db';
import { BUILD_STEPS, DataEngine, LOAD_STEPS, type EngineStep } from '../../src/core/engine';
import { Rng } from '../../src/core/random';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';

let dir: string;
let db: SqlDb & { close(): void };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'clv-quality-'));
  db = await openWasmDb();
});

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** quantile_cont: linear interpolation between the order statistics (type 7). */
function quantile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

it('counts zero amounts, returns, cancellations, customers and dates, and flags amounts beyond Q3 + 3·IQR', async () => {
  const rng = new Rng(7);
  const rows: { order: string; customer: string; day: string; amount: number }[] = [];
  for (let i = 0; i < 600; i++) {
    const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(rng.uniform() * 365) * 86_400_000).toISOString().slice(0, 10);
    const kind = i % 50;
    // Mostly lognormal spend; every 50th row is zero, every 50th + 1 a return, + 2 a cancelled invoice, + 3 huge.
    const amount = kind === 0 ? 0 : kind === 1 ? -Math.round(20 * rng.uniform() * 100) / 100 : kind === 3 ? 5000 + i : Math.round(Math.exp(3 + 0.5 * rng.normal()) * 100) / 100;
    rows.push({ order: `${kind === 2 ? 'C' : ''}${100000 + i}`, customer: `cust${Math.floor(rng.uniform() * 90)}`, day, amount });
  }
  const file = path.join(dir, 'quality.csv');
  writeFileSync(file, ['invoice,customer,date,amount', ...rows.map((r) => `${r.order},${r.customer},${r.day},${r.amount.toFixed(2)}`)].join('\n') + '\n');

  const engine = new DataEngine(db);
  const inspection = await engine.inspect(nodeSourceFile(file));
  expect(inspection.mapping).toMatchObject({ order: 'invoice', customer: 'customer', date: 'date', amount: 'amount' });
  const { quality } = await engine.load(inspection.mapping);

  const cancels = rows.filter((r) => r.order.startsWith('C'));
  const returns = rows.filter((r) => r.amount < 0 || r.order.startsWith('C'));
  // A cancelled invoice written positive is made negative.
  const net = rows.map((r) => (r.order.startsWith('C') && r.amount > 0 ? -r.amount : r.amount));
  const positive = net.filter((a) => a > 0).sort((a, b) => a - b);
  const q1 = quantile(positive, 0.25);
  const q3 = quantile(positive, 0.75);
  const fence = q3 + 3 * (q3 - q1);
  const extreme = rows.map((r, i) => ({ row: i + 1, customer_id: r.customer, amount: net[i] })).filter((r) => r.amount > fence);
  const days = rows.map((r) => r.day).sort();

  expect(quality.rows_read).toBe(600);
  expect(quality.rows_rejected).toBe(0);
  expect(quality.rows_kept).toBe(600);
  expect(quality.zero_amount_rows).toBe(rows.filter((r) => r.amount === 0).length);
  expect(quality.returns.rows).toBe(returns.length);
  expect(quality.returns.cancelled_invoices).toBe(cancels.length);
  expect(quality.returns.amount).toBeCloseTo(returns.reduce((s, r) => s - Math.abs(r.amount), 0), 6);
  expect(quality.customers).toBe(new Set(rows.map((r) => r.customer)).size);
  expect(quality.first_date).toBe(days[0]);
  expect(quality.last_date).toBe(days[days.length - 1]);
  expect(quality.extreme_amounts.threshold).toBeCloseTo(fence, 9);
  expect(extreme.length).toBeGreaterThanOrEqual(12);
  expect(quality.extreme_amounts.rows).toBe(extreme.length);
  const top = [...extreme].sort((a, b) => b.amount - a.amount || a.row - b.row).slice(0, 5);
  expect(quality.extreme_amounts.examples).toEqual(top);
  expect(quality.warnings.some((w) => w.includes(`${extreme.length} row(s) have unusually large amounts`))).toBe(true);
});

it('announces each load and build step as it starts, in order', async () => {
  const file = path.join(dir, 'steps.csv');
  const lines = ['customer,date,amount'];
  for (let c = 0; c < 20; c++) for (let k = 0; k < 3; k++) lines.push(`c${c},2024-0${1 + k}-1${c % 9},${(10 + c + k).toFixed(2)}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const engine = new DataEngine(db);
  const inspection = await engine.inspect(nodeSourceFile(file));
  const heard: EngineStep[] = [];
  const listener = (step: EngineStep) => heard.push(step);
  await engine.load(inspection.mapping, undefined, listener);
  await engine.build({ period: { cutoff: '2024-02-28', horizonEnd: '2024-03-31' } }, listener);
  expect(heard.map((s) => `${s.phase}:${s.step}:${s.index}/${s.total}`)).toEqual([
    ...LOAD_STEPS.map((s, i) => `load:${s}:${i + 1}/${LOAD_STEPS.length}`),
    ...BUILD_STEPS.map((s, i) => `build:${s}:${i + 1}/${BUILD_STEPS.length}`),
  ]);
});

it('gives the rejected-rows table the same columns with and without rejected rows, even beside file columns called line and reason', async () => {
  const good = ['line,reason,customer,date,amount', '1,a,c1,2024-01-01,10', '2,b,c2,2024-01-02,11', '3,c,c1,2024-02-01,12', '4,d,c3,2024-02-03,1', '5,e,c2,2024-03-01,5'];
  const bad = [...good.slice(0, 4), '4,d,c3,not-a-date,1', good[5]];
  const columnsOf = async (lines: string[], name: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const engine = new DataEngine(db);
    // One bad date in five rows is above the 1% guard: loading anyway is the user's say-so.
    await engine.load((await engine.inspect(nodeSourceFile(file))).mapping, { returns: 'net', duplicates: 'auto', allowRejects: true });
    const columns = await db.query(`SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'rejected' ORDER BY column_index`);
    return { columns: columns.map((c) => `${c.column_name} ${c.data_type}`), rows: await engine.rows('rejected') };
  };
  const none = await columnsOf(good, 'clean.csv');
  const some = await columnsOf(bad, 'one-bad-date.csv');
  expect(none.rows).toEqual([]);
  expect(some.rows).toEqual([{ line: 4, reason: 'unparseable date', line_1: '4', reason_1: 'd', customer: 'c3', date: 'not-a-date', amount: '1' }]);
  expect(none.columns).toEqual(some.columns);
  expect(none.columns).toEqual(['line BIGINT', 'reason VARCHAR', 'line_1 VARCHAR', 'reason_1 VARCHAR', 'customer VARCHAR', 'date VARCHAR', 'amount VARCHAR']);
});
