import { describe, expect, it } from 'vitest';
import { fitPowerCalibration } from '../../src/core/models/powerCalibration';
import { fitGeometricStack, fitGuardedStack, inOrderOf, predictStackedEnsemble } from '../../src/core/models/stackedEnsemble';
import { normalizedGini, rmse } from '../../src/core/eval/metrics';
import { Rng } from '../../src/core/random';

describe('fitPowerCalibration', () => {
  it('recovers scale and power of spend = c·(1+ŷ)^b from log1p(ŷ)', () => {
    const rng = new Rng(4);
    const yhat = Float64Array.from({ length: 300 }, () => Math.exp(rng.normal(2, 1.5)));
    const s = yhat.map((v) => Math.log1p(v));
    const y = yhat.map((v) => 3 * (1 + v) ** 0.6);
    const rows = Int32Array.from({ length: 300 }, (_, i) => i);
    const { scale, power } = fitPowerCalibration(s, y, rows);
    expect(power).toBeCloseTo(0.6, 9);
    expect(scale).toBeCloseTo(3, 6);
  });
});

/** Heavy-tailed spend, a base that ranks well but is over-spread, one that is right on average but ranks poorly, and noise. */
function bases(n: number, seed: number) {
  const rng = new Rng(seed);
  const value = Float64Array.from({ length: n }, () => Math.exp(rng.normal(3, 1)));
  const buys = Float64Array.from(value, () => (rng.uniform() < 0.5 ? 1 : 0));
  const y = Float64Array.from(value, (v, i) => buys[i] * v * Math.exp(rng.normal(0, 0.5)));
  const spread = Float64Array.from(value, (v) => 0.5 * v ** 1.5 * Math.exp(rng.normal(0, 0.4)) / 20);
  const flat = Float64Array.from(value, (v) => 0.5 * v * Math.exp(rng.normal(0, 1.2)));
  const noise = Float64Array.from(value, () => rng.uniform(0, 50));
  return { y, columns: { spread, flat, noise } };
}

function foldsOf(n: number, k: number): Int32Array[] {
  return Array.from({ length: k }, (_, f) => Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % k === f));
}

describe('fitGeometricStack', () => {
  it('is the geometric mean of 1 + each base, less 1, scaled so the predicted total is the actual total on the rows given', () => {
    const rng = new Rng(5);
    const n = 400;
    const a = Float64Array.from({ length: n }, () => rng.uniform(0, 100));
    const b = Float64Array.from({ length: n }, () => rng.uniform(0, 300));
    const c = Float64Array.from({ length: n }, () => rng.uniform(0, 10));
    const y = Float64Array.from({ length: n }, () => rng.uniform(0, 150));
    const rows = Int32Array.from({ length: n / 2 }, (_, r) => 2 * r);
    const stack = fitGeometricStack({ b, a, c }, y, rows, ['a', 'b']);
    expect(stack.models).toEqual(['a', 'b', 'c']);
    expect(stack.weights).toEqual([0.5, 0.5, 0]);
    expect(stack.choice).toBe('geometric:a+b');
    // By hand: g = sqrt((1+a)(1+b)) − 1; scale = Σy / Σg over the even rows only.
    const g = Float64Array.from(a, (v, i) => Math.sqrt((1 + v) * (1 + b[i])) - 1);
    const scale = rows.reduce((s, i) => s + y[i], 0) / rows.reduce((s, i) => s + g[i], 0);
    const pred = predictStackedEnsemble(stack, { a, b, c }, n);
    for (let i = 0; i < n; i++) expect(pred[i]).toBeCloseTo(scale * g[i], 9);
    expect(rows.reduce((s, i) => s + pred[i], 0)).toBeCloseTo(rows.reduce((s, i) => s + y[i], 0), 6);
  });
});

