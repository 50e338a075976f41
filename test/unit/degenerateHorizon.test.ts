/**
 * A horizon where (almost) nobody buys is refused before any training, and a comparison that says
 * nothing (constant actuals or predictions, undefined metrics) never makes a model the best.
 */
import { describe, expect, it } from 'vitest';
import { compareModels, type ModelEvaluation } from '../../src/core/eval/compareModels';
import { lowestRmseModel } from '../../src/core/evaluate/bestModel';
import { bestValueModel } from '../../src/core/evaluate/customerActions';
import { evaluateModels, backtestModels, type EvaluationData, type EvaluationResult } from '../../src/core/evaluate/evaluateModels';
import { bestBundleableModel } from '../../src/core/evaluate/modelBundle';
import { checkHorizonActivity, minimumActiveCustomers } from '../../src/core/evaluate/horizonActivity';
import { ClvError } from '../../src/core/errors';
import { FEATURE_NAMES } from '../../src/core/featureNames';
import { Rng } from '../../src/core/random';

/** `n` customers of whom the first `buyers` buy in the horizon. */
function customers(n: number, buyers: number, seed = 1): EvaluationData {
  const rng = new Rng(seed);
  const d = FEATURE_NAMES.length;
  const X = new Float32Array(n * d);
  const total = FEATURE_NAMES.indexOf('total_spend');
  const tenure = FEATURE_NAMES.indexOf('tenure_days');
  const spend = new Float64Array(n);
  const orders = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) X[i * d + j] = rng.uniform(0, 100);
    X[i * d + tenure] = 30 + rng.uniform(0, 300);
    X[i * d + total] = 10 + rng.uniform(0, 500);
    if (i < buyers) {
      orders[i] = 1 + Math.floor(rng.uniform(0, 3));
      spend[i] = 20 * orders[i] * rng.uniform(0.5, 1.5);
    }
  }
  return {
    customerIds: Array.from({ length: n }, (_, i) => `c${i}`),
    featureNames: [...FEATURE_NAMES],
    X,
    holdoutSpend: spend,
    holdoutOrders: orders,
    btyd: {
      frequency: Float64Array.from({ length: n }, (_, i) => i % 4),
      recency: Float64Array.from({ length: n }, (_, i) => (i % 4) * 5),
      T: Float64Array.from({ length: n }, () => 40),
      monetary: Float64Array.from({ length: n }, (_, i) => (i % 4 ? 25 : 0)),
    },
    unitDays: 1,
    horizonDays: 90,
    cutoff: '1998-06-30',
  };
}

async function refusal(run: Promise<unknown>): Promise<ClvError> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClvError);
  return error as ClvError;
}

describe('a horizon with too few buyers', () => {
  it('needs max(20, 1% of the customers) buyers', () => {
    expect(minimumActiveCustomers(100)).toBe(20);
    expect(minimumActiveCustomers(2000)).toBe(20);
    expect(minimumActiveCustomers(2001)).toBe(21);
    expect(minimumActiveCustomers(23_570)).toBe(236);
  });

  it('is refused before training when nobody buys (a cutoff after the last date), naming the dates and numbers', async () => {
    const error = await refusal(evaluateModels(customers(300, 0), { models: ['naive', 'bgnbd-gg'], seed: 1 }));
    expect(error.code).toBe('DEGENERATE_HORIZON');
    expect(error.message).toBe(
      'No customer buys in the horizon (1998-07-01 – 1998-09-28); at least 20 are needed to compare models. Choose an earlier cutoff or a longer horizon.',
    );
    expect(error.details).toEqual({ active: 0, minimum: 20, customers: 300 });
  });

  it('is refused when one customer buys', async () => {
    const error = await refusal(evaluateModels(customers(300, 1), { models: ['naive'], seed: 1 }));
    expect(error.code).toBe('DEGENERATE_HORIZON');
    expect(error.message).toMatch(/^Only 1 customer buys in the horizon \(1998-07-01 – 1998-09-28\); at least 20 are needed/);
  });

  it('counts buyers (orders > 0), not rows, and scales the minimum with the customers', async () => {
    const data = customers(5000, 49);
    // Spend without orders (a net-zero return day) is not a purchase.
    (data.holdoutSpend as Float64Array)[4000] = 30;
    const error = await refusal(evaluateModels(data, { models: ['naive'], seed: 1 }));
    expect(error.details).toEqual({ active: 49, minimum: 50, customers: 5000 });
    expect(error.message).toMatch(/^Only 49 customers buy in the horizon .*; at least 50 are needed/);
    expect(() => checkHorizonActivity(customers(5000, 50).holdoutOrders, { horizonDays: 90 })).not.toThrow();
  });

  it('is refused in the backtest too, for either window', async () => {
    const good = customers(300, 100);
    expect((await refusal(backtestModels(customers(300, 3), good, { models: ['naive'], seed: 1 }))).code).toBe('DEGENERATE_HORIZON');
    expect((await refusal(backtestModels(good, customers(300, 3), { models: ['naive'], seed: 1 }))).code).toBe('DEGENERATE_HORIZON');
  });

  it('lets a horizon with enough buyers through', async () => {
    const result = await evaluateModels(customers(300, 60), { models: ['naive'], seed: 1, importanceRows: 50 });
    expect(result.metrics.map((m) => m.model)).toEqual(['naive']);
  });
});

