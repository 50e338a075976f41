/**
 * What the engine reads from a status column over the whole file, and what it says about a customer
 * column that identifies rows rather than customers (DuckDB-WASM, the real engine). Every expected
 * count and sum is computed here from the rows the test wrote.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REJECT_REASONS } from '../../src/core/clean/staging';
import { DataEngine } from '../../src/core/engine';
import { Rng } from '../../src/core/random';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';

let dir: string;
let db: Awaited<ReturnType<typeof openWasmDb>>;
let engine: DataEngine;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'clv-status-'));
  db = await openWasmDb();
  engine = new DataEngine(db);
});
afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Row {
  id: string;
  customer: string;
  day: string;
  amount: number;
  status: string;
}

function rows(seed: number, statuses: readonly string[]): Row[] {
  const rng = new Rng(seed);
  return Array.from({ length: 400 }, (_, i) => ({
    id: `pay_${1000 + i}`,
    customer: `acct${rng.int(60)}`,
    day: new Date(Date.UTC(2023, 0, 1) + rng.int(500) * 86_400_000).toISOString().slice(0, 10),
    amount: (100 + rng.int(90_000)) / 100,
    status: statuses[rng.int(statuses.length)],
  }));
}

function write(name: string, header: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, [header, ...lines].join('\n') + '\n');
  return file;
}

const spendOf = async () => Number((await db.query('SELECT sum(amount) AS s FROM transactions'))[0].s);

describe('status columns, read over the whole file', () => {
  it('a sales pipeline (a stage column holding Closed Won) counts won deals only; open and lost ones are left out and counted', async () => {
    const data = rows(1, ['Closed Won', 'Closed Lost', 'Prospecting', 'Negotiation/Review']);
    const file = write('opportunities.csv', 'Account Name,Close Date,Stage,Amount', data.map((r) => `${r.customer},${r.day},${r.status},${r.amount.toFixed(2)}`));
    const inspection = await engine.inspect(nodeSourceFile(file));
    expect(inspection.mapping.status).toBe('Stage');
    const { quality } = await engine.load(inspection.mapping);
    const won = data.filter((r) => r.status === 'Closed Won');
    expect(quality.rejected_by_reason[REJECT_REASONS.paymentNotCompleted]).toBe(data.length - won.length);
    expect(quality.status).toEqual({ column: 'Stage', known: true, won_only: true });
    expect(await spendOf()).toBeCloseTo(won.reduce((s, r) => s + r.amount, 0), 6);
    expect(quality.warnings.some((w) => /deals not won/.test(w))).toBe(true);
  });

  it('payments not made yet (pending, open, on hold, awaiting payment) are left out like failed ones; paid and processing count', async () => {
    const data = rows(2, ['paid', 'Processing', 'pending', 'Open', 'On Hold', 'Awaiting Payment', 'failed']);
    const file = write('payments.csv', 'customer_id,date,status,amount', data.map((r) => `${r.customer},${r.day},${r.status},${r.amount.toFixed(2)}`));
    const inspection = await engine.inspect(nodeSourceFile(file));
    const { quality } = await engine.load(inspection.mapping);
    const counted = data.filter((r) => r.status === 'paid' || r.status === 'Processing');
    expect(quality.rejected_by_reason[REJECT_REASONS.paymentNotCompleted]).toBe(data.length - counted.length);
    expect(quality.status).toEqual({ column: 'status', known: true, won_only: false });
    expect(await spendOf()).toBeCloseTo(counted.reduce((s, r) => s + r.amount, 0), 6);
  });

  it("a sales order's quotation states (Odoo: draft, sent, cancel) are not sales; sale and done are", async () => {
    const data = rows(6, ['draft', 'sent', 'sale', 'done', 'cancel']);
    const file = write('sale_orders.csv', 'Customer,Order Date,Total,Status', data.map((r) => `${r.customer},${r.day},${r.amount.toFixed(2)},${r.status}`));
    const { quality } = await engine.load((await engine.inspect(nodeSourceFile(file))).mapping);
    const counted = data.filter((r) => r.status === 'sale' || r.status === 'done');
    expect(quality.rejected_by_reason[REJECT_REASONS.paymentNotCompleted]).toBe(data.length - counted.length);
    expect(await spendOf()).toBeCloseTo(counted.reduce((s, r) => s + r.amount, 0), 6);
  });

  it('an issued invoice awaiting payment is a sale (Zoho: Sent, Overdue; Chargebee: Payment Due); a draft, a void one, one written off are not', async () => {
    const data = rows(7, ['Paid', 'Sent', 'Overdue', 'Payment Due', 'Draft', 'Void', 'Not Paid']);
    const file = write('invoices.csv', 'Customer ID,Invoice Date,Total,Invoice Status', data.map((r) => `${r.customer},${r.day},${r.amount.toFixed(2)},${r.status}`));
    const inspection = await engine.inspect(nodeSourceFile(file));
    expect(inspection.mapping.status).toBe('Invoice Status');
    const { quality } = await engine.load(inspection.mapping);
    const counted = data.filter((r) => ['Paid', 'Sent', 'Overdue', 'Payment Due'].includes(r.status));
    expect(quality.rejected_by_reason[REJECT_REASONS.paymentNotCompleted]).toBe(data.length - counted.length);
    expect(await spendOf()).toBeCloseTo(counted.reduce((s, r) => s + r.amount, 0), 6);
  });

  it('in a list of invoices (a due date beside them), one open or awaiting payment is a sale (Xero, MYOB, Maxio, Lexoffice); awaiting approval, a draft, a void one are not', async () => {
    const data = rows(8, ['Paid', 'Awaiting Payment', 'Open', 'Unpaid', 'offen', 'Draft', 'Awaiting Approval', 'Voided']);
    const due = (day: string) => new Date(Date.parse(day) + 30 * 86_400_000).toISOString().slice(0, 10);
    const file = write('xero_invoices.csv', 'ContactName,InvoiceNumber,InvoiceDate,DueDate,Total,Status', data.map((r, i) => `${r.customer},INV-${1000 + i},${r.day},${due(r.day)},${r.amount.toFixed(2)},${r.status}`));
    const { quality } = await engine.load((await engine.inspect(nodeSourceFile(file))).mapping);
    const counted = data.filter((r) => ['Paid', 'Awaiting Payment', 'Open', 'Unpaid', 'offen'].includes(r.status));
    expect(quality.rejected_by_reason[REJECT_REASONS.paymentNotCompleted]).toBe(data.length - counted.length);
    expect(await spendOf()).toBeCloseTo(counted.reduce((s, r) => s + r.amount, 0), 6);
  });

  it('an open invoice charged automatically (Stripe: Billing charge_automatically) is a charge not gone through; one sent for payment (send_invoice) is a sale', async () => {
    const data = rows(9, ['paid', 'open', 'void']);
    const billing = (i: number) => (i % 3 === 0 ? 'send_invoice' : 'charge_automatically');
    const file = write('stripe_invoices.csv', 'id,Amount Due,Billing,Customer,Date (UTC),Status,Total', data.map((r, i) => `in_${i},${r.amount.toFixed(2)},${billing(i)},${r.customer},${r.day} 10:00,${r.status},${r.amount.toFixed(2)}`));
    const { quality } = await engine.load((await engine.inspect(nodeSourceFile(file))).mapping);
    const counted = data.filter((r, i) => r.status === 'paid' || (r.status === 'open' && billing(i) === 'send_invoice'));
    expect(quality.rejected_by_reason[REJECT_REASONS.paymentNotCompleted]).toBe(data.length - counted.length);
    expect(await spendOf()).toBeCloseTo(counted.reduce((s, r) => s + r.amount, 0), 6);
  });

  it('statuses in French, Spanish, Dutch and German, WooCommerce\'s wc- prefix and a layaway: drafts, cancelled, refused, pending and layaways are left out', async () => {
    const words = ['Payée', 'Brouillon', 'Annulée', 'Pagado', 'Borrador', 'Anulado', 'Vencido', 'Verwerkt', 'Concept', 'Betaald', 'Abgelehnt', 'Ausstehend', 'wc-completed', 'wc-on-hold', 'wc-failed', 'Layaway'];
    const data = rows(10, words);
    const file = write('statuses_i18n.csv', 'customer_id,date,status,amount', data.map((r) => `${r.customer},${r.day},${r.status},${r.amount.toFixed(2)}`));
    const { quality } = await engine.load((await engine.inspect(nodeSourceFile(file))).mapping);
    const counted = data.filter((r) => ['Payée', 'Pagado', 'Vencido', 'Verwerkt', 'Betaald', 'wc-completed'].includes(r.status));
    expect(quality.rejected_by_reason[REJECT_REASONS.paymentNotCompleted]).toBe(data.length - counted.length);
    expect(await spendOf()).toBeCloseTo(counted.reduce((s, r) => s + r.amount, 0), 6);
  });

  it('a list of invoices by its Spanish and Dutch names (Holded\'s Pendiente amount, Exact\'s Vervaldatum): pendiente and open invoices are sales', async () => {
    for (const [name, header, pending] of [
      ['holded.csv', 'Fecha,Num,Cliente,Total,Cobrado,Pendiente,Estado', 'Pendiente'],
      ['exact.csv', 'Factuurdatum,Factuurnummer,Debiteur,Bedrag incl. btw,Vervaldatum,Status', 'Open'],
    ] as const) {
      const data = rows(11, ['Pagado', pending, 'Borrador', 'Anulado']);
      const line = (r: Row, i: number) => (name === 'holded.csv' ? `${r.day},F${i},${r.customer},${r.amount.toFixed(2)},0.00,0.00,${r.status}` : `${r.day},${23000000 + i},${r.customer},${r.amount.toFixed(2)},${r.day},${r.status}`);
      const file = write(name, header, data.map(line));
      const { quality } = await engine.load((await engine.inspect(nodeSourceFile(file))).mapping);
      const counted = data.filter((r) => r.status === 'Pagado' || r.status === pending);
      expect(quality.rejected_by_reason[REJECT_REASONS.paymentNotCompleted], name).toBe(data.length - counted.length);
      expect(await spendOf(), name).toBeCloseTo(counted.reduce((s, r) => s + r.amount, 0), 6);
    }
  });

  it('a status column none of whose values is known counts every row, and says so', async () => {
    const data = rows(3, ['Blue', 'Green', 'Amber']);
    const file = write('colours.csv', 'customer_id,date,label,amount', data.map((r) => `${r.customer},${r.day},${r.status},${r.amount.toFixed(2)}`));
    const inspection = await engine.inspect(nodeSourceFile(file));
    expect(inspection.mapping.status ?? null).toBeNull();
    const { quality } = await engine.load({ ...inspection.mapping, status: 'label' });
    expect(quality.rows_kept).toBe(data.length);
    expect(quality.status).toEqual({ column: 'label', known: false, won_only: false });
    expect(quality.warnings.some((w) => /No value in "label" is a status/.test(w))).toBe(true);
  });
});

describe('a customer column that identifies rows', () => {
  it('a payment id as the only id: every row its own customer, and the report says the column looks like a row id', async () => {
    const data = rows(4, ['paid']);
    const file = write('balance.csv', 'id,Created,Amount', data.map((r) => `${r.id},${r.day},${r.amount.toFixed(2)}`));
    const inspection = await engine.inspect(nodeSourceFile(file));
    expect(inspection.mapping.customer).toBe('id');
    const { quality } = await engine.load(inspection.mapping);
    expect(quality.customers).toBe(data.length);
    expect(quality.one_row_per_customer).toEqual({ column: 'id' });
    expect(quality.warnings.some((w) => /Almost every row has a customer id of its own in "id"/.test(w))).toBe(true);
  });

  it('a real customer column with repeat buyers gets no such note', async () => {
    const data = rows(5, ['paid']);
    const file = write('orders.csv', 'customer_id,date,amount', data.map((r) => `${r.customer},${r.day},${r.amount.toFixed(2)}`));
    const { quality } = await engine.load((await engine.inspect(nodeSourceFile(file))).mapping);
    expect(quality.one_row_per_customer).toBeUndefined();
  });
});
