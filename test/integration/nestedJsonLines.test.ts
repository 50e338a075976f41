/**
 * Shopify's bulk operation results (GraphQL Admin API): JSON lines in which each order is a line and
 * each of its line items a line of its own naming the order in `__parentId`. The line items are
 * parts of their order, not transactions: on either engine (DuckDB-WASM with JSON read in
 * JavaScript, native DuckDB's read_json) only the orders are read, the line items are counted in
 * the quality report, and every customer's spend and purchase days are those of the orders. Every
 * expected figure is computed here from the orders the test wrote.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDb } from '../../src/core/db';
import { DataEngine } from '../../src/core/engine';
import { Rng } from '../../src/core/random';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';

type Status = 'PAID' | 'PARTIALLY_REFUNDED' | 'REFUNDED' | 'VOIDED' | 'PENDING';

interface Order {
  id: string;
  customer: string;
  day: string;
  createdAt: string;
  status: Status;
  totalCents: number;
  refundedCents: number;
  items: { id: string; sku: string; quantity: number; cents: number }[];
}

const STATUSES: readonly Status[] = ['PAID', 'PAID', 'PAID', 'PAID', 'PAID', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'VOIDED', 'PENDING'];
const money = (cents: number) => ({ shopMoney: { amount: (cents / 100).toFixed(2), currencyCode: 'USD' } });

function orders(seed: number, count: number): Order[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, k) => {
    const id = `gid://shopify/Order/${5_000_000_000 + k * 7}`;
    const items = Array.from({ length: 1 + rng.int(4) }, (_, j) => {
      const quantity = 1 + rng.int(3);
      return { id: `gid://shopify/LineItem/${(5_000_000_000 + k * 7) * 10 + j}`, sku: `SKU-${rng.int(40)}`, quantity, cents: quantity * (500 + rng.int(7500)) };
    });
    const totalCents = items.reduce((s, i) => s + i.cents, 0);
    const status = STATUSES[rng.int(STATUSES.length)];
    const refundedCents = status === 'REFUNDED' ? totalCents : status === 'PARTIALLY_REFUNDED' ? Math.round(totalCents * 0.3) : 0;
    const at = new Date(Date.UTC(2023, 0, 1) + rng.int(540) * 86_400_000 + rng.int(86_400) * 1000);
    return { id, customer: `gid://shopify/Customer/${7_000_000_000 + rng.int(120) * 13}`, day: at.toISOString().slice(0, 10), createdAt: at.toISOString().replace(/\.\d{3}Z$/, 'Z'), status, totalCents, refundedCents, items };
  });
}

function orderLine(o: Order, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: o.id,
    name: `#${o.id.slice(-6)}`,
    createdAt: o.createdAt,
    displayFinancialStatus: o.status,
    customer: { id: o.customer, email: `${o.customer.slice(-10)}@shop.example` },
    totalPriceSet: money(o.totalCents),
    totalRefundedSet: money(o.refundedCents),
    ...extra,
  });
}

/** The bulk export: each order's line, then one line per line item naming it. */
function bulkLines(data: readonly Order[]): string[] {
  return data.flatMap((o) => [orderLine(o), ...o.items.map((i) => JSON.stringify({ id: i.id, sku: i.sku, quantity: i.quantity, originalTotalSet: money(i.cents), __parentId: o.id }))]);
}

/**
 * Per customer: spend (paid orders less what was refunded) and purchase days (a day that nets above
 * zero, or to zero without a refund). Voided and pending orders are no purchase.
 */
function reference(data: readonly Order[]): Map<string, { spendCents: number; days: number }> {
  const byDay = new Map<string, Map<string, { cents: number; refund: boolean }>>();
  for (const o of data) {
    if (o.status === 'VOIDED' || o.status === 'PENDING') continue;
    const days = byDay.get(o.customer) ?? new Map<string, { cents: number; refund: boolean }>();
    const d = days.get(o.day) ?? { cents: 0, refund: false };
    days.set(o.day, { cents: d.cents + o.totalCents - o.refundedCents, refund: d.refund || o.refundedCents > 0 });
    byDay.set(o.customer, days);
  }
  const out = new Map<string, { spendCents: number; days: number }>();
  for (const [customer, days] of byDay) {
    const all = [...days.values()];
    const purchaseDays = all.filter((d) => d.cents > 0 || (d.cents === 0 && !d.refund)).length;
    if (purchaseDays > 0) out.set(customer, { spendCents: all.reduce((s, d) => s + d.cents, 0), days: purchaseDays });
  }
  return out;
}

