/**
 * The loading path decides from the whole file and never builds a silently wrong table:
 * date order settled by values beyond the sample, the 1% rejection guard, a lone price column as
 * the amount, integral ids written as floats, words that mean "no id", implausible dates, and the
 * purchase rule (a customer-day is a purchase when it nets above zero, or to zero without a return).
 * Expected values are computed here from the generated rows, never read from the engine.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDb } from '../../src/core/db';
import { DataEngine } from '../../src/core/engine';
import { ClvError } from '../../src/core/errors';
import type { RejectionDetails } from '../../src/core/clean/rejectionGuard';
import { nodeSourceFile } from '../../src/node/sourceFile';
import { openWasmDb } from '../../src/node/wasmDb';
import { Rng } from '../../src/core/random';

let db: SqlDb;
let dir: string;

beforeAll(async () => {
  db = await openWasmDb();
  dir = mkdtempSync(path.join(tmpdir(), 'clv-loading-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function caught(p: Promise<unknown>): Promise<ClvError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof ClvError) return error;
    throw error;
  }
  throw new Error('expected a ClvError');
}

interface Tx {
  customer: string;
  /** UTC day as [y, m, d]. */
  day: [number, number, number];
  amount: number;
}

/** An invoice log whose first `ambiguousRows` rows all have day ≤ 12 (like early December). */
function invoiceLog(seed: number, rows: number, ambiguousRows: number): Tx[] {
  const rng = new Rng(seed);
  const out: Tx[] = [];
  for (let i = 0; i < rows; i++) {
    const early = i < ambiguousRows;
    const month = early ? 12 : 1 + Math.floor(rng.uniform() * 11);
    const day = early ? 1 + Math.floor(rng.uniform() * 9) : 1 + Math.floor(rng.uniform() * 28);
    const year = early ? 2010 : 2011;
    out.push({ customer: String(12346 + Math.floor(rng.uniform() * 300)), day: [year, month, day], amount: Math.round(rng.uniform() * 5000) / 100 + 1 });
  }
  return out;
}

const usDate = (t: Tx) => `${t.day[1]}/${t.day[2]}/${t.day[0]} 8:26`;

