import { describe, expect, it } from 'vitest';
import { evaluateModels, type EvaluationData } from '../../src/core/evaluate/evaluateModels';
import { FEATURE_NAMES } from '../../src/core/featureNames';
import { paretoNbdExpectedPurchases, paretoNbdProbabilityAlive, paretoNbdProbabilityNoPurchase } from '../../src/core/models/paretoNbd';
import { fitTransactionModel, forecastIntervals, forecastTransactionModel, intervalCoverage } from '../../src/core/models/transactionForecast';
import { Rng } from '../../src/core/random';
import { sampleGamma } from '../support/sampling';

const TRUE = { r: 0.6, alpha: 8, s: 0.8, beta: 12 };
const SPEND = { p: 6, q: 4, v: 15 };
const HORIZON = 39;

/**
 * Customers drawn from Pareto/NBD (weeks) with Gamma-Gamma spend, observed for T ∈ [20, 40] weeks
 * after their first purchase and then for a 39-week holdout: the world the models assume, so their
 * 90% predictive intervals must hold about 90% of the actual holdout spends.
 */
function simulate(n: number, seed: number) {
  const rng = new Rng(seed);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  const monetary = new Float64Array(n);
  const holdoutSpend = new Float64Array(n);
  const holdoutOrders = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = sampleGamma(rng, TRUE.r, TRUE.alpha);
    const mu = sampleGamma(rng, TRUE.s, TRUE.beta);
    const nu = sampleGamma(rng, SPEND.q, SPEND.v);
    const lifetime = -Math.log(1 - rng.uniform()) / mu;
    const age = 20 + Math.round(rng.uniform(0, 20) * 7) / 7;
    const end = Math.min(lifetime, age + HORIZON);
    let clock = -Math.log(1 - rng.uniform()) / lambda;
    let x = 0;
    let last = 0;
    let spend = 0;
    while (clock < end) {
      const value = sampleGamma(rng, SPEND.p, nu);
      if (clock <= age) {
        x++;
        last = clock;
        spend += value;
      } else {
        holdoutOrders[i]++;
        holdoutSpend[i] += value;
      }
      clock += -Math.log(1 - rng.uniform()) / lambda;
    }
    frequency[i] = x;
    recency[i] = last;
    T[i] = age;
    monetary[i] = x > 0 ? spend / x : 0;
  }
  return { btyd: { frequency, recency, T, monetary }, holdoutSpend, holdoutOrders };
}

describe('transaction model forecasts and intervals on data drawn from Pareto/NBD', () => {
  const data = simulate(3000, 21);
  const fit = fitTransactionModel('pnbd', data.btyd);
  const forecast = forecastTransactionModel(fit, data.btyd, { horizon: HORIZON });
  const all = Int32Array.from({ length: 3000 }, (_, i) => i);

  it('recovers the parameters and forecasts the holdout purchases in total', () => {
    expect(fit.model.converged).toBe(true);
    for (const [key, value] of Object.entries(TRUE)) {
      const s = fit.model.summary[key];
      // The 95% interval holds the truth (a wide check: four intervals, 5% miss each at most).
      expect(s.lower95).toBeLessThan(value * 1.15);
      expect(s.upper95).toBeGreaterThan(value / 1.15);
    }
    const predicted = forecast.expectedPurchases.reduce((s, v) => s + v, 0);
    const actual = data.holdoutOrders.reduce((s, v) => s + v, 0);
    expect(Math.abs(predicted / actual - 1)).toBeLessThan(0.08);
    // Each column is the model's own function for that customer.
    for (const i of [0, 7, 100]) {
      const [x, tx, T] = [data.btyd.frequency[i], data.btyd.recency[i], data.btyd.T[i]];
      const p = fit.model.params as typeof TRUE;
      expect(forecast.pAlive[i]).toBe(paretoNbdProbabilityAlive(p, x, x === 0 ? 0 : tx, T));
      expect(forecast.expectedPurchases[i]).toBe(paretoNbdExpectedPurchases(p, HORIZON, x, x === 0 ? 0 : tx, T));
      expect(forecast.probabilityNoPurchase[i]).toBe(paretoNbdProbabilityNoPurchase(p, HORIZON, x, x === 0 ? 0 : tx, T));
      expect(forecast.horizonSpend[i]).toBeCloseTo(forecast.expectedPurchases[i] * forecast.expectedSpendPerPurchase[i], 12);
    }
  });

  it('90% predictive intervals hold about 90% of actual holdout spends; expectation intervals surround the point forecast', () => {
    const { intervals } = forecastIntervals(fit, data.btyd, data.btyd, { horizon: HORIZON, seed: 3, draws: 200 });
    expect(intervals).not.toBeNull();
    const coverage = intervalCoverage(data.holdoutSpend, intervals!.actualSpend, all);
    expect(coverage).toBeGreaterThan(0.86);
    expect(coverage).toBeLessThan(0.96);
    let inside = 0;
    for (let i = 0; i < 3000; i++) {
      const { lower, upper } = intervals!.horizonSpend;
      expect(lower[i]).toBeLessThanOrEqual(upper[i]);
      if (forecast.horizonSpend[i] >= lower[i] && forecast.horizonSpend[i] <= upper[i]) inside++;
    }
    expect(inside / 3000).toBeGreaterThan(0.97);
    // The expectation's interval alone would miss most actual outcomes (which are mostly 0 or a few purchases).
    expect(intervalCoverage(data.holdoutSpend, intervals!.horizonSpend, all)).toBeLessThan(0.5);
    // Fixed seed: the same intervals again.
    const again = forecastIntervals(fit, data.btyd, data.btyd, { horizon: HORIZON, seed: 3, draws: 200 }).intervals!;
    expect(Array.from(again.actualSpend.upper)).toEqual(Array.from(intervals!.actualSpend.upper));
  });

  it('runs in the evaluation as pnbd-gg and mbgnbd-gg next to bgnbd-gg, with interval coverage', async () => {
    const n = 3000;
    const d = FEATURE_NAMES.length;
    const evaluation: EvaluationData = {
      customerIds: Array.from({ length: n }, (_, i) => `c${i}`),
      featureNames: [...FEATURE_NAMES],
      X: new Float32Array(n * d),
      holdoutSpend: data.holdoutSpend,
      holdoutOrders: data.holdoutOrders,
      btyd: data.btyd,
      unitDays: 7,
      horizonDays: HORIZON * 7,
    };
    const result = await evaluateModels(evaluation, { models: ['bgnbd-gg', 'pnbd-gg', 'mbgnbd-gg'], seed: 9 });
    expect(result.metrics.map((m) => m.model)).toEqual(['bgnbd-gg', 'mbgnbd-gg', 'pnbd-gg']);
    expect(Array.from(result.predictions['pnbd-gg']!)).toEqual(Array.from(result.transactionModels['pnbd-gg']!.horizonSpend));
    for (const name of ['bgnbd-gg', 'pnbd-gg', 'mbgnbd-gg'] as const) {
      const coverage = result.intervalCoverage[name]!;
      // Checked on the test customers against a coverage recomputed from the intervals here.
      expect(coverage).toBe(intervalCoverage(data.holdoutSpend, result.intervals[name]!.actualSpend, result.testIndices));
      expect(coverage).toBeGreaterThan(0.8);
      expect(coverage).toBeLessThan(0.98);
    }
    const pnbd = result.metrics.find((m) => m.model === 'pnbd-gg')!;
    expect(pnbd.churn).not.toBeNull();
    expect(pnbd.regression.normalized_gini).toBeGreaterThan(0.3);
  });
});
