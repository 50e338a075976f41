import { describe, expect, it } from 'vitest';
import {
  averageRanks,
  mae,
  mape,
  mse,
  normalizedGini,
  r2,
  regressionMetrics,
  rmse,
  spearman,
  topDecileShare,
} from '../../src/core/eval/metrics';
import { Rng } from '../../src/core/random';

/** O(n²) reference ranks: 1 + (#smaller) + (#equal − 1) / 2. */
function naiveRanks(x: number[]): number[] {
  return x.map((v) => 1 + x.filter((w) => w < v).length + (x.filter((w) => w === v).length - 1) / 2);
}

function naivePearson(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  const cov = x.reduce((acc, xi, i) => acc + (xi - mx) * (y[i] - my), 0);
  const sx = Math.sqrt(x.reduce((acc, xi) => acc + (xi - mx) ** 2, 0));
  const sy = Math.sqrt(y.reduce((acc, yi) => acc + (yi - my) ** 2, 0));
  return cov / (sx * sy);
}

/** Kaggle's reference Gini, literally: sort by prediction descending, ties by original index. */
function kaggleGini(actual: number[], pred: number[]): number {
  const n = actual.length;
  const order = actual.map((_, i) => i).sort((a, b) => pred[b] - pred[a] || a - b);
  const total = actual.reduce((a, b) => a + b, 0);
  let cum = 0;
  let giniSum = 0;
  for (const i of order) {
    cum += actual[i];
    giniSum += cum;
  }
  return (giniSum / total - (n + 1) / 2) / n;
}
const kaggleNormalizedGini = (a: number[], p: number[]) => kaggleGini(a, p) / kaggleGini(a, a);

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

function randomArray(rng: Rng, n: number, draw: (r: Rng) => number): number[] {
  return Array.from({ length: n }, () => draw(rng));
}

describe('error metrics on a hand-computed case', () => {
  // errors: −1, 0, 1, −2
  const actual = [1, 2, 3, 4];
  const predicted = Float64Array.from([2, 2, 2, 6]);

  it('mse, rmse, mae', () => {
    expect(mse(actual, predicted)).toBeCloseTo(6 / 4, 12);
    expect(rmse(actual, predicted)).toBeCloseTo(Math.sqrt(1.5), 12);
    expect(mae(actual, predicted)).toBeCloseTo(4 / 4, 12);
  });

  it('r2 = 1 − SS_res / SS_tot', () => {
    // mean 2.5 → SS_tot = 2.25 + 0.25 + 0.25 + 2.25 = 5; SS_res = 6
    expect(r2(actual, predicted)).toBeCloseTo(1 - 6 / 5, 12);
  });

  it('mape is a fraction over non-zero actuals only', () => {
    expect(mape(actual, predicted)).toBeCloseTo((1 + 0 + 1 / 3 + 2 / 4) / 4, 12);
    expect(mape([0, 2, 4], [5, 1, 5])).toBeCloseTo((0.5 + 0.25) / 2, 12);
    expect(mape([0, 0], [1, 2])).toBeNaN();
  });

  it('accepts Float32Array and rejects mismatched lengths', () => {
    expect(mse(Float32Array.from([1, 2]), Float32Array.from([1, 4]))).toBeCloseTo(2, 6);
    expect(() => mse([1, 2], [1])).toThrow(RangeError);
    expect(mse([], [])).toBeNaN();
  });
});

describe('r2 reference points', () => {
  const rng = new Rng(1);
  const actual = randomArray(rng, 200, (r) => r.uniform(0, 100));
  const meanActual = actual.reduce((a, b) => a + b, 0) / actual.length;

  it('is 0 for the mean predictor and 1 for a perfect one', () => {
    expect(r2(actual, actual.map(() => meanActual))).toBeCloseTo(0, 12);
    expect(r2(actual, actual)).toBe(1);
  });

  it('is negative for something worse than the mean', () => {
    expect(r2(actual, actual.map((a) => 100 - a))).toBeLessThan(0);
  });

  it('handles constant actuals without dividing by zero', () => {
    expect(r2([3, 3, 3], [3, 3, 3])).toBe(1);
    expect(r2([3, 3, 3], [1, 3, 3])).toBe(0);
  });
});