describe('date order decided from the whole file', () => {
  const log = invoiceLog(7, 6000, 4000);
  const file = () => write('invoices.csv', ['InvoiceDate,CustomerID,Total', ...log.map((t) => `${usDate(t)},${t.customer},${t.amount.toFixed(2)}`)].join('\n'));

  it('a US file whose sampled rows are all ambiguous is read month-first, with the counts', async () => {
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(file()));
    expect(inspection.mapping.dateFormat).toBe('mdy');
    expect(inspection.mapping.dateFormatAmbiguous).toBe(false);
    const decision = inspection.mapping.decisions?.find((d) => d.setting === 'dateFormat');
    const monthFirstOnly = log.filter((t) => t.day[2] > 12).length;
    expect(decision?.evidence).toEqual({ dmy: 0, mdy: monthFirstOnly });
    expect(decision?.undecided).toBe(log.length - monthFirstOnly);
    const loaded = await engine.load(inspection.mapping);
    expect(loaded.quality.rows_rejected).toBe(0);
    const distinctDays = new Set(log.map((t) => t.day.join('-'))).size;
    const [row] = await db.query('SELECT count(DISTINCT day) AS n, CAST(min(day) AS VARCHAR) AS first FROM transactions');
    expect(Number(row.n)).toBe(distinctDays);
    expect(row.first).toBe('2010-12-01');
  });

  it('the wrong order is refused: count, examples and the reading that parses them', async () => {
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(file()));
    const error = await caught(engine.load({ ...inspection.mapping, dateFormat: 'dmy' }));
    expect(error.code).toBe('TOO_MANY_REJECTS');
    const details = error.details as unknown as RejectionDetails;
    const unreadable = log.filter((t) => t.day[2] > 12).length;
    expect(details.rows_read).toBe(log.length);
    expect(details.groups).toHaveLength(1);
    expect(details.groups[0].column).toBe('InvoiceDate');
    expect(details.groups[0].count).toBe(unreadable);
    expect(details.groups[0].fixes[0]).toEqual({ dateFormat: 'mdy', parses: unreadable });
    const firstBad = log.findIndex((t) => t.day[2] > 12);
    expect(details.groups[0].examples[0]).toEqual({ line: firstBad + 1, value: usDate(log[firstBad]) });
    expect(error.message).toContain(`${unreadable.toLocaleString('en-US')} of ${log.length.toLocaleString('en-US')} rows`);
    expect(error.message).toContain('month/day/year');
    // Nothing was built: the engine has no loaded data.
    expect(engine.state.loaded).toBeNull();
  });

  it('with the user’s say-so the rows are dropped and counted', async () => {
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(file()));
    const loaded = await engine.load({ ...inspection.mapping, dateFormat: 'dmy' }, { returns: 'net', duplicates: 'auto', allowRejects: true });
    expect(loaded.quality.rejected_by_reason['unparseable date']).toBe(log.filter((t) => t.day[2] > 12).length);
  });

  it('a file ambiguous to its last row is asked, with the counts', async () => {
    const ambiguous = invoiceLog(9, 500, 500);
    const engine = new DataEngine(db);
    const f = write('ambiguous.csv', ['date;customer;amount', ...ambiguous.map((t) => `${t.day[2]}.${t.day[1]}.${t.day[0]};${t.customer};${t.amount.toFixed(2)}`)].join('\n'));
    const inspection = await engine.inspect(nodeSourceFile(f));
    expect(inspection.mapping.dateFormatAmbiguous).toBe(true);
    expect(inspection.mapping.decisions?.[0]).toMatchObject({ chosen: null, evidence: { dmy: 0, mdy: 0 }, undecided: 500 });
    const error = await caught(engine.load(inspection.mapping));
    expect(error.code).toBe('AMBIGUOUS_DATES');
    expect(error.message).toContain('500');
    const loaded = await engine.load({ ...inspection.mapping, dateFormatAmbiguous: false, dateFormat: 'dmy' });
    expect(loaded.quality.rows_rejected).toBe(0);
  });

  it('a decimal comma that appears only after the sample is found', async () => {
    const lines = ['kunde;datum;betrag'];
    for (let i = 0; i < 3000; i++) lines.push(`k${i % 50};2024-0${1 + (i % 9)}-1${i % 10};${i < 2500 ? 10 + (i % 7) : `${10 + (i % 7)},5`}`);
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(write('comma.csv', lines.join('\n'))));
    expect(inspection.mapping.amount).toBe('betrag');
    expect(inspection.mapping.decimalSeparator).toBe(',');
    await engine.load(inspection.mapping);
    const expected = Array.from({ length: 3000 }, (_, i) => 10 + (i % 7) + (i < 2500 ? 0 : 0.5)).reduce((a, b) => a + b, 0);
    const [row] = await db.query('SELECT sum(amount) AS s FROM transactions');
    expect(Number(row.s)).toBeCloseTo(expected, 6);
  });
});

