import { describe, expect, it } from 'vitest';
import { decileTable } from '../../src/core/eval/calibration';
import { churnClassification, topValueClassification } from '../../src/core/eval/classification';
import { compareModels, type ModelPredictions } from '../../src/core/eval/compareModels';
import { regressionMetrics } from '../../src/core/eval/metrics';
import { Rng } from '../../src/core/random';

const rng = new Rng(77);
const n = 300;
const spend = Float64Array.from({ length: n }, () => (rng.uniform() < 0.4 ? 0 : Math.exp(rng.normal(4, 1))));
const orders = Float64Array.from(spend, (s) => (s === 0 ? 0 : 1 + rng.int(4)));
const noisy = Float64Array.from(spend, (s) => Math.max(0, s + rng.normal(0, 40)));
const churnScore = Float64Array.from(orders, (o) => (o === 0 ? rng.uniform(0.3, 1) : rng.uniform(0, 0.7)));

describe('compareModels', () => {
  it('returns one record per model, sorted by name in code-unit order, with a fixed key order', () => {
    const models = new Map<string, ModelPredictions>([
      ['zeta', { predicted: noisy }],
      ['10', { predicted: noisy }],
      ['2', { predicted: noisy }],
      ['Alpha', { predicted: noisy }],
    ]);
    const result = compareModels({ spend }, models);
    expect(result.map((r) => r.model)).toEqual(['10', '2', 'Alpha', 'zeta']);
    for (const record of result) {
      expect(Object.keys(record)).toEqual(['model', 'n', 'regression', 'deciles', 'top_value', 'churn', 'degenerate']);
      expect(record.n).toBe(n);
      expect(record.churn).toBeNull();
    }
  });

  it('assembles the regression metrics, decile table and classification views of each model', () => {
    const result = compareModels(
      { spend, orders },
      { perfect: { predicted: spend }, noisy: { predicted: noisy, churnScore } },
      { topFraction: 0.25, churnThreshold: 0.6 },
    );
    const [noisyResult, perfectResult] = result;
    expect(noisyResult.model).toBe('noisy');
    expect(noisyResult.regression).toEqual(regressionMetrics(spend, noisy));
    expect(noisyResult.deciles).toEqual(decileTable(spend, noisy));
    expect(noisyResult.top_value).toEqual(topValueClassification(spend, noisy, 0.25));
    expect(noisyResult.churn).toEqual(churnClassification(orders, churnScore, 0.6));

    // Independent sanity checks on the perfect model.
    expect(perfectResult.regression.rmse).toBe(0);
    expect(perfectResult.regression.normalized_gini).toBeCloseTo(1, 12);
    expect(perfectResult.top_value.f1).toBe(1);
    expect(perfectResult.deciles).toHaveLength(10);
    expect(perfectResult.churn).toBeNull();
    // The noisy model must be measurably worse.
    expect(noisyResult.regression.rmse).toBeGreaterThan(0);
    expect(noisyResult.regression.normalized_gini).toBeLessThan(1);
  });

  it('serialises identically whatever order the models were added in', () => {
    const a = compareModels({ spend, orders }, new Map([
      ['baseline', { predicted: noisy }],
      ['bg_nbd', { predicted: spend, churnScore }],
    ]));
    const b = compareModels({ spend, orders }, new Map([
      ['bg_nbd', { predicted: spend, churnScore }],
      ['baseline', { predicted: noisy }],
    ]));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('rejects misaligned predictions and churn scores without actual orders', () => {
    expect(() => compareModels({ spend }, { short: { predicted: noisy.subarray(1) } })).toThrow(RangeError);
    expect(() => compareModels({ spend }, { m: { predicted: noisy, churnScore } })).toThrow(/actual orders/);
    expect(() => compareModels({ spend, orders: orders.subarray(1) }, {})).toThrow(RangeError);
  });
});