describe('ranks and spearman', () => {
  it('averages tied ranks', () => {
    expect(Array.from(averageRanks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
    expect(Array.from(averageRanks([7, 7, 7]))).toEqual([2, 2, 2]);
  });

  it('matches a hand-computed case with ties', () => {
    // ranks x = 1, 2.5, 2.5, 4 ; y = 1, 3, 2, 4 → Sxy = 4.5, Sxx = 4.5, Syy = 5
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
  });

  it('is 1 for any increasing transform and −1 for a decreasing one', () => {
    const x = [0.5, 3, 10, 42, 100];
    expect(spearman(x, x.map((v) => Math.log(v) * 3 + 1))).toBeCloseTo(1, 12);
    expect(spearman(x, x.map((v) => -(v ** 2)))).toBeCloseTo(-1, 12);
  });

  it('agrees with a naive rank-then-Pearson implementation on random data with ties', () => {
    const rng = new Rng(99);
    for (let trial = 0; trial < 5; trial++) {
      const x = randomArray(rng, 300, (r) => r.int(20)); // many ties
      const y = x.map((v) => v + rng.normal(0, 8));
      expect(spearman(x, y)).toBeCloseTo(naivePearson(naiveRanks(x), naiveRanks(y)), 10);
      expect(Array.from(averageRanks(x))).toEqual(naiveRanks(x));
    }
  });

  it('is NaN when one side is constant', () => {
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNaN();
  });
});

describe('normalizedGini', () => {
  it('matches the classic Kaggle forum example', () => {
    // Hand computation: ordered actual 1,0,1,1 → Gini −1/24; perfect 1,1,1,0 → 1/8; ratio −1/3.
    expect(normalizedGini([1, 1, 0, 1], [0.86, 0.26, 0.52, 0.32])).toBeCloseTo(-1 / 3, 12);
  });

  it('matches hand-computed values: a perfect ranking, one swap, the reverse', () => {
    // Kaggle's formula by hand for actual 0, 5, 20, 3 (total 28, n = 4): the cumulative sums of
    // actual in predicted order add up to S, and Gini ∝ S/28 − 5/2, so normalized = (S − 70)/(101 − 70).
    const actual = [0, 5, 20, 3];
    // Perfect order 20, 5, 3, 0 → 20 + 25 + 28 + 28 = 101 → 1 (any increasing transform).
    expect(normalizedGini(actual, actual.map((a) => Math.sqrt(a) + 2))).toBeCloseTo(1, 12);
    // Order 20, 3, 5, 0 → 20 + 23 + 28 + 28 = 99 → 29/31.
    expect(normalizedGini(actual, [1, 2, 4, 3])).toBeCloseTo(29 / 31, 12);
    // Reversed, 0, 3, 5, 20 → 0 + 3 + 8 + 28 = 39 → −31/31.
    expect(normalizedGini(actual, actual.map((a) => -a))).toBeCloseTo(-1, 12);
  });

  it('agrees with the literal Kaggle implementation when predictions have no ties', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 5; trial++) {
      const actual = randomArray(rng, 500, (r) => (r.uniform() < 0.4 ? 0 : Math.exp(r.normal(3, 1))));
      const predicted = actual.map((a) => a + rng.normal(0, 30));
      expect(normalizedGini(actual, predicted)).toBeCloseTo(kaggleNormalizedGini(actual, predicted), 10);
    }
  });

  it('scores tied predictions as the average over all orderings of the tie', () => {
    const actual = [9, 1, 4, 0, 6, 2];
    const predicted = [5, 3, 3, 3, 1, 0]; // customers 1, 2, 3 tied
    const tied = [1, 2, 3];
    const orderings = permutations(tied);
    let sum = 0;
    for (const ordering of orderings) {
      // Reorder the rows so Kaggle's index tie-break follows this ordering of the tie.
      const rows = [0, ...ordering, 4, 5];
      sum += kaggleNormalizedGini(
        rows.map((i) => actual[i]),
        rows.map((i) => predicted[i]),
      );
    }
    expect(normalizedGini(actual, predicted)).toBeCloseTo(sum / orderings.length, 12);
  });

  it('gives a constant predictor 0 whatever the row order', () => {
    const sortedByValue = [100, 50, 20, 10, 5, 0, 0];
    expect(normalizedGini(sortedByValue, new Array(7).fill(1))).toBeCloseTo(0, 12);
    // The row-order tie-break would have called this a perfect model:
    expect(kaggleNormalizedGini(sortedByValue, new Array(7).fill(1))).toBeCloseTo(1, 12);
  });

  it('is near 0 for random predictions and NaN when actual has no value', () => {
    const rng = new Rng(17);
    const actual = randomArray(rng, 20_000, (r) => r.uniform(0, 10));
    const predicted = randomArray(rng, 20_000, (r) => r.uniform());
    expect(Math.abs(normalizedGini(actual, predicted))).toBeLessThan(0.03);
    expect(normalizedGini([0, 0, 0], [1, 2, 3])).toBeNaN();
  });
});