describe('the decimal separator decided from the whole file', () => {
  /** Whole amounts of 50 … 50,000 written with "." grouping thousands, as German or Indonesian exports write them. */
  function groupedAmounts(seed: number, rows: number): number[] {
    const rng = new Rng(seed);
    return Array.from({ length: rows }, () => (rng.uniform() < 0.5 ? 50 + rng.int(950) : 1000 + rng.int(49_000)));
  }
  const grouped = (a: number) => String(a).replace(/\B(?=(\d{3})+$)/g, '.');
  const file = (name: string, amounts: string[]) => write(name, ['Kunde;Datum;Betrag', ...amounts.map((a, i) => `k${i % 40};${1 + (i % 28)}.${1 + (i % 12)}.2023;${a}`)].join('\n'));

  it('whole amounts grouped by "." alone are asked, with the counts; each choice reads them its way', async () => {
    const amounts = groupedAmounts(3, 2000);
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(file('grouped.csv', amounts.map(grouped))));
    expect(inspection.mapping.decimalSeparatorAmbiguous).toBe(true);
    const withPoint = amounts.filter((a) => a >= 1000).length;
    expect(inspection.mapping.decisions?.find((d) => d.setting === 'decimalSeparator')).toMatchObject({ chosen: null, evidence: { ',': 0, '.': 0, 'grouped by "."': withPoint } });
    const error = await caught(engine.load(inspection.mapping));
    expect(error.code).toBe('AMBIGUOUS_DECIMAL');
    expect(error.message).toContain(withPoint.toLocaleString('en-US'));
    // Before, this file loaded at once with "." as the decimal point: 26.956 for 26,956.
    await engine.load({ ...inspection.mapping, decimalSeparatorAmbiguous: false, decimalSeparator: ',' });
    const [comma] = await db.query('SELECT sum(amount) AS s FROM transactions');
    expect(Number(comma.s)).toBeCloseTo(amounts.reduce((s, a) => s + a, 0), 6);
    await engine.load({ ...inspection.mapping, decimalSeparatorAmbiguous: false, decimalSeparator: '.' });
    const [point] = await db.query('SELECT sum(amount) AS s FROM transactions');
    expect(Number(point.s)).toBeCloseTo(amounts.reduce((s, a) => s + (a >= 1000 ? a / 1000 : a), 0), 6);
  });

  it('a value only one reading parses settles it: two groups, a leading zero, four digits before the point', async () => {
    const amounts = groupedAmounts(4, 2000).map(grouped);
    for (const [extra, want] of [['1.234.567', ','], ['0.125', '.'], ['1234.567', '.']] as const) {
      const engine = new DataEngine(db);
      const inspection = await engine.inspect(nodeSourceFile(file(`grouped_${want}_${extra}.csv`, [...amounts, extra])));
      expect([inspection.mapping.decimalSeparator, inspection.mapping.decimalSeparatorAmbiguous ?? false], extra).toEqual([want, false]);
    }
  });

  it('whole amounts grouped by "," read as thousands, as before', async () => {
    const amounts = groupedAmounts(5, 2000);
    const engine = new DataEngine(db);
    const f = write('grouped_comma.csv', ['customer,date,amount', ...amounts.map((a, i) => `c${i % 40},2023-01-${String(1 + (i % 28)).padStart(2, '0')},"${a.toLocaleString('en-US')}"`)].join('\n'));
    const inspection = await engine.inspect(nodeSourceFile(f));
    expect([inspection.mapping.decimalSeparator, inspection.mapping.decimalSeparatorAmbiguous ?? false]).toEqual(['.', false]);
    await engine.load(inspection.mapping);
    const [row] = await db.query('SELECT sum(amount) AS s FROM transactions');
    expect(Number(row.s)).toBeCloseTo(amounts.reduce((s, a) => s + a, 0), 6);
  });
});

