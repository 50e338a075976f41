/**
 * Tracking-chart data from the engine: a hand-made log goes through the real engine (DuckDB-WASM);
 * the per-period repeat transactions and the first-purchase days trackingCounts returns are checked
 * against counts made here from the same rows, and the model's expected repeat transactions against
 * Pareto/NBD's closed-form E[X(t)] summed over the customers.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDb } from '../../src/core/db';
import { DataEngine } from '../../src/core/engine';
import { trackingFromCounts } from '../../src/core/models/trackingExpectation';
import { trackingCounts, type TrackingCounts } from '../../src/core/tables/trackingCounts';
import { openWasmDb } from '../../src/node/wasmDb';

const CUTOFF = '2024-03-31';
const HORIZON_END = '2024-05-15';
const LOG: [string, string, number][] = [
  ['A', '2024-01-02', 10],
  ['A', '2024-01-02', 5], // same day: one purchase day
  ['A', '2024-01-20', 8],
  ['A', '2024-03-31', 3], // on the cutoff: calibration
  ['A', '2024-04-01', 4],
  ['A', '2024-05-12', 6], // 42nd day after the cutoff: last whole week of the horizon
  ['A', '2024-05-13', 6], // past the last whole week: left out
  ['B', '2024-02-10', 20],
  ['B', '2024-02-11', -5], // a return alone: not a purchase
  ['B', '2024-02-15', 7],
  ['B', '2024-04-10', 9],
  ['C', '2024-03-31', 12], // acquired on the cutoff
  ['C', '2024-04-07', 2],
  ['D', '2024-04-02', 30], // first seen after the cutoff: not in the cohort
  ['D', '2024-04-20', 30],
  ['E', '2023-12-30', 15], // the earliest customer
  ['E', '2024-06-01', 15], // after the horizon
  ['F', '2024-01-15', 9],
  ['F', '2024-01-16', 0], // a free order is a purchase
  ['F', '2024-03-01', 4],
  ['F', '2024-03-01', -4], // nets to zero because of a return: not a purchase
];

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** The same counts, made here from LOG: purchase days per customer, the cohort, periods anchored at the cutoff. */
function reference(periodDays: number) {
  const byDay = new Map<string, { net: number; returns: boolean }>();
  for (const [id, date, amount] of LOG) {
    const key = `${id}|${date}`;
    const entry = byDay.get(key) ?? { net: 0, returns: false };
    entry.net += amount;
    entry.returns ||= amount < 0;
    byDay.set(key, entry);
  }
  const purchases = new Map<string, number[]>();
  for (const [key, { net, returns }] of byDay) {
    if (!(net > 0 || (net === 0 && !returns))) continue;
    const [id, date] = key.split('|');
    purchases.set(id, [...(purchases.get(id) ?? []), day(date)].sort((a, b) => a - b));
  }
  const cutoff = day(CUTOFF);
  const cohort = [...purchases].filter(([, days]) => days[0] <= cutoff);
  const K = Math.max(1, Math.ceil((cutoff - Math.min(...cohort.map(([, d]) => d[0]))) / periodDays));
  const H = Math.floor((day(HORIZON_END) - cutoff) / periodDays);
  const origin = cutoff - K * periodDays;
  const repeat = new Array(K + H).fill(0);
  for (const [, days] of cohort) for (const d of days.slice(1)) if (d <= cutoff + H * periodDays) repeat[Math.ceil((d - origin) / periodDays) - 1]++;
  return { K, H, origin, repeat, firsts: cohort.map(([, d]) => d[0] - origin) };
}

