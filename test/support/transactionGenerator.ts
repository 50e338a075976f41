/**
 * Deterministic generator of transaction files full of edge cases, for checking the data engine
 * against the plain-TypeScript reference (test/support/featureReference.ts).
 *
 * A data set is a list of logical rows (customer, day, amount in cents, optional order id) plus the
 * period it was designed around: hand-written edge-case customers placed relative to the cutoff
 * (windows, boundaries, returns, same-day purchases, horizon-only customers, …) and random
 * BTYD-like customers (birth, Poisson purchases, geometric dropout, lognormal spend, returns).
 */
import { mkdtempSync, writeFileSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '../../src/core/random';

const DAY_MS = 86_400_000;

/** ISO date (YYYY-MM-DD) → days since 1970-01-01 (UTC). */
export function toDay(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

/** Days since 1970-01-01 → ISO date. */
export function fromDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export interface GeneratedRow {
  customerId: string;
  /** Days since 1970-01-01. */
  day: number;
  /** Integer cents, so the file holds the exact decimal the reference uses. */
  cents: number;
  /** Only when the data set has an order column. */
  orderId: string | null;
}

export interface GeneratedDataset {
  rows: GeneratedRow[];
  withOrders: boolean;
  cutoff: string;
  horizonEnd: string;
  /** Ids of the hand-written edge-case customers, by the case they cover. */
  edgeCases: Record<string, string>;
}

export interface GeneratorOptions {
  seed: number;
  /** Random BTYD-like customers on top of the edge cases. */
  randomCustomers: number;
  withOrders: boolean;
  cutoff: string;
  horizonEnd: string;
  /** First day random customers can be born. */
  start: string;
}

export const DEFAULT_GENERATOR: Omit<GeneratorOptions, 'withOrders'> = {
  seed: 20240301,
  randomCustomers: 320,
  // 2024 is a leap year: cutoff − 1 is Feb 29, the 30/90/180-day windows cross months and a year.
  cutoff: '2024-03-01',
  horizonEnd: '2024-08-31',
  start: '2022-01-01',
};

class Builder {
  readonly rows: GeneratedRow[] = [];
  private nextOrder = 100_000;
  private readonly keys = new Set<string>();

  constructor(readonly withOrders: boolean) {}

  newOrderId(): string {
    return String(this.nextOrder++);
  }

  cancelId(): string {
    return `C${this.nextOrder++}`;
  }

  /**
   * Adds one line. With an order column the engine removes exact duplicate lines by default, so
   * there a colliding line is nudged by a cent; without one, identical lines are real (kept).
   */
  add(customerId: string, day: number, cents: number, orderId: string | null = null): void {
    const order = this.withOrders ? (orderId ?? this.newOrderId()) : null;
    let c = cents;
    if (this.withOrders) {
      while (this.keys.has(`${customerId}|${day}|${c}|${order}`)) c += c < 0 ? -1 : 1;
      this.keys.add(`${customerId}|${day}|${c}|${order}`);
    }
    this.rows.push({ customerId, day, cents: c, orderId: order });
  }

  /** A return line: a negative amount, or (with orders, when asked) a C-invoice written positive. */
  addReturn(customerId: string, day: number, cents: number, asCancelInvoice: boolean): void {
    const magnitude = Math.abs(cents);
    if (this.withOrders && asCancelInvoice) this.add(customerId, day, magnitude, this.cancelId());
    else this.add(customerId, day, -magnitude);
  }
}

function edgeCases(b: Builder, cutoff: number, horizonEnd: number): Record<string, string> {
  const cases: Record<string, string> = {};
  const c = (name: string) => {
    const id = `edge_${String(Object.keys(cases).length + 1).padStart(2, '0')}_${name}`;
    cases[name] = id;
    return id;
  };
  const o = b.withOrders;

  // One purchase, long before the cutoff / exactly at the cutoff.
  let id = c('single_old');
  b.add(id, cutoff - 400, 4_999);
  id = c('single_at_cutoff');
  b.add(id, cutoff, 1_250);

  // Several purchases on one day (one order with several lines, plus a second order), then another day.
  id = c('same_day_lines');
  {
    const order = b.newOrderId();
    b.add(id, cutoff - 50, 1_000, order);
    b.add(id, cutoff - 50, 2_500, order);
    b.add(id, cutoff - 50, 399);
    b.add(id, cutoff - 10, 777);
  }
  // Identical lines on one day: without an order column both are real orders (kept, counted twice).
  id = c('identical_lines');
  b.add(id, cutoff - 20, 1_999);
  b.add(id, cutoff - 20, 1_999);
  b.add(id, cutoff - 5, 500);

  // Everything exactly at the cutoff (several lines) → recency 0, tenure 0, all windows.
  id = c('all_at_cutoff');
  b.add(id, cutoff, 100);
  b.add(id, cutoff, 250);
  b.add(id, cutoff, 3);

  // Window boundaries: day > cutoff − 30 counts, day = cutoff − 30 does not.
  id = c('boundary_30');
  b.add(id, cutoff - 31, 1_100);
  b.add(id, cutoff - 30, 1_200);
  b.add(id, cutoff - 29, 1_300);
  id = c('boundary_30_only');
  b.add(id, cutoff - 30, 900);
  b.add(id, cutoff - 60, 800);
  id = c('boundary_29_only');
  b.add(id, cutoff - 29, 900);
  b.add(id, cutoff - 60, 800);
  id = c('boundary_90');
  b.add(id, cutoff - 91, 2_100);
  b.add(id, cutoff - 90, 2_200);
  b.add(id, cutoff - 89, 2_300);
  id = c('boundary_90_only');
  b.add(id, cutoff - 90, 5_000);
  b.add(id, cutoff - 200, 100);
  id = c('boundary_180');
  b.add(id, cutoff - 181, 3_100);
  b.add(id, cutoff - 180, 3_200);
  b.add(id, cutoff - 179, 3_300);
  b.add(id, cutoff - 90, 3_400);
  b.add(id, cutoff - 89, 3_500);
  id = c('boundary_180_only');
  b.add(id, cutoff - 180, 7_000);
  b.add(id, cutoff - 400, 10);
  // A return exactly on the window edges (a return-only day: affects spend windows, not orders).
  id = c('return_on_boundaries');
  b.add(id, cutoff - 300, 10_000);
  b.addReturn(id, cutoff - 90, 1_000, false);
  b.addReturn(id, cutoff - 180, 2_000, o);
  b.addReturn(id, cutoff - 89, 400, false);
  b.addReturn(id, cutoff - 179, 300, o);

  // Only in the horizon: not a feature row, counted as after the cutoff.
  id = c('horizon_only');
  b.add(id, cutoff + 1, 2_000);
  b.add(id, cutoff + 40, 3_000);
  id = c('horizon_only_single');
  b.add(id, horizonEnd, 500);
  // First purchase after the horizon end: still "after the cutoff".
  id = c('after_horizon_only');
  b.add(id, horizonEnd + 3, 1_500);
  // Return-only day before the cutoff, first purchase after: excluded, counted after the cutoff.
  id = c('return_then_horizon_purchase');
  b.addReturn(id, cutoff - 10, 800, o);
  b.add(id, cutoff + 10, 1_800);
  // Only returns, ever: neither a feature row nor an after-cutoff customer.
  id = c('only_returns');
  b.addReturn(id, cutoff - 100, 1_000, false);
  b.addReturn(id, cutoff + 10, 500, o);

  // Returns netted on a purchase day.
  id = c('return_same_day');
  b.add(id, cutoff - 70, 5_000);
  b.addReturn(id, cutoff - 70, 1_500, false);
  b.add(id, cutoff - 15, 2_000);
  // A return larger than the purchases of its day: a purchase day with negative spend.
  id = c('return_exceeds_day');
  b.add(id, cutoff - 40, 1_000);
  b.addReturn(id, cutoff - 40, 4_000, o);
  b.add(id, cutoff - 100, 3_000);
  // Return-only day between purchases and before the first purchase.
  id = c('return_only_days');
  b.addReturn(id, cutoff - 250, 700, o);
  b.add(id, cutoff - 200, 6_000);
  b.addReturn(id, cutoff - 60, 2_500, false);
  b.add(id, cutoff - 20, 1_000);
  b.addReturn(id, cutoff - 1, 100, o);
  // C-invoices: written positive (made negative), written negative; "CX…"/"XC…" are not returns.
  id = c('cancel_invoices');
  b.add(id, cutoff - 120, 9_000, o ? 'CX123' : null);
  b.add(id, cutoff - 80, 4_000, o ? 'XC77' : null);
  b.add(id, cutoff - 80, 4_100, o ? 'C' : null);
  b.addReturn(id, cutoff - 80, 3_000, o);
  b.add(id, cutoff - 30, -2_500, o ? 'C9001' : null);
  b.add(id, cutoff - 30, 1, o ? 'C9002' : null);
  b.add(id, cutoff - 2, 100);
  // Same order id on two days and a negative line inside a normal order.
  if (o) {
    id = c('order_spans_days');
    b.add(id, cutoff - 8, 1_000, 'ORD42');
    b.add(id, cutoff - 7, 1_100, 'ORD42');
    b.add(id, cutoff - 7, -300, 'ORD42');
    b.add(id, cutoff - 6, -200, 'ORD43');
  }

  // Horizon: returns larger than purchases → holdout spend clamps to 0, orders still count.
  id = c('horizon_returns_exceed');
  b.add(id, cutoff - 30, 2_000);
  b.add(id, cutoff + 5, 1_000);
  b.addReturn(id, cutoff + 5, 5_000, o);
  b.add(id, cutoff + 60, 500);
  id = c('horizon_return_only');
  b.add(id, cutoff - 3, 2_000);
  b.addReturn(id, cutoff + 2, 2_000, o);
  id = c('horizon_edges');
  b.add(id, cutoff - 45, 1_000);
  b.add(id, cutoff + 1, 111);
  b.add(id, horizonEnd, 222);
  b.add(id, horizonEnd + 1, 99_999);
  b.add(id, horizonEnd + 30, 12_345);

  // Zero amounts: a zero line is a purchase (not a return).
  id = c('zero_only');
  b.add(id, cutoff - 12, 0);
  id = c('zero_and_return_same_day');
  b.add(id, cutoff - 33, 0);
  b.addReturn(id, cutoff - 33, 500, o);
  b.add(id, cutoff - 300, 0);

  // Spans across months and years (and a leap day).
  id = c('month_year_span');
  for (const iso of ['2022-12-31', '2023-01-01', '2023-01-31', '2023-02-01', '2023-02-28', '2023-03-01', '2024-02-29', '2024-03-01']) {
    b.add(id, toDay(iso), 1_000 + toDay(iso) % 97);
  }
  // Two purchases (r = 2 exactly), three (r = 3 exactly), consecutive days (gap 1).
  id = c('two_purchases');
  b.add(id, cutoff - 77, 3_333);
  b.add(id, cutoff - 7, 4_444);
  id = c('three_purchases');
  b.add(id, cutoff - 300, 100);
  b.add(id, cutoff - 200, 200);
  b.add(id, cutoff - 100, 300);
  id = c('consecutive_days');
  for (let k = 0; k < 5; k++) b.add(id, cutoff - 10 + k, 150 + k);
  // Daily for 120 days up to the cutoff; large and tiny amounts.
  id = c('daily_buyer');
  for (let k = 0; k < 120; k++) b.add(id, cutoff - k, k % 7 === 0 ? 100_000_000 : 1);
  id = c('equal_spends');
  for (const k of [10, 40, 70, 100]) b.add(id, cutoff - k, 2_500);
  // A very old customer (years of tenure) who came back right before the cutoff.
  id = c('old_returner');
  b.add(id, toDay('2021-06-15'), 12_000);
  b.add(id, cutoff - 1, 13_000);
  return cases;
}

function randomCustomers(b: Builder, rng: Rng, n: number, start: number, cutoff: number, horizonEnd: number): void {
  const end = horizonEnd + 20;
  const o = b.withOrders;
  const amount = (mu: number) => Math.max(1, Math.round(Math.exp(rng.normal(mu, 0.9)) * 100));
  for (let i = 0; i < n; i++) {
    const id = `cust_${String(i).padStart(4, '0')}`;
    const birth = start + rng.int(end - start);
    const rate = Math.exp(rng.normal(Math.log(1 / 35), 0.9)); // purchases per day
    const dropout = 0.02 + 0.2 * rng.uniform();
    const mu = rng.normal(3.3, 0.5);
    let t = birth;
    let purchases = 0;
    while (t <= end && purchases < 60) {
      purchases++;
      const orders = rng.uniform() < 0.12 ? 2 : 1;
      for (let k = 0; k < orders; k++) {
        const order = b.newOrderId();
        const lines = 1 + (rng.uniform() < 0.3 ? rng.int(3) : 0);
        for (let l = 0; l < lines; l++) b.add(id, t, rng.uniform() < 0.015 ? 0 : amount(mu), order);
      }
      const u = rng.uniform();
      if (u < 0.06) {
        // A same-day return, sometimes larger than the day's purchases.
        b.addReturn(id, t, rng.uniform() < 0.3 ? amount(mu + 1) : Math.round(amount(mu) / 3), rng.uniform() < 0.5);
      } else if (u < 0.1) {
        // A return-only day a few days later (may fall past the cutoff or the horizon end).
        b.addReturn(id, t + 1 + rng.int(20), amount(mu - 0.5), rng.uniform() < 0.5);
      }
      if (rng.uniform() < dropout) break;
      // Floor of an exponential wait: 0 days means another purchase the same day.
      t += Math.floor(-Math.log(1 - rng.uniform()) / rate);
    }
  }
  // Some customers land exactly on the cutoff / window edges by chance; force a few more.
  for (const k of [0, 29, 30, 89, 90, 179, 180]) b.add(`cust_${String(k).padStart(4, '0')}`, cutoff - k, 4_321 + k);
}

export function generateTransactions(options: GeneratorOptions): GeneratedDataset {
  const cutoff = toDay(options.cutoff);
  const horizonEnd = toDay(options.horizonEnd);
  const b = new Builder(options.withOrders);
  const rng = new Rng(options.seed).child(options.withOrders ? 'orders' : 'no-orders');
  const cases = edgeCases(b, cutoff, horizonEnd);
  randomCustomers(b, rng, options.randomCustomers, toDay(options.start), cutoff, horizonEnd);
  // File order is irrelevant to every definition: shuffle so nothing relies on it.
  const rows = rng.shuffle([...b.rows]);
  return { rows, withOrders: options.withOrders, cutoff: options.cutoff, horizonEnd: options.horizonEnd, edgeCases: cases };
}

export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const a = Math.abs(cents);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

export interface CsvOptions {
  /**
   * Write timestamps instead of dates: a time of day on every row (23:59:59 on the cutoff day,
   * 00:00:00 the day after), some with a UTC offset or a "T". The calendar day as written counts.
   */
  timestamps?: boolean;
}

function dateText(data: GeneratedDataset, row: GeneratedRow, index: number, options: CsvOptions): string {
  const day = fromDay(row.day);
  if (!options.timestamps) return day;
  const cutoff = toDay(data.cutoff);
  let seconds = (index * 7919 + 3601) % 86_400;
  if (row.day === cutoff) seconds = 86_399;
  if (row.day === cutoff + 1) seconds = 0;
  const hh = String(Math.floor(seconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor(seconds / 60) % 60).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  const zone = ['', '', '', '+02:00', '-05:00', 'Z'][index % 6];
  return `${day}${index % 4 === 0 ? 'T' : ' '}${hh}:${mm}:${ss}${zone}`;
}

export function toCsv(data: GeneratedDataset, options: CsvOptions = {}): string {
  const header = data.withOrders ? 'customer_id,date,amount,order_id' : 'customer_id,date,amount';
  const lines = data.rows.map((r, i) => {
    const base = `${r.customerId},${dateText(data, r, i, options)},${formatCents(r.cents)}`;
    return data.withOrders ? `${base},${r.orderId ?? ''}` : base;
  });
  return `${header}\n${lines.join('\n')}\n`;
}

export interface WrittenFile {
  fileName: string;
  path: string;
  head: Uint8Array;
  size: number;
}

/** Writes the data set as CSV to a fresh temp dir; returns what `DataEngine.inspect` takes. */
export function writeCsv(data: GeneratedDataset, options: CsvOptions & { name?: string } = {}): WrittenFile {
  const name = options.name ?? `transactions${data.withOrders ? '_orders' : ''}${options.timestamps ? '_timestamps' : ''}.csv`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clv-reference-'));
  const file = path.join(dir, name);
  writeFileSync(file, toCsv(data, options));
  const size = statSync(file).size;
  const head = new Uint8Array(Math.min(size, 4096));
  const fd = openSync(file, 'r');
  readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  return { fileName: name, path: file, head, size };
}