describe('column roles and ids on real exports', () => {
  it('Id,Date,Price: the lone price column is the amount', async () => {
    const rng = new Rng(3);
    const rows = Array.from({ length: 400 }, () => [1 + Math.floor(rng.uniform() * 40), `2023-0${1 + Math.floor(rng.uniform() * 9)}-1${Math.floor(rng.uniform() * 9)}`, 5 + Math.floor(rng.uniform() * 100)] as const);
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(write('idp.csv', ['Id,Date,Price', ...rows.map((r) => r.join(','))].join('\n'))));
    expect(inspection.mapping).toMatchObject({ customer: 'Id', date: 'Date', amount: 'Price', unitPrice: null, quantity: null });
    const loaded = await engine.load(inspection.mapping);
    expect(loaded.quality.rows_rejected).toBe(0);
    const [row] = await db.query('SELECT sum(amount) AS s FROM transactions');
    expect(Number(row.s)).toBe(rows.reduce((s, r) => s + r[2], 0));
  });

  it('a price mapped as unit price without a quantity says what to do', async () => {
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(write('idp2.csv', 'Id,Date,Price\n1,2023-01-01,5\n2,2023-01-02,6\n')));
    const error = await caught(engine.load({ ...inspection.mapping, amount: null, unitPrice: 'Price' }));
    expect(error.message).toContain('"Price" looks like the amount, but it was mapped as unit price and there is no quantity column');
  });

  it('integral ids written as floats lose the ".0"; mixed ids stay as written', async () => {
    const engine = new DataEngine(db);
    const text = 'CustomerID,InvoiceDate,Total\n17850.0,2011-01-04,10\n17850.0,2011-02-04,5\n12346.0,2011-01-05,7\n,2011-01-06,3\n0042,2011-01-07,1\n';
    await engine.load((await engine.inspect(nodeSourceFile(write('floatids.csv', text)))).mapping);
    const ids = (await db.query('SELECT DISTINCT customer_id FROM transactions ORDER BY 1')).map((r) => r.customer_id);
    expect(ids).toEqual(['0042', '12346', '17850']);
    const mixed = new DataEngine(db);
    await mixed.load((await mixed.inspect(nodeSourceFile(write('mixedids.csv', `${text}A17,2011-01-08,2\n`)))).mapping);
    const kept = (await db.query('SELECT DISTINCT customer_id FROM transactions ORDER BY 1')).map((r) => r.customer_id);
    expect(kept).toEqual(['0042', '12346.0', '17850.0', 'A17']);
  });

  it('NULL, N/A, None, null, -, #N/A are missing ids, not customers', async () => {
    const words = ['NULL', 'N/A', 'None', 'null', '-', '#N/A'];
    const lines = ['customer,date,amount', 'c1,2024-01-01,10', 'c2,2024-01-02,20', ...words.map((w, i) => `${w},2024-01-0${3 + i},5`)];
    const engine = new DataEngine(db);
    const loaded = await engine.load((await engine.inspect(nodeSourceFile(write('nullids.csv', lines.join('\n'))))).mapping);
    expect(loaded.quality.rejected_by_reason).toEqual({ 'missing customer id': words.length });
    expect(loaded.quality.customers).toBe(2);
  });

  it('dates in year 0001 or 9999 are rejected with their own reason', async () => {
    const lines = ['customer,date,amount'];
    for (let i = 0; i < 300; i++) lines.push(`c${i % 30},2024-0${1 + (i % 9)}-1${i % 9},${1 + i}`);
    lines.push('c1,0001-01-01,5', 'c2,9999-12-31,5');
    const engine = new DataEngine(db);
    const loaded = await engine.load((await engine.inspect(nodeSourceFile(write('years.csv', lines.join('\n'))))).mapping);
    expect(loaded.quality.rejected_by_reason).toEqual({ 'date outside the plausible window': 2 });
    expect(loaded.quality.first_date).toBe('2024-01-10');
  });
});

describe('what a purchase is', () => {
  /**
   * Hand-made days, cutoff 2024-06-30 (days). Per customer the expected rfm and total spend follow
   * the rule by hand:
   * - a: 01-01 buys 50; 02-01 buys 30 and returns 40 the same day (nets −10: not a purchase);
   *      03-01 buys 20 → purchase days 01-01, 03-01: frequency 1, recency 60, monetary 20, spend 60.
   * - b: 01-10 buys 25; 01-20 buys 15 and returns 15 (nets 0 with a return: no purchase);
   *      02-10 a free order (0, no return: a purchase) → frequency 1, recency 31, monetary 0, spend 25.
   * - c: 01-05 return only (−10); 01-06 buys 30; 04-06 buys 12, and returns 5 on 04-20
   *      → purchase days 01-06, 04-06: frequency 1, recency 91, monetary 12, spend 27.
   * - d: its only day buys 8 and cancels 8 (C-invoice) → never a purchase: not in rfm.
   */
  const lines = [
    'customer,date,amount,invoice',
    'a,2024-01-01,50,1',
    'a,2024-02-01,30,2',
    'a,2024-02-01,-40,3',
    'a,2024-03-01,20,4',
    'b,2024-01-10,25,5',
    'b,2024-01-20,15,6',
    'b,2024-01-20,15,C6',
    'b,2024-02-10,0,7',
    'c,2024-01-05,-10,8',
    'c,2024-01-06,30,9',
    'c,2024-04-06,12,10',
    'c,2024-04-20,-5,11',
    'd,2024-01-15,8,12',
    'd,2024-01-15,8,C12',
  ];
  it('nets each day: no negative monetary value, no invented repeat purchase', async () => {
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(write('purchases.csv', lines.join('\n'))));
    expect(inspection.mapping.order).toBe('invoice');
    await engine.load(inspection.mapping);
    await engine.build({ period: { cutoff: '2024-06-30', horizonEnd: null }, unit: 'day' });
    const rfm = await db.query('SELECT customer_id, frequency, recency, "T", monetary_value FROM rfm ORDER BY customer_id');
    expect(rfm.map((r) => [r.customer_id, Number(r.frequency), Number(r.recency), Number(r.T), Number(r.monetary_value)])).toEqual([
      ['a', 1, 60, 181, 20],
      ['b', 1, 31, 172, 0],
      ['c', 1, 91, 176, 12],
    ]);
    const spend = await db.query('SELECT customer_id, total_spend FROM features ORDER BY customer_id');
    expect(spend.map((r) => [r.customer_id, Number(r.total_spend)])).toEqual([
      ['a', 60],
      ['b', 25],
      ['c', 27],
    ]);
  });
});

