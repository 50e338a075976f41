/**
 * Amounts in several currencies through the real engine (DuckDB-WASM) and the real CLI: the load
 * stops before adding them up, keeps the currency the user chooses (or all, added up as one, on
 * their say-so), and reports what it left out. Every expected count and sum is computed here from
 * the rows the test wrote.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/core/engine';
import { ClvError } from '../../src/core/errors';
import type { RejectionDetails } from '../../src/core/clean/rejectionGuard';
import { DEFAULT_CLEANING, type CleaningOptions } from '../../src/core/clean/staging';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';
import { Rng } from '../../src/core/random';

const REPO = path.resolve(__dirname, '../..');

interface Written {
  customer: string;
  day: string;
  amount: number;
  currency: string;
}

/** 2,000 rows of 200 customers; currencies drawn with the given weights; each amount written with its mark as `mark` says. */
function writeRows(rng: Rng, weights: Record<string, number>): Written[] {
  const codes = Object.keys(weights);
  const total = Object.values(weights).reduce((s, w) => s + w, 0);
  const rows: Written[] = [];
  for (let i = 0; i < 2000; i++) {
    let u = rng.uniform() * total;
    const currency = codes.find((c) => (u -= weights[c]) < 0) ?? codes[codes.length - 1];
    const day = new Date(Date.UTC(2023, 0, 1) + rng.int(540) * 86_400_000).toISOString().slice(0, 10);
    const cents = 100 + rng.int(50_000);
    rows.push({ customer: `c${rng.int(200)}`, day, amount: currency === 'JPY' ? cents : cents / 100, currency });
  }
  return rows;
}

const MARK: Record<string, (a: number) => string> = {
  USD: (a) => `"$${a.toLocaleString('en-US', { minimumFractionDigits: 2 })}"`,
  EUR: (a) => `${a.toFixed(2)} €`,
  GBP: (a) => `£${a.toFixed(2)}`,
  JPY: (a) => `¥${a}`,
};

const sum = (rows: readonly Written[]) => rows.reduce((s, r) => s + r.amount, 0);

let dir: string;
let db: Awaited<ReturnType<typeof openWasmDb>>;
let engine: DataEngine;
let marked: { file: string; rows: Written[] };
let column: { file: string; rows: Written[] };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'clv-currencies-'));
  const rowsMarked = writeRows(new Rng(7), { USD: 5, EUR: 3, GBP: 1, JPY: 1 });
  marked = { file: path.join(dir, 'marked.csv'), rows: rowsMarked };
  writeFileSync(marked.file, ['customer,date,amount', ...rowsMarked.map((r) => `${r.customer},${r.day},${MARK[r.currency](r.amount)}`)].join('\n') + '\n');
  const rowsColumn = writeRows(new Rng(8), { EUR: 6, USD: 4 });
  column = { file: path.join(dir, 'column.csv'), rows: rowsColumn };
  writeFileSync(column.file, ['Transaction ID,Name,Date,Currency,Gross', ...rowsColumn.map((r, i) => `T${i},${r.customer},${r.day},${r.currency},${r.amount.toFixed(2)}`)].join('\n') + '\n');
  db = await openWasmDb();
  engine = new DataEngine(db);
}, 60_000);

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function load(file: string, cleaning: Partial<CleaningOptions> = {}) {
  const inspection = await engine.inspect(nodeSourceFile(file));
  const { quality } = await engine.load(inspection.mapping, { ...DEFAULT_CLEANING, ...cleaning });
  const transactions = await engine.rows('transactions');
  return { quality, spend: transactions.reduce((s, r) => s + Number(r.amount), 0), rows: transactions.length };
}

async function refusal(file: string, cleaning: Partial<CleaningOptions> = {}): Promise<ClvError> {
  try {
    await load(file, cleaning);
  } catch (e) {
    if (e instanceof ClvError) return e;
    throw e;
  }
  throw new Error('the file was loaded');
}