describe('topDecileShare', () => {
  const actual = Array.from({ length: 20 }, (_, i) => i + 1); // total 210

  it('captures the top ceil(n/10) customers by prediction', () => {
    expect(topDecileShare(actual, actual)).toBeCloseTo((20 + 19) / 210, 12);
    expect(topDecileShare(actual, actual.map((a) => -a))).toBeCloseTo((1 + 2) / 210, 12);
    // n = 15 → ceil(1.5) = 2 customers
    const fifteen = actual.slice(0, 15);
    expect(topDecileShare(fifteen, fifteen)).toBeCloseTo((15 + 14) / 120, 12);
  });

  it('gives a constant predictor exactly 10% (expected share over tie orderings)', () => {
    expect(topDecileShare(actual, new Array(20).fill(3))).toBeCloseTo(0.1, 12);
  });

  it('shares a tie at the cut in proportion', () => {
    // top 1 of 10: customers 0 and 1 tie at the top → half of (10 + 30)
    const a = [10, 30, 1, 1, 1, 1, 1, 1, 1, 1];
    const p = [9, 9, 5, 4, 3, 2, 1, 0, -1, -2];
    expect(topDecileShare(a, p)).toBeCloseTo(20 / 48, 12);
  });
});

describe('regressionMetrics', () => {
  it('returns every metric under snake_case keys in a fixed order, each from its definition', () => {
    const rng = new Rng(3);
    const actual = randomArray(rng, 100, (r) => r.uniform(0, 50));
    const predicted = actual.map((a) => a * 0.8 + rng.normal(0, 5));
    const m = regressionMetrics(actual, predicted);
    expect(Object.keys(m)).toEqual(['mse', 'rmse', 'mae', 'r2', 'mape', 'spearman', 'normalized_gini', 'top_decile_share']);
    // Textbook definitions, written out here.
    const n = actual.length;
    const errors = actual.map((a, i) => predicted[i] - a);
    const sse = errors.reduce((acc, e) => acc + e * e, 0);
    const mean = actual.reduce((acc, a) => acc + a, 0) / n;
    const sst = actual.reduce((acc, a) => acc + (a - mean) ** 2, 0);
    expect(m.mse).toBeCloseTo(sse / n, 10);
    expect(m.rmse).toBeCloseTo(Math.sqrt(sse / n), 10);
    expect(m.mae).toBeCloseTo(errors.reduce((acc, e) => acc + Math.abs(e), 0) / n, 10);
    expect(m.r2).toBeCloseTo(1 - sse / sst, 10);
    expect(m.mape).toBeCloseTo(actual.reduce((acc, a, i) => acc + Math.abs(errors[i] / a), 0) / n, 10);
    expect(m.spearman).toBeCloseTo(naivePearson(naiveRanks(actual), naiveRanks(predicted)), 10);
    expect(m.normalized_gini).toBeCloseTo(kaggleNormalizedGini(actual, predicted), 10);
    // Top decile: the 10 customers with the highest predictions (no ties here), their share of the total.
    const top = actual
      .map((a, i) => [predicted[i], a])
      .sort((x, y) => y[0] - x[0])
      .slice(0, 10)
      .reduce((acc, [, a]) => acc + a, 0);
    expect(m.top_decile_share).toBeCloseTo(top / actual.reduce((acc, a) => acc + a, 0), 10);
  });
});