const LAST_DAY = '2024-12-31';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'clv-nested-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const engines: [string, () => Promise<SqlDb & { close(): void }>][] = [
  ['DuckDB-WASM (JSON read in JavaScript)', () => openWasmDb()],
  ["native DuckDB (its own read_json)", async () => (await import('../../src/node/nativeDb')).openNativeDb()],
];

describe.each(engines)('JSON lines nested under another row, on %s', (_name, open) => {
  let db: SqlDb & { close(): void };
  let engine: DataEngine;
  beforeAll(async () => {
    db = await open();
    engine = new DataEngine(db);
  });
  afterAll(() => db?.close());

  async function customers(): Promise<Map<string, { spendCents: number; days: number }>> {
    await engine.build({ period: { cutoff: LAST_DAY, horizonEnd: null }, unit: 'day' });
    const rows = await engine.rows('features');
    return new Map(rows.map((r) => [String(r.customer_id), { spendCents: Math.round(Number(r.total_spend) * 100), days: Number(r.frequency) + 1 }]));
  }

  it("reads Shopify's bulk export as its orders: the customer is the order's, the line items are counted, and spend and purchase days are the orders'", async () => {
    const data = orders(11, 500);
    const file = write('bulk.jsonl', bulkLines(data));
    const inspection = await engine.inspect(nodeSourceFile(file));
    expect(inspection.mapping.customer).toBe('customer.id');
    expect(inspection.mapping.date).toBe('createdAt');
    expect(inspection.mapping.amount).toBe('totalPriceSet.shopMoney.amount');
    // A line item's own fields are not offered as the orders' (they would be blank on every order).
    const offered = inspection.columns.map((c) => c.name);
    for (const name of ['__parentId', 'sku', 'quantity', 'originalTotalSet.shopMoney.amount']) expect(offered).not.toContain(name);

    const { quality } = await engine.load(inspection.mapping);
    const lineItems = data.reduce((s, o) => s + o.items.length, 0);
    expect(quality.nested_rows).toEqual({ column: '__parentId', rows: lineItems });
    expect(quality.warnings).toContain(
      `${lineItems.toLocaleString('en-US')} rows are line items nested under the order they name (__parentId, as Shopify's bulk exports write them) and were read as parts of those orders, not as transactions.`,
    );
    expect(quality.rows_read).toBe(data.length);
    expect(quality.one_row_per_customer).toBeUndefined();

    // Rejected orders keep their line number in the file (line items included in the count).
    const lineOf = new Map<string, number>();
    let line = 0;
    for (const o of data) {
      lineOf.set(o.id, ++line);
      line += o.items.length;
    }
    const notCompleted = data.filter((o) => o.status === 'VOIDED' || o.status === 'PENDING');
    const rejected = await engine.rows('rejected');
    expect(rejected.map((r) => Number(r.line)).sort((a, b) => a - b)).toEqual(notCompleted.map((o) => lineOf.get(o.id)!));

    const expected = reference(data);
    expect(expected.size).toBeGreaterThan(50);
    expect(await customers()).toEqual(expected);
  });

  it('reads the same orders without their line items (no __parentId) as before, to the same figures', async () => {
    const data = orders(11, 500);
    const inspection = await engine.inspect(nodeSourceFile(write('orders.jsonl', data.map((o) => orderLine(o)))));
    expect(inspection.mapping.customer).toBe('customer.id');
    const { quality } = await engine.load(inspection.mapping);
    expect(quality.nested_rows).toBeUndefined();
    expect(quality.warnings.some((w) => /__parentId/.test(w))).toBe(false);
    expect(await customers()).toEqual(reference(data));
  });

  it('leaves a file whose __parentId is never filled as it is', async () => {
    const data = orders(12, 300);
    const inspection = await engine.inspect(nodeSourceFile(write('unfilled.jsonl', data.map((o) => orderLine(o, { __parentId: null })))));
    expect(inspection.mapping.customer).toBe('customer.id');
    const { quality } = await engine.load(inspection.mapping);
    expect(quality.nested_rows).toBeUndefined();
    expect(quality.rows_read).toBe(data.length);
    expect(await customers()).toEqual(reference(data));
  });
});