describe('a degenerate comparison', () => {
  const n = 200;
  const rng = new Rng(5);
  const spend = Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 50 + rng.uniform(0, 500) : 0));
  const informative = Float64Array.from(spend, (s) => Math.max(0, s + rng.normal(0, 150)));
  const zeros = new Float64Array(n);

  it('is marked: constant actuals, constant predictions, undefined metrics', () => {
    const flat = compareModels({ spend: zeros }, { a: { predicted: informative }, b: { predicted: zeros } });
    expect(flat.map((m) => m.degenerate)).toEqual(['constant-actuals', 'constant-actuals']);
    // Predicting 0 for everyone has RMSE 0 and R² 1 here, the figures the app used to star.
    expect(flat[1].regression.rmse).toBe(0);
    expect(flat[1].regression.r2).toBe(1);
    const [good, constant] = compareModels({ spend }, { a: { predicted: informative }, b: { predicted: new Float32Array(n).fill(7.25) } });
    expect(good.degenerate).toBeNull();
    expect(constant.degenerate).toBe('constant-predictions');
    // Actuals that sum to zero leave the normalized Gini undefined.
    const balanced = Float64Array.from({ length: n }, (_, i) => (i % 2 ? 10 : -10));
    const [undefinedGini] = compareModels({ spend: balanced }, { a: { predicted: informative } });
    expect(Number.isNaN(undefinedGini.regression.normalized_gini)).toBe(true);
    expect(undefinedGini.degenerate).toBe('undefined-metrics');
  });

  it('is never the best, even with the lowest RMSE', () => {
    // Mostly-zero actuals: predicting 0 for everyone beats a noisy but informative model on RMSE.
    const metrics = compareModels({ spend }, { informative: { predicted: informative }, zero: { predicted: zeros } });
    const zero = metrics.find((m) => m.model === 'zero')!;
    const good = metrics.find((m) => m.model === 'informative')!;
    expect(zero.regression.rmse).toBeLessThan(good.regression.rmse);
    expect(lowestRmseModel(metrics, () => true)).toBe('informative');
    const allDegenerate = compareModels({ spend: zeros }, { informative: { predicted: informative }, zero: { predicted: zeros } });
    expect(lowestRmseModel(allDegenerate, () => true)).toBeNull();
    // Results saved before the rule carry no `degenerate` field: they keep their RMSE choice.
    const saved = metrics.map(({ degenerate: _, ...rest }) => rest);
    expect(lowestRmseModel(saved, () => true)).toBe('zero');
  });

  it('is skipped by the segments and bundle choices of the CLI', () => {
    const metrics: ModelEvaluation[] = compareModels({ spend }, { ziln: { predicted: informative }, fnn: { predicted: informative } });
    // Give fnn the better Gini, then make its comparison degenerate: ziln must win.
    const fnn = metrics.find((m) => m.model === 'fnn')!;
    fnn.regression.normalized_gini = 0.99;
    const result = { metrics, predictions: { ziln: informative, fnn: informative }, nets: { ziln: {}, fnn: {} } } as unknown as EvaluationResult;
    expect(bestValueModel(result)).toBe('fnn');
    expect(bestBundleableModel(result)).toBe('fnn');
    fnn.degenerate = 'constant-predictions';
    expect(bestValueModel(result)).toBe('ziln');
    expect(bestBundleableModel(result)).toBe('ziln');
  });
});
