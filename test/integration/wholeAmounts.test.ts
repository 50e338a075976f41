/**
 * Amounts that may be cents read as whole currency units (clean/wholeAmounts.ts), through the real
 * engine: a Paddle Billing transactions page (cents as strings under details.totals, ISO dates,
 * nothing in the values to settle the unit) is read as written and said, and read right once the
 * user chooses minor units; near misses say nothing. Sums are computed here from the written rows.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataEngine } from '../../src/core/engine';
import { Rng } from '../../src/core/random';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';

let dir: string;
let db: Awaited<ReturnType<typeof openWasmDb>>;
let engine: DataEngine;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'clv-whole-'));
  db = await openWasmDb();
  engine = new DataEngine(db);
});
afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Txn {
  customer: string;
  day: string;
  cents: number;
}

function transactions(seed: number): Txn[] {
  const rng = new Rng(seed);
  return Array.from({ length: 120 }, () => ({
    customer: `ctm_01h${String(rng.int(40)).padStart(4, '0')}`,
    day: new Date(Date.UTC(2023, 0, 1) + rng.int(400) * 86_400_000).toISOString().slice(0, 10),
    cents: [900, 1900, 2900, 4900, 9900][rng.int(5)] + (rng.uniform() < 0.5 ? 0 : [180, 380, 580, 980, 1980][rng.int(5)]),
  }));
}

/** Paddle Billing's list-transactions response: the rows under "data", money as strings of the lowest denomination. */
function paddlePage(txns: Txn[]): string {
  const data = txns.map((t, i) => ({
    id: `txn_${String(i).padStart(26, '0')}`,
    status: 'completed',
    customer_id: t.customer,
    currency_code: 'USD',
    details: { totals: { subtotal: String(t.cents), tax: '0', total: String(t.cents), fee: String(Math.round(t.cents * 0.05 + 50)), currency_code: 'USD' } },
    created_at: `${t.day}T10:15:00.123456Z`,
  }));
  return JSON.stringify({ data, meta: { request_id: 'req', pagination: { per_page: data.length, next: null, has_more: false } } });
}

const spendOf = async () => Number((await db.query('SELECT sum(amount) AS s FROM transactions'))[0].s);

describe('whole-number amounts beside a currency: maybe cents', () => {
  it('a Paddle transactions page is read as written and the report says they may be cents; minor units read it right', async () => {
    const txns = transactions(1);
    const file = path.join(dir, 'paddle_transactions.json');
    writeFileSync(file, paddlePage(txns));
    const inspection = await engine.inspect(nodeSourceFile(file));
    expect({ amount: inspection.mapping.amount, currency: inspection.mapping.currency, quantity: inspection.mapping.quantity }).toEqual({ amount: 'details.totals.total', currency: 'currency_code', quantity: null });
    const asWritten = await engine.load(inspection.mapping);
    const cents = txns.reduce((s, t) => s + t.cents, 0);
    expect(await spendOf()).toBeCloseTo(cents, 6);
    expect(asWritten.quality.whole_amounts).toEqual({ column: 'details.totals.total', rows: txns.length });
    expect(asWritten.quality.warnings.some((w) => /is a whole number beside a currency code.*100 times too large/.test(w))).toBe(true);
    const minor = await engine.load({ ...inspection.mapping, amountMinorUnits: true });
    expect(await spendOf()).toBeCloseTo(cents / 100, 6);
    expect(minor.quality.whole_amounts).toBeUndefined();
  });

  it('says nothing with cents in the amounts, without a currency column, or for small whole amounts', async () => {
    const txns = transactions(2);
    const cases: [string, string, string[]][] = [
      ['decimals.csv', 'customer,date,amount,currency', txns.map((t, i) => `${t.customer},${t.day},${(t.cents / 100 + (i % 2) * 0.25).toFixed(2)},USD`)],
      ['no_currency.csv', 'customer,date,amount', txns.map((t) => `${t.customer},${t.day},${t.cents}`)],
      ['small.csv', 'customer,date,amount,currency', txns.map((t) => `${t.customer},${t.day},${Math.round(t.cents / 1000)},USD`)],
    ];
    for (const [name, header, lines] of cases) {
      const file = path.join(dir, name);
      writeFileSync(file, [header, ...lines].join('\n') + '\n');
      const inspection = await engine.inspect(nodeSourceFile(file));
      const { quality } = await engine.load(inspection.mapping);
      expect(quality.whole_amounts, name).toBeUndefined();
    }
  });
});
