import { describe, expect, it } from 'vitest';
import { WeightedScorer, bootstrapIntervals, calibrationSlope } from '../../src/core/eval/bootstrapIntervals';
import { mae, normalizedGini, r2, rmse, spearman, topDecileShare } from '../../src/core/eval/metrics';
import { Rng } from '../../src/core/random';

/** Heavy-tailed spends with many zeros and ties, and a noisy prediction of them (also tied). */
function sample(n: number, seed: number) {
  const rng = new Rng(seed);
  const actual = Float64Array.from({ length: n }, () => (rng.uniform() < 0.6 ? 0 : Math.round(Math.exp(rng.normal(3, 1.5)))));
  const predicted = Float64Array.from(actual, (a) => Math.round(Math.max(0, a * rng.uniform(0.3, 1.5) + rng.normal(5, 10))));
  return { actual, predicted };
}

describe('bootstrap metrics with customer weights', () => {
  it('equal the metrics of the resampled customers written out one by one (ties included)', () => {
    const { actual, predicted } = sample(400, 3);
    const rng = new Rng(8);
    const w = new Float64Array(400);
    for (let k = 0; k < 400; k++) w[rng.int(400)]++;
    // The resample written out: customer i repeated w[i] times.
    const a: number[] = [];
    const p: number[] = [];
    w.forEach((count, i) => {
      for (let c = 0; c < count; c++) {
        a.push(actual[i]);
        p.push(predicted[i]);
      }
    });
    const scorer = new WeightedScorer(actual);
    const got = scorer.score(scorer.prepare(predicted), w, scorer.reference(w));
    expect(got.rmse).toBeCloseTo(rmse(a, p), 9);
    expect(got.mae).toBeCloseTo(mae(a, p), 9);
    expect(got.r2).toBeCloseTo(r2(a, p), 9);
    expect(got.spearman).toBeCloseTo(spearman(a, p), 9);
    expect(got.normalized_gini).toBeCloseTo(normalizedGini(a, p), 9);
    expect(got.top_decile_share).toBeCloseTo(topDecileShare(a, p), 9);
  });

  it('give intervals around the full-sample metric, and paired differences whose interval is narrower than the unpaired spread', () => {
    const { actual, predicted } = sample(2000, 5);
    const rng = new Rng(2);
    // A second model: the first plus noise, so the two are strongly correlated across resamples.
    const other = Float64Array.from(predicted, (v) => Math.max(0, v + rng.normal(0, 3)));
    const out = bootstrapIntervals(actual, new Map([['a', predicted], ['b', other]]), { seed: 1, resamples: 200, references: { vs_b: 'b' } });
    const a = out.get('a')!;
    const [lo, hi] = a.ci95.rmse;
    expect(lo).toBeLessThan(rmse(actual, predicted));
    expect(hi).toBeGreaterThan(rmse(actual, predicted));
    const diff = a.differences.vs_b.rmse;
    expect(diff.difference).toBeCloseTo(rmse(actual, predicted) - rmse(actual, other), 9);
    expect(diff.ci95[1] - diff.ci95[0]).toBeLessThan((hi - lo) / 2);
    // Against itself every difference is exactly zero.
    const self = out.get('b')!.differences.vs_b;
    expect(self.normalized_gini.ci95).toEqual([0, 0]);
    // Seeded: the same intervals again.
    expect(bootstrapIntervals(actual, new Map([['a', predicted]]), { seed: 1, resamples: 50 }).get('a')!.ci95).toEqual(bootstrapIntervals(actual, new Map([['a', predicted]]), { seed: 1, resamples: 50 }).get('a')!.ci95);
  });
});

describe('calibrationSlope', () => {
  it('is the least-squares slope of actual on predicted: 1 when right, ½ when the prediction is twice as spread', () => {
    const x = [1, 2, 3, 4, 5, 6];
    expect(calibrationSlope(x, x)).toBeCloseTo(1, 12);
    const spread = x.map((v) => 3.5 + 2 * (v - 3.5));
    expect(calibrationSlope(x, spread)).toBeCloseTo(0.5, 12);
    expect(calibrationSlope([1, 2], [3, 3])).toBeNaN();
  });
});