describe('fitGuardedStack', () => {
  it('on customers it never saw, is at least as good as its best base on RMSE and on normalized Gini', () => {
    const train = bases(3000, 1);
    const test = bases(3000, 2);
    const rows = Int32Array.from({ length: 3000 }, (_, i) => i);
    const stack = fitGuardedStack(train.columns, train.y, rows, foldsOf(3000, 4));
    expect(stack.weights.every((w) => w >= 0)).toBe(true);
    const pred = predictStackedEnsemble(stack, test.columns, 3000);
    const baseRmse = Object.values(test.columns).map((c) => rmse(test.y, c));
    const baseGini = Object.values(test.columns).map((c) => normalizedGini(test.y, c));
    expect(rmse(test.y, pred)).toBeLessThanOrEqual(Math.min(...baseRmse));
    expect(normalizedGini(test.y, pred)).toBeGreaterThanOrEqual(Math.max(...baseGini) - 0.005);
    // Noise gets (almost) no weight.
    expect(stack.weights[stack.models.indexOf('noise')]).toBeLessThan(0.05);
    // The choice is recorded with every candidate's inner-fold scores.
    // Every stack the guard tried, and every base, is recorded with its inner-fold scores.
    expect(Object.keys(stack.inner!)).toEqual(expect.arrayContaining(['base:flat', 'base:noise', 'base:spread', 'geometric:flat+noise+spread']));
    expect(stack.inner![stack.choice]).toBeDefined();
  });

  it('averages two equally good bases whose errors are independent (the stack beats each on new customers)', () => {
    // Two predictions of the same value with independent noise of equal size: averaging them
    // shrinks the noise, so on new customers the stack beats each on RMSE and on ranking.
    const make = (seed: number) => {
      const rng = new Rng(seed);
      const n = 4000;
      const value = Float64Array.from({ length: n }, () => Math.exp(rng.normal(3, 0.8)));
      const y = Float64Array.from(value, (v) => v * Math.exp(rng.normal(0, 0.3)));
      const a = Float64Array.from(value, (v) => v + rng.normal(0, 15));
      const b = Float64Array.from(value, (v) => v + rng.normal(0, 15));
      return { y, columns: { a, b, noise: Float64Array.from(value, () => rng.uniform(0, 50)) } };
    };
    const train = make(11);
    const test = make(12);
    const stack = fitGuardedStack(train.columns, train.y, Int32Array.from({ length: 4000 }, (_, i) => i), foldsOf(4000, 4));
    expect(stack.choice).toBe('geometric:a+b');
    expect(stack.weights[stack.models.indexOf('a')]).toBeCloseTo(0.5, 12);
    expect(stack.weights[stack.models.indexOf('noise')]).toBe(0);
    expect(stack.inner!['geometric:a+b+noise']).toBeDefined();
    const pred = predictStackedEnsemble(stack, test.columns, 4000);
    for (const m of ['a', 'b'] as const) {
      expect(rmse(test.y, pred)).toBeLessThan(rmse(test.y, test.columns[m]));
      expect(normalizedGini(test.y, pred)).toBeGreaterThan(normalizedGini(test.y, test.columns[m]));
    }
  });

  it('reproduces a perfect base and ignores a useless one', () => {
    const rng = new Rng(7);
    const n = 2000;
    const y = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 0 : Math.exp(rng.normal(3, 1))));
    // A perfect base and a useless one: nothing can beat the perfect base.
    const columns = { perfect: y, useless: Float64Array.from({ length: n }, () => rng.uniform(0, 10)) };
    const stack = fitGuardedStack(columns, y, Int32Array.from({ length: n }, (_, i) => i), foldsOf(n, 4));
    // The perfect base alone reproduces y.
    expect(stack.weights[stack.models.indexOf('useless')]).toBeLessThan(1e-6);
    const pred = predictStackedEnsemble(stack, columns, n);
    expect(rmse(y, pred)).toBeLessThan(1e-3 * rmse(y, new Float64Array(n)));
    expect(normalizedGini(y, pred)).toBeCloseTo(1, 9);
  });
});

describe('inOrderOf', () => {
  it('hands out the sorted values in the order of the scores; ties in the score keep the values\' own order; no number, no value', () => {
    //                  customer:  0    1    2    3    4    5
    const order = Float64Array.from([3, 1, 2, 2, Number.NaN, 9]);
    const values = Float64Array.from([10, 50, 40, 20, 99, Number.NaN]);
    // Scored: 0..3 (4 has no score, 5 no value). Sorted values 10, 20, 40, 50; by score: 1 gets 10,
    // then 3 and 2 (tied at 2: 3's own value 20 before 2's 40) get 20 and 40, then 0 gets 50.
    const out = inOrderOf(order, values);
    expect(Array.from(out.subarray(0, 4))).toEqual([50, 10, 40, 20]);
    expect(Number.isNaN(out[4]) && Number.isNaN(out[5])).toBe(true);
  });
});

describe('a stack with a values base', () => {
  it('ranks as its blend does and hands out exactly the values base\'s predictions of the customers scored', () => {
    const train = bases(3000, 1);
    const test = bases(3000, 2);
    const rows = Int32Array.from({ length: 3000 }, (_, i) => i);
    const folds = foldsOf(3000, 4);
    const blend = fitGuardedStack(train.columns, train.y, rows, folds);
    const stack = fitGuardedStack(train.columns, train.y, rows, folds, 'flat');
    expect(blend.values).toBeUndefined();
    expect(stack.values).toBe('flat');
    // The guard judges the blend: the same bases and weights either way.
    expect(stack.choice).toBe(blend.choice);
    expect(stack.weights).toEqual(blend.weights);
    const ordered = predictStackedEnsemble(blend, test.columns, 3000);
    const pred = predictStackedEnsemble(stack, test.columns, 3000);
    // A permutation of the values base's predictions...
    expect(Array.from(pred).sort((a, b) => a - b)).toEqual(Array.from(test.columns.flat).sort((a, b) => a - b));
    // ... in the blend's order: whenever the blend puts one customer below another, so does the stack.
    const byBlend = Array.from({ length: 3000 }, (_, i) => i).sort((a, b) => ordered[a] - ordered[b]);
    for (let k = 1; k < byBlend.length; k++) expect(pred[byBlend[k]]).toBeGreaterThanOrEqual(pred[byBlend[k - 1]]);
    expect(normalizedGini(test.y, pred)).toBeCloseTo(normalizedGini(test.y, ordered), 9);
    // A values base that is not among the columns is ignored.
    expect(fitGuardedStack(train.columns, train.y, rows, folds, 'absent').values).toBeUndefined();
  });

  it('one customer scored alone gets the values base\'s own prediction', () => {
    const train = bases(2000, 3);
    const stack = fitGuardedStack(train.columns, train.y, Int32Array.from({ length: 2000 }, (_, i) => i), foldsOf(2000, 4), 'flat');
    const one = { spread: [120], flat: [33.5], noise: [7] };
    expect(Array.from(predictStackedEnsemble(stack, one as never, 1))).toEqual([33.5]);
  });
});