function counts(rows: readonly Written[]): [string, number][] {
  const by = new Map<string, number>();
  for (const r of rows) by.set(r.currency, (by.get(r.currency) ?? 0) + 1);
  return [...by].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

describe('amounts in several currencies', () => {
  it('by their marks: the load stops, names every currency with its rows, and offers each as a choice', async () => {
    const error = await refusal(marked.file);
    expect(error.code).toBe('TOO_MANY_REJECTS');
    const byCurrency = counts(marked.rows);
    const [main, ...others] = byCurrency;
    expect(main[0]).toBe('USD');
    const details = error.details as unknown as RejectionDetails;
    const group = details.groups.find((g) => g.reason === 'another currency')!;
    expect(group.count).toBe(marked.rows.length - main[1]);
    // "$" stands for several currencies and stays a mark; "€", "£" are one currency each.
    expect(group.kept).toBe('$');
    const named = Object.fromEntries(others.map(([c, n]) => [c === 'JPY' ? '¥' : c, n]));
    expect(Object.fromEntries(group.fixes.filter((f) => f.currency !== 'all').map((f) => [f.currency, f.parses]))).toEqual(named);
    expect(group.fixes.at(-1)).toEqual({ currency: 'all', parses: group.count });
    // The example rows are rows of another currency, as written.
    expect(group.examples.length).toBeGreaterThan(0);
    for (const e of group.examples) expect(marked.rows[e.line - 1].currency).not.toBe('USD');
    expect(error.message).toMatch(new RegExp(`are in another currency than \\$ in "amount" \\(${others.map(([c, n]) => `${c === 'JPY' ? '¥' : c} ${n.toLocaleString('en-US')}`).join(', ')}\\)`));
  });

  it('the currency the user keeps: only its rows, its spend, the others counted as left out', async () => {
    const eur = marked.rows.filter((r) => r.currency === 'EUR');
    // Written as the code, the mark or lower case: the same currency.
    for (const choice of ['EUR', '€', 'eur']) {
      const got = await load(marked.file, { currency: choice });
      expect(got.rows).toBe(eur.length);
      expect(got.spend).toBeCloseTo(sum(eur), 6);
      expect(got.quality.rejected_by_reason).toEqual({ 'another currency': marked.rows.length - eur.length });
      expect(got.quality.currencies).toMatchObject({ kept: 'EUR', chosen: true, rows_left_out: marked.rows.length - eur.length, source: 'mark' });
      expect(got.quality.warnings.join('\n')).toMatch(/only the EUR rows were kept \(as asked\)/);
    }
    const rejected = await engine.rows('rejected');
    expect(rejected).toHaveLength(marked.rows.length - eur.length);
    expect(new Set(rejected.map((r) => r.reason))).toEqual(new Set(['another currency']));
  });

  it('"all" adds every currency up as one, with a warning that says so', async () => {
    const got = await load(marked.file, { currency: 'all' });
    expect(got.rows).toBe(marked.rows.length);
    expect(got.spend).toBeCloseTo(sum(marked.rows), 6);
    expect(got.quality.rows_rejected).toBe(0);
    expect(got.quality.warnings.join('\n')).toMatch(/added up as one, as asked/);
  });

  it('a currency the file does not hold is an error that lists those it does', async () => {
    const error = await refusal(marked.file, { currency: 'CHF' });
    expect(error.code).toBe('UNKNOWN_CURRENCY');
    expect(error.message).toMatch(/^No row is in the currency "CHF"\. The rows are in /);
    for (const [currency, n] of counts(marked.rows)) expect(error.message).toContain(`${currency === 'USD' ? '$' : currency === 'JPY' ? '¥' : currency} ${n.toLocaleString('en-US')}`);
  });

  it('by a currency column: the same, read from the column', async () => {
    const error = await refusal(column.file);
    expect(error.code).toBe('TOO_MANY_REJECTS');
    const [[main, n], [other, m]] = counts(column.rows);
    expect(error.message).toMatch(new RegExp(`${m.toLocaleString('en-US')} of 2,000 rows .* are in another currency than ${main} in "Currency" \\(${other} ${m.toLocaleString('en-US')}\\)`));
    const usd = column.rows.filter((r) => r.currency === 'USD');
    const got = await load(column.file, { currency: 'usd' });
    expect(got.rows).toBe(usd.length);
    expect(got.spend).toBeCloseTo(sum(usd), 6);
    expect(got.quality.currencies).toMatchObject({ column: 'Currency', source: 'column', kept: 'USD', by_currency: [{ currency: main, rows: n }, { currency: other, rows: m }] });
  });

  it('one currency with and without its mark loads whole, and says nothing about currencies', async () => {
    const file = path.join(dir, 'one.csv');
    const rows = writeRows(new Rng(9), { USD: 1 });
    writeFileSync(file, ['customer,date,amount', ...rows.map((r, i) => `${r.customer},${r.day},${i % 2 ? MARK.USD(r.amount) : r.amount.toFixed(2)}`)].join('\n') + '\n');
    const got = await load(file);
    expect(got.rows).toBe(rows.length);
    expect(got.spend).toBeCloseTo(sum(rows), 6);
    expect(got.quality.currencies).toMatchObject({ by_currency: [{ currency: '$', rows: rows.length / 2 }], kept: '$', rows_left_out: 0 });
    expect(got.quality.warnings.join('\n')).not.toMatch(/currenc/);
  });

  it('a converted amount beside them (Stripe): the refusal names it, and mapped as the amount it loads every row', async () => {
    const file = path.join(dir, 'stripe.csv');
    const rows = writeRows(new Rng(10), { USD: 3, EUR: 2 });
    // Converted to the account's currency at a rate written here, so the test knows every sum.
    const rate = (r: Written) => (r.currency === 'EUR' ? 1.08 : 1);
    const converted = rows.map((r) => Number((r.amount * rate(r)).toFixed(2)));
    writeFileSync(
      file,
      ['id,Created (UTC),Amount,Amount Refunded,Currency,Converted Amount,Converted Currency,Customer Email', ...rows.map((r, i) => `ch_${i},${r.day} 10:00:00,${r.amount.toFixed(2)},0.00,${r.currency.toLowerCase()},${converted[i].toFixed(2)},usd,${r.customer}@x.com`)].join('\n') + '\n',
    );
    const error = await refusal(file);
    expect(error.code).toBe('TOO_MANY_REJECTS');
    expect(error.message).toMatch(/in "Currency" \(EUR [\d,]+\); keep one currency, map "Converted Amount" \(converted to one currency\) as the amount, or add them all up as one/);
    const inspection = await engine.inspect(nodeSourceFile(file));
    const { quality } = await engine.load({ ...inspection.mapping, amount: 'Converted Amount' });
    const transactions = await engine.rows('transactions');
    expect(transactions).toHaveLength(rows.length);
    expect(transactions.reduce((s, r) => s + Number(r.amount), 0)).toBeCloseTo(converted.reduce((s, a) => s + a, 0), 6);
    expect(quality.currencies).toMatchObject({ column: 'Converted Currency', by_currency: [{ currency: 'USD', rows: rows.length }], rows_left_out: 0 });
  });

  it('through the CLI: --keep-currency keeps one, and the refusal names the flag', async () => {
    const cli = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/cli.ts'), ...args], { cwd: REPO, timeout: 180_000 }, (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const refused = await cli(['features', column.file, '--cutoff', '2024-03-31', '--out', path.join(dir, 'refused')]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/^TOO_MANY_REJECTS: .* another currency than EUR in "Currency" .*--keep-currency CODE keeps another one, --keep-currency all adds them up as one/);
    const out = path.join(dir, 'kept');
    const kept = await cli(['features', column.file, '--cutoff', '2024-03-31', '--out', out, '--keep-currency', 'USD']);
    expect(kept.code, kept.stderr).toBe(0);
    const usd = column.rows.filter((r) => r.currency === 'USD');
    const quality = JSON.parse(readFileSync(path.join(out, 'quality.json'), 'utf8'));
    expect(quality.rows_kept).toBe(usd.length);
    expect(quality.rejected_by_reason).toEqual({ 'another currency': column.rows.length - usd.length });
  }, 240_000);
});