describe('trackingCounts on a hand-made log', () => {
  let dir: string;
  let db: SqlDb & { close(): void };
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'clv-tracking-'));
    const file = path.join(dir, 'log.csv');
    writeFileSync(file, ['customer_id,date,amount', ...LOG.map((r) => r.join(','))].join('\n') + '\n');
    db = (await openWasmDb()) as SqlDb & { close(): void };
    const engine = new DataEngine(db);
    const head = new Uint8Array(readFileSync(file));
    const inspection = await engine.inspect({ fileName: 'log.csv', path: file, head, size: statSync(file).size });
    await engine.load(inspection.mapping);
    await engine.build({ period: { cutoff: CUTOFF, horizonEnd: HORIZON_END }, unit: 'day' });
  }, 60_000);
  afterAll(() => {
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const periodDays of [7, 1]) {
    it(`counts repeat transactions per ${periodDays === 7 ? 'week' : 'day'} and first purchases`, async () => {
      const counts = await trackingCounts(db, { cutoff: CUTOFF, horizonEnd: HORIZON_END, periodDays });
      const ref = reference(periodDays);
      expect(counts.calibrationPeriods).toBe(ref.K);
      expect(counts.horizonPeriods).toBe(ref.H);
      expect(day(counts.origin)).toBe(ref.origin);
      expect(Array.from(counts.repeatTransactions)).toEqual(ref.repeat);
      expect(counts.customers).toBe(5);
      const firsts = ref.firsts.sort((a, b) => a - b);
      const expanded = Array.from(counts.firstPurchaseDays).flatMap((d, j) => new Array(counts.customersAcquired[j]).fill(d));
      expect(expanded).toEqual(firsts);
      expect(counts.horizonDaysLeftOut).toBe(45 - ref.H * periodDays);
    });
  }

  it('refuses a cutoff before anyone bought, and a period that is not whole days', async () => {
    await expect(trackingCounts(db, { cutoff: '2023-06-30', horizonEnd: null, periodDays: 7 })).rejects.toMatchObject({ code: 'BAD_PERIOD' });
    await expect(trackingCounts(db, { cutoff: CUTOFF, horizonEnd: null, periodDays: 1.5 })).rejects.toThrow(/whole number of days/);
    const calibrationOnly = await trackingCounts(db, { cutoff: CUTOFF, horizonEnd: null, periodDays: 7 });
    expect(calibrationOnly.horizonPeriods).toBe(0);
    expect(Array.from(calibrationOnly.repeatTransactions)).toEqual(reference(7).repeat.slice(0, 14));
  });

  it('hand-checked weekly figures: 5 cohort customers, 6 whole horizon weeks, 3 days left out', async () => {
    const counts = await trackingCounts(db, { cutoff: CUTOFF, horizonEnd: HORIZON_END, periodDays: 7 });
    expect(counts).toMatchObject({ origin: '2023-12-24', calibrationPeriods: 14, horizonPeriods: 6, customers: 5, horizonDaysLeftOut: 3 });
    // Calibration repeats: A 01-20, 03-31; B 02-15; F 01-16. Horizon: A 04-01, 05-12; B 04-10; C 04-07.
    const total = (from: number, to: number) => Array.from(counts.repeatTransactions.subarray(from, to)).reduce((s, v) => s + v, 0);
    expect(total(0, 14)).toBe(4);
    expect(total(14, 20)).toBe(4);
  });

  it('expected repeat transactions: Σ over customers of Pareto/NBD E[X(t − sᵢ)], the same in days and weeks', async () => {
    const weeks = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
    const days = { ...weeks, alpha: weeks.alpha * 7, beta: weeks.beta * 7 };
    const expectedX = (t: number) => (t <= 0 ? 0 : ((weeks.r * weeks.beta) / (weeks.alpha * (weeks.s - 1))) * (1 - Math.pow(weeks.beta / (weeks.beta + t), weeks.s - 1)));
    const counts: TrackingCounts = await trackingCounts(db, { cutoff: CUTOFF, horizonEnd: HORIZON_END, periodDays: 7 });
    const inWeeks = trackingFromCounts('pnbd', weeks, counts, 7);
    const inDays = trackingFromCounts('pnbd', days, counts, 1);
    const ref = reference(7);
    expect(inWeeks.cutoff).toBe(14);
    expect(inDays.cutoff).toBe(98);
    for (let k = 0; k < ref.K + ref.H; k++) {
      const u = (k + 1) * 7;
      const cumulative = ref.firsts.reduce((s, first) => s + expectedX((u - first) / 7), 0);
      expect(inWeeks.cumulativeExpected[k]).toBeCloseTo(cumulative, 10);
      expect(inDays.cumulativeExpected[k]).toBeCloseTo(cumulative, 8);
      expect(inWeeks.cumulativeActual[k]).toBe(ref.repeat.slice(0, k + 1).reduce((s, v) => s + v, 0));
    }
    expect(inWeeks.expected[3]).toBeCloseTo(inWeeks.cumulativeExpected[3] - inWeeks.cumulativeExpected[2], 12);
  });
});
