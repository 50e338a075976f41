import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDb } from '../../src/core/db';
import { customerSequences } from '../../src/core/tables/sequences';
import { openWasmDb } from '../../src/node/wasmDb';

let db: SqlDb & { close(): void };

/** [customer, day, spend, is_purchase] */
type DayRow = [string, string, number, boolean];

async function loadDays(rows: DayRow[]): Promise<void> {
  await db.exec('CREATE OR REPLACE TABLE customer_days (customer_id VARCHAR, day DATE, spend DOUBLE, is_purchase BOOLEAN, n_rows BIGINT)');
  for (const [c, day, spend, purchase] of rows) {
    await db.exec('INSERT INTO customer_days VALUES (?, CAST(? AS DATE), ?, ?, 1)', [c, day, spend, purchase]);
  }
}

/** Customer i's sequence as [spend, purchase days] pairs, oldest period first. */
function steps(seq: { periods: number; values: Float32Array }, i: number): [number, number][] {
  const out: [number, number][] = [];
  for (let t = 0; t < seq.periods; t++) {
    const base = (i * seq.periods + t) * 2;
    out.push([seq.values[base], seq.values[base + 1]]);
  }
  return out;
}

beforeAll(async () => {
  db = await openWasmDb();
});

afterAll(() => {
  db?.close();
});

describe('customerSequences, weekly', () => {
  // Cutoff Sunday 2024-03-31, 3 weeks: t=2 is (03-24, 03-31], t=1 (03-17, 03-24], t=0 (03-10, 03-17].
  const cutoff = '2024-03-31';
  const rows: DayRow[] = [
    // 'a1': first purchase 03-10 lies one day before the window, so it is not counted.
    ['a1', '2024-03-10', 100, true],
    ['a1', '2024-03-11', -3, false], // a return after the first purchase: counts in spend, not as a purchase day
    ['a1', '2024-03-24', 7, true], // the last day of t=1
    ['a1', '2024-03-25', 5, true], // the first day of t=2
    ['a1', '2024-03-31', 10, true], // the cutoff itself is in the last period
    ['a1', '2024-04-01', 50, true], // after the cutoff: ignored
    // 'B2': a return before the first purchase is left out (periods before the first purchase are 0).
    ['B2', '2024-03-12', -4, false],
    ['B2', '2024-03-18', 2, true],
    ['B2', '2024-03-20', 20, true],
    // '9' and '10': string order puts '10' before '9'; '10' has no activity in the window.
    ['9', '2024-03-17', 8, true], // exactly cutoff − 14: the last day of t=0
    ['10', '2024-01-05', 30, true],
    // Not customers at the cutoff: first purchase after it, or only returns.
    ['late', '2024-04-02', 40, true],
    ['ret', '2024-03-30', -9, false],
  ];

  it('lays out n × periods × 2 in the features order with the cutoff-anchored week boundaries', async () => {
    await loadDays(rows);
    const seq = await customerSequences(db, cutoff, { period: 'week', periods: 3 });
    const expectedOrder = (await db.query(
      `SELECT customer_id FROM customer_days WHERE is_purchase AND day <= CAST(? AS DATE) GROUP BY customer_id ORDER BY customer_id`,
      [cutoff],
    )).map((r) => String(r.customer_id));
    expect(seq.customerIds).toEqual(expectedOrder);
    expect(seq.customerIds).toEqual(['10', '9', 'B2', 'a1']);
    expect(seq.periods).toBe(3);
    expect(seq.channels).toBe(2);
    expect(seq.values).toBeInstanceOf(Float32Array);
    expect(seq.values.length).toBe(4 * 3 * 2);
    expect(steps(seq, 0)).toEqual([[0, 0], [0, 0], [0, 0]]); // '10'
    expect(steps(seq, 1)).toEqual([[8, 1], [0, 0], [0, 0]]); // '9'
    expect(steps(seq, 2)).toEqual([[0, 0], [22, 2], [0, 0]]); // 'B2'
    expect(steps(seq, 3)).toEqual([[-3, 0], [7, 1], [15, 2]]); // 'a1'
    // The raw buffer, to pin the row-major order itself.
    expect(Array.from(seq.values)).toEqual([
      0, 0, 0, 0, 0, 0,
      8, 1, 0, 0, 0, 0,
      0, 0, 22, 2, 0, 0,
      -3, 0, 7, 1, 15, 2,
    ]);
  });

  it('moves the window with the cutoff and reaches back further with more periods', async () => {
    await loadDays(rows);
    // Cutoff 03-24: t=3 is (03-17, 03-24], t=2 (03-10, 03-17], t=1 (03-03, 03-10], t=0 (02-25, 03-03].
    const seq = await customerSequences(db, '2024-03-24', { period: 'week', periods: 4 });
    expect(seq.customerIds).toEqual(['10', '9', 'B2', 'a1']);
    expect(steps(seq, 1)).toEqual([[0, 0], [0, 0], [8, 1], [0, 0]]);
    expect(steps(seq, 2)).toEqual([[0, 0], [0, 0], [0, 0], [22, 2]]);
    // a1: 03-10 is now the last day of t=1, the return on 03-11 the first day of t=2.
    expect(steps(seq, 3)).toEqual([[0, 0], [100, 1], [-3, 0], [7, 1]]);
  });
});

