import { describe, expect, it } from 'vitest';
import { decileTable, gainCurve } from '../../src/core/eval/calibration';
import { topDecileShare } from '../../src/core/eval/metrics';
import { Rng } from '../../src/core/random';

/** Reference table for untied predictions: sort descending, decile of rank r = floor(10 r / n). */
function naiveDeciles(actual: number[], predicted: number[]) {
  const n = actual.length;
  const order = actual.map((_, i) => i).sort((a, b) => predicted[b] - predicted[a]);
  const groups: number[][] = Array.from({ length: 10 }, () => []);
  order.forEach((i, r) => groups[Math.floor((10 * r) / n)].push(i));
  return groups.map((g) => ({
    count: g.length,
    meanPredicted: g.reduce((s, i) => s + predicted[i], 0) / g.length,
    meanActual: g.reduce((s, i) => s + actual[i], 0) / g.length,
    sumActual: g.reduce((s, i) => s + actual[i], 0),
  }));
}

describe('decileTable', () => {
  it('puts the highest predictions in decile 1 (hand-checked on 0..99)', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const table = decileTable(values, values);
    expect(table.map((r) => r.decile)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(table.every((r) => r.count === 10)).toBe(true);
    expect(table[0]).toEqual({ decile: 1, count: 10, mean_predicted: 94.5, mean_actual: 94.5, sum_actual: 945 });
    expect(table[9]).toEqual({ decile: 10, count: 10, mean_predicted: 4.5, mean_actual: 4.5, sum_actual: 45 });
  });

  it('matches a naive implementation on random untied data, with uneven sizes', () => {
    const rng = new Rng(21);
    const n = 257;
    const actual = Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 0 : rng.uniform(0, 500)));
    const predicted = actual.map((a) => a + rng.normal(0, 100));
    const expected = naiveDeciles(actual, predicted);
    const table = decileTable(actual, Float64Array.from(predicted));
    table.forEach((row, d) => {
      expect(row.count).toBe(expected[d].count);
      expect(row.mean_predicted).toBeCloseTo(expected[d].meanPredicted, 9);
      expect(row.mean_actual).toBeCloseTo(expected[d].meanActual, 9);
      expect(row.sum_actual).toBeCloseTo(expected[d].sumActual, 9);
    });
    expect(table.reduce((s, r) => s + r.count, 0)).toBe(n);
  });

  it('agrees with topDecileShare on the first row', () => {
    const rng = new Rng(4);
    const actual = Array.from({ length: 95 }, () => rng.uniform(0, 10));
    const predicted = actual.map((a) => Math.round(a + rng.normal(0, 2))); // coarse: ties at cuts
    const table = decileTable(actual, predicted);
    const total = actual.reduce((a, b) => a + b, 0);
    expect(table[0].sum_actual / total).toBeCloseTo(topDecileShare(actual, predicted), 12);
  });

  it('spreads customers tied across cuts evenly, independent of row order', () => {
    const actual = [100, 50, 20, 10, 5, 0, 0, 0, 0, 15]; // mean 20
    const table = decileTable(actual, new Array(10).fill(7));
    for (const row of table) {
      expect(row.count).toBe(1);
      expect(row.mean_predicted).toBe(7);
      expect(row.mean_actual).toBeCloseTo(20, 12);
    }
  });

  it('leaves deciles empty when there are fewer than 10 customers', () => {
    const table = decileTable([3, 2, 1], [3, 2, 1]);
    expect(table.filter((r) => r.count > 0).map((r) => r.decile)).toEqual([1, 4, 7]); // ranks 0,1,2 → floor(10r/3) = 0,3,6
    const empty = table.find((r) => r.count === 0)!;
    expect(empty.mean_actual).toBeNaN();
    expect(empty.sum_actual).toBe(0);
  });
});

describe('gainCurve', () => {
  it('hand case: all value in the lowest-ranked customer', () => {
    const curve = gainCurve([0, 0, 0, 10], [4, 3, 2, 1], 4);
    expect(curve.map((p) => p.fraction)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(curve.map((p) => p.gain)).toEqual([0, 0, 0, 1]);
    expect(curve.map((p) => p.ideal_gain)).toEqual([1, 1, 1, 1]);
    expect(curve[3].lift).toBe(1);
  });

  it('is non-decreasing, ends at 1, and lift = gain / fraction', () => {
    const rng = new Rng(8);
    const actual = Array.from({ length: 1000 }, () => Math.exp(rng.normal(2, 1.5)));
    const predicted = actual.map((a) => a * Math.exp(rng.normal(0, 1)));
    const curve = gainCurve(actual, predicted);
    expect(curve).toHaveLength(100);
    for (let i = 1; i < curve.length; i++) expect(curve[i].gain).toBeGreaterThanOrEqual(curve[i - 1].gain);
    expect(curve[99].gain).toBeCloseTo(1, 12);
    for (const p of curve) {
      expect(p.lift).toBeCloseTo(p.gain / p.fraction, 12);
      expect(p.gain).toBeLessThanOrEqual(p.ideal_gain + 1e-12);
    }
    // An informative model beats random targeting everywhere before the end.
    for (const p of curve.slice(0, -1)) expect(p.gain).toBeGreaterThan(p.fraction);
  });

  it('equals the ideal curve for a perfect model and the diagonal for a constant one', () => {
    const actual = [5, 0, 12, 3, 3, 40, 1, 0];
    const perfect = gainCurve(actual, actual, 8);
    perfect.forEach((p) => expect(p.gain).toBeCloseTo(p.ideal_gain, 12));
    const constant = gainCurve(actual, new Array(8).fill(1), 8);
    constant.forEach((p) => {
      expect(p.gain).toBeCloseTo(p.fraction, 12);
      expect(p.lift).toBeCloseTo(1, 12);
    });
  });

  it('rejects a bad number of points', () => {
    expect(() => gainCurve([1], [1], 0)).toThrow(RangeError);
  });
});