describe('a file without purchases', () => {
  it('all returns: the load says there is no purchase, not "choose a later cutoff"', async () => {
    const lines = ['customer,date,amount'];
    for (let i = 0; i < 200; i++) lines.push(`c${i % 20},2024-0${1 + (i % 9)}-1${i % 10},-${5 + (i % 7)}.00`);
    const engine = new DataEngine(db);
    const error = await caught(engine.load((await engine.inspect(nodeSourceFile(write('returns.csv', lines.join('\n'))))).mapping));
    expect(error.code).toBe('NO_VALID_ROWS');
    expect(error.message).toContain('Every amount in "amount" is negative (200 rows)');
    expect(error.message).not.toContain('later cutoff');
  });

  it('returns that net every day to nothing: the build says there is no purchase, not "choose a later cutoff"', async () => {
    // Each purchase returned the same day: nothing negative overall beyond what was bought, no purchase day left.
    const lines = ['customer,date,amount,kind'];
    for (let i = 0; i < 100; i++) {
      const day = `2024-0${1 + (i % 9)}-1${i % 10}`;
      lines.push(`c${i % 20},${day},${5 + (i % 7)}.00,sale`, `c${i % 20},${day},${5 + (i % 7)}.00,refund`);
    }
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(write('returned.csv', lines.join('\n'))));
    expect(inspection.mapping.kind).toBe('kind');
    const loaded = await engine.load(inspection.mapping);
    const error = await caught(engine.build({ period: loaded.period, unit: 'day' }));
    expect(error.code).toBe('NO_VALID_ROWS');
    expect(error.message).toContain('no purchase');
    expect(error.message).not.toContain('later cutoff');
  });
});

describe('epoch seconds vs milliseconds', () => {
  it('milliseconds read as seconds land outside the plausible window: refused, and milliseconds offered', async () => {
    const lines = ['customer,ts,amount'];
    const start = Date.UTC(2023, 0, 1);
    for (let i = 0; i < 400; i++) lines.push(`c${i % 25},${start + i * 86_400_000 + 3_600_000},${(3 + (i % 11)).toFixed(2)}`);
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(write('epochms.csv', lines.join('\n'))));
    expect(inspection.mapping.dateFormat).toBe('epoch_ms');
    const error = await caught(engine.load({ ...inspection.mapping, dateFormat: 'epoch_s' }));
    // Every row rejected: the code names the date column's problem, with the same review details.
    expect(error.code).toBe('NO_PARSEABLE_DATES');
    expect(error.message).toContain('milliseconds since 1970 parses 400 rows');
    const details = error.details as unknown as RejectionDetails;
    expect(details.groups.map((g) => g.count).reduce((a, b) => a + b, 0)).toBe(400);
    expect(details.groups.flatMap((g) => g.fixes)[0]).toEqual({ dateFormat: 'epoch_ms', parses: 400 });
    const loaded = await engine.load(inspection.mapping);
    expect([loaded.quality.first_date, loaded.quality.last_date]).toEqual(['2023-01-01', new Date(start + 399 * 86_400_000).toISOString().slice(0, 10)]);
  });
});

