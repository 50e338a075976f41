/**
 * fitCheckData: the four fit-check charts' numbers for several models at once, as the model worker
 * sends them to the page. Checked against figures computed here from the customers (bucket means,
 * histogram, percentile, cutoff) and against Fader, Hardie & Lee's published BG/NBD expectation.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MATRIX_SIDE, fitCheckBuffers, fitCheckData, type FitCheckCustomers } from '../../src/core/models/fitCheckData';
import type { TrackingCounts } from '../../src/core/tables/trackingCounts';

/** Published CDNOW estimates (weeks). */
const BG = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PARETO = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

/** A fixed pseudo-random sequence. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** 300 customers in weeks; customer 0 is Fader, Hardie & Lee's example (x = 2, t_x = 30.43, T = 38.86); one heavy buyer. */
function customers(): FitCheckCustomers & { frequency: number[]; T: number[]; holdoutPurchases: number[] } {
  const random = lcg(7);
  const frequency: number[] = [2];
  const recency: number[] = [30.43];
  const T: number[] = [38.86];
  const holdoutPurchases: number[] = [1];
  for (let i = 1; i < 300; i++) {
    const age = 1 + Math.floor(random() * 38);
    const x = i === 150 ? 400 : Math.floor(random() * random() * 12);
    frequency.push(x);
    T.push(age);
    recency.push(x === 0 ? 0 : Math.round(random() * age * 10) / 10);
    holdoutPurchases.push(Math.floor(random() * 4));
  }
  return { frequency, recency, T, holdoutPurchases };
}

/** Weekly counts of a cohort acquired in the first 12 weeks, 39 calibration and 39 horizon weeks, cutoff 1997-09-30. */
function counts(): TrackingCounts {
  const periods = 78;
  return {
    origin: '1996-12-31',
    periodDays: 7,
    calibrationPeriods: 39,
    horizonPeriods: 39,
    repeatTransactions: Float64Array.from({ length: periods }, (_, k) => 10 + (k % 5)),
    firstPurchaseDays: Float64Array.from({ length: 12 }, (_, j) => 7 * j + 1),
    customersAcquired: Float64Array.from({ length: 12 }, () => 25),
    customers: 300,
    horizonDaysLeftOut: 0,
  };
}

describe('fitCheckData', () => {
  const data = customers();
  const checks = fitCheckData({
    models: [
      { name: 'bgnbd-gg', kind: 'bgnbd', params: BG },
      { name: 'pnbd-gg', kind: 'pnbd', params: PARETO },
    ],
    customers: data,
    counts: counts(),
    unitDays: 7,
    horizon: 39,
    cutoff: '1997-09-30',
  });

  it('names every model as people write it and keeps the order given', () => {
    expect(checks.models.map((m) => [m.name, m.label])).toEqual([
      ['bgnbd-gg', 'BG/NBD'],
      ['pnbd-gg', 'Pareto/NBD'],
    ]);
  });

  it('holdout by frequency: actual means from the customers, BG/NBD expectation as published', () => {
    const sums = new Array(8).fill(0);
    const n = new Array(8).fill(0);
    data.frequency.forEach((x, i) => {
      sums[Math.min(x, 7)] += data.holdoutPurchases[i];
      n[Math.min(x, 7)]++;
    });
    for (const m of checks.models) {
      expect(m.holdout.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
      for (let k = 0; k < 8; k++) {
        expect(m.holdout.customers[k]).toBe(n[k]);
        expect(m.holdout.actual[k]).toBeCloseTo(sums[k] / n[k], 12);
      }
    }
    // Customer 0 is the published example; alone with its (x, t_x, T) its expectation is 1.226.
    const bg = fitCheckData({
      models: [{ name: 'bgnbd-gg', kind: 'bgnbd', params: BG }],
      customers: { frequency: [2], recency: [30.43], T: [38.86], holdoutPurchases: [0] },
      counts: counts(),
      unitDays: 7,
      horizon: 39,
    });
    expect(bg.models[0].holdout.expected[2]).toBeCloseTo(1.226, 3);
    expect(Number.isNaN(bg.models[0].holdout.expected[0])).toBe(true);
  });

  it('period transactions: the actual histogram of repeat purchases, and model counts that add up to the customers', () => {
    const histogram = new Array(8).fill(0);
    for (const x of data.frequency) histogram[Math.min(x, 7)]++;
    for (const m of checks.models) {
      expect(Array.from(m.periodTransactions.actual)).toEqual(histogram);
      expect(m.periodTransactions.expected.reduce((s, v) => s + v, 0)).toBeCloseTo(300, 6);
    }
  });

  it('matrices: age of the oldest customer, frequency to the 99th percentile (one heavy buyer does not stretch them), capped grid', () => {
    const sorted = [...data.frequency].sort((a, b) => a - b);
    const p99 = sorted[Math.ceil(0.99 * sorted.length) - 1];
    expect(p99).toBeLessThan(400);
    expect(checks.matrixFrequency).toBe(Math.max(1, p99));
    for (const m of checks.models) {
      for (const matrix of [m.alive, m.purchases]) {
        expect(matrix.T).toBe(Math.max(...data.T));
        expect(matrix.frequency[0]).toBe(0);
        expect(matrix.frequency[matrix.frequency.length - 1]).toBe(p99);
        expect(matrix.recency).toHaveLength(DEFAULT_MATRIX_SIDE);
        expect(matrix.recency[matrix.recency.length - 1]).toBeCloseTo(38.86, 10);
        expect(matrix.values.length).toBe(matrix.frequency.length * matrix.recency.length);
      }
    }
    // BG/NBD: a customer with no repeat purchase is alive for sure (the reason MBG/NBD exists).
    const bg = checks.models[0].alive;
    for (let c = 0; c < bg.recency.length; c++) expect(bg.values[c]).toBe(1);
    // P(alive) lies in [0, 1]; expected purchases are positive.
    expect(checks.models.every((m) => m.alive.values.every((v) => v >= 0 && v <= 1))).toBe(true);
    expect(checks.models.every((m) => m.purchases.values.every((v) => v > 0))).toBe(true);
  });

  it('tracking: the counts as actuals, the cutoff after the calibration weeks, in the models unit', () => {
    for (const m of checks.models) {
      expect(Array.from(m.tracking.actual)).toEqual(Array.from(counts().repeatTransactions));
      expect(m.tracking.cutoff).toBe(39);
      expect(m.tracking.periodEnd).toHaveLength(78);
      expect(m.tracking.cumulativeExpected[77]).toBeGreaterThan(0);
    }
    expect(checks.origin).toBe('1996-12-31');
    expect(checks.calibrationPeriods).toBe(39);
    expect(checks.horizonPeriods).toBe(39);
    // The same counts for models in days: the cutoff is 273 days after the origin.
    const daily = fitCheckData({ models: [{ name: 'bgnbd-gg', kind: 'bgnbd', params: { ...BG, alpha: BG.alpha * 7 } }], customers: data, counts: counts(), unitDays: 1, horizon: 273 });
    expect(daily.models[0].tracking.cutoff).toBe(273);
  });

  it('refuses counts made for another cutoff, in words that say what to do', () => {
    expect(() => fitCheckData({ models: [], customers: data, counts: counts(), unitDays: 7, horizon: 39, cutoff: '1997-10-31' })).toThrow(
      expect.objectContaining({ code: 'BAD_PERIOD', message: expect.stringMatching(/Train again/) }),
    );
  });

  it('lists every array buffer once, for the transfer', () => {
    const buffers = fitCheckBuffers(checks);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(buffers).toHaveLength(12 * checks.models.length);
  });
});