describe('customerSequences, monthly', () => {
  it('uses months counted back from the cutoff, with month-end clamping', async () => {
    await loadDays([
      ['m', '2023-12-31', 1, true], // before the window: t=0 is (12-31, 01-31]
      ['m', '2024-01-31', 2, true], // last day of t=0
      ['m', '2024-02-29', 4, true], // last day of t=1 (03-31 minus one month)
      ['m', '2024-03-01', 8, true], // first day of t=2
      ['m', '2024-03-31', 16, true],
    ]);
    const seq = await customerSequences(db, '2024-03-31', { period: 'month', periods: 3 });
    expect(seq.customerIds).toEqual(['m']);
    expect(steps(seq, 0)).toEqual([[2, 1], [4, 1], [24, 2]]);
  });

  it('anchors mid-month cutoffs at the cutoff day', async () => {
    await loadDays([
      ['m', '2023-12-15', 1, true], // just outside: t=0 is (12-15, 01-15]
      ['m', '2023-12-16', 2, true],
      ['m', '2024-01-15', 4, true],
      ['m', '2024-01-16', 8, true], // t=1 is (01-15, 02-15]
      ['m', '2024-02-15', 16, true],
      ['m', '2024-02-16', 32, true], // t=2 is (02-15, 03-15]
      ['m', '2024-03-15', 64, true],
      ['m', '2024-03-16', 128, true], // after the cutoff
      ['n', '2024-02-20', 5, true],
    ]);
    const seq = await customerSequences(db, '2024-03-15', { period: 'month', periods: 3 });
    expect(seq.customerIds).toEqual(['m', 'n']);
    expect(steps(seq, 0)).toEqual([[6, 2], [24, 2], [96, 2]]);
    expect(steps(seq, 1)).toEqual([[0, 0], [0, 0], [5, 1]]);
  });

  it('returns an empty tensor when nobody has purchased by the cutoff', async () => {
    await loadDays([['x', '2024-05-01', 3, true]]);
    const seq = await customerSequences(db, '2024-03-15', { period: 'month', periods: 6 });
    expect(seq.customerIds).toEqual([]);
    expect(seq.values.length).toBe(0);
  });

  it('rejects bad arguments with a readable error', async () => {
    await expect(customerSequences(db, '2024-13-40', { period: 'week', periods: 4 })).rejects.toThrow(/not a date/);
    await expect(customerSequences(db, '2024-03-15', { period: 'week', periods: 0 })).rejects.toThrow(/periods/);
    await expect(customerSequences(db, '2024-03-15', { period: 'day' as 'week', periods: 4 })).rejects.toThrow(/week/);
  });
});