describe('the guard with an order column (de-duplication drops the staging copy)', () => {
  it('a wrong date order on an invoice file is refused with its review, not an engine error', async () => {
    const log = invoiceLog(11, 800, 0);
    const lines = ['InvoiceNo,InvoiceDate,CustomerID,Total', ...log.map((t, i) => `${536365 + i},${usDate(t)},${t.customer},${t.amount.toFixed(2)}`)];
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(write('invoices_orders.csv', lines.join('\n'))));
    expect(inspection.mapping.order).toBe('InvoiceNo');
    const error = await caught(engine.load({ ...inspection.mapping, dateFormat: 'dmy' }));
    expect(error.code).toBe('TOO_MANY_REJECTS');
    const unreadable = log.filter((t) => t.day[2] > 12).length;
    expect((error.details as unknown as RejectionDetails).groups[0]).toMatchObject({ count: unreadable, fixes: [{ dateFormat: 'mdy', parses: unreadable }] });
    // And the right reading loads.
    const loaded = await engine.load(inspection.mapping);
    expect(loaded.quality.rows_rejected).toBe(0);
  });
});

describe('rows without an amount (a column filled only on some rows)', () => {
  /** Etsy's Sold Orders: every order on a row of its own, "Adjusted Order Total" filled only where an order was partly refunded. */
  function soldOrders(): { text: string; orders: number; adjusted: number; lines: number } {
    const rows = ['Sale Date,Order ID,Buyer User ID,Order Total,Adjusted Order Total'];
    let adjusted = 0;
    const orders = 300;
    for (let i = 0; i < orders; i++) {
      const total = 10 + (i % 17);
      const refund = i % 8 === 0;
      if (refund) adjusted++;
      rows.push(`2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},${900_000 + i},buyer${i % 40},${total.toFixed(2)},${refund ? (total - 5).toFixed(2) : ''}`);
    }
    return { text: rows.join('\n') + '\n', orders, adjusted, lines: orders };
  }

  it('choosing it as the amount is refused above 10% of the rows, with count and examples; with the user’s say-so the rows go', async () => {
    const file = soldOrders();
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(write('etsy_sold_orders.csv', file.text)));
    expect(inspection.mapping.amount).toBe('Order Total');
    const mapping = { ...inspection.mapping, amount: 'Adjusted Order Total' };
    const error = await caught(engine.load(mapping));
    expect(error.code).toBe('TOO_MANY_REJECTS');
    const group = (error.details as unknown as RejectionDetails).groups.find((g) => g.reason === 'missing amount');
    expect(group).toMatchObject({ column: 'Adjusted Order Total', count: file.orders - file.adjusted, fixes: [] });
    expect(group!.examples[0]).toEqual({ line: 2, value: null });
    expect(error.message).toContain('no amount in "Adjusted Order Total"');
    const loaded = await engine.load(mapping, { returns: 'net', duplicates: 'auto', allowRejects: true });
    expect(loaded.quality.rows_kept).toBe(file.adjusted);
    // The column filled on every row loads with nothing left out.
    expect((await engine.load(inspection.mapping)).quality.rows_rejected).toBe(0);
  });

  it('item lines under their order (the total on the first line only) are no lost purchases: loaded, counted', async () => {
    const rows = ['Name,Email,Created at,Total,Lineitem name'];
    let orders = 0;
    for (let i = 0; i < 200; i++) {
      orders++;
      const day = `2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      rows.push(`#${1000 + i},b${i % 30}@example.com,${day},${(20 + (i % 9)).toFixed(2)},Item A`);
      for (let k = 0; k < 3; k++) rows.push(`#${1000 + i},b${i % 30}@example.com,${day},,Item ${k}`);
    }
    const engine = new DataEngine(db);
    const inspection = await engine.inspect(nodeSourceFile(write('shopify_lines.csv', rows.join('\n') + '\n')));
    const loaded = await engine.load({ ...inspection.mapping, order: 'Name' });
    expect(loaded.quality.rows_kept).toBe(orders);
    expect(loaded.quality.rejected_by_reason['missing amount']).toBe(3 * orders);
  });
});
