import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { invertPositiveDefinite } from '../../src/core/math/matrix';
import { numericGradient, numericHessian } from '../../src/core/math/numericDerivatives';
import { integrate } from '../../src/core/math/quadrature';
import { bfgs } from '../../src/core/math/quasiNewton';
import { sampleBeta, sampleGamma, sampleGeometric, samplePoisson } from '../../src/core/math/sampling';
import { chiSquareSurvival } from '../../src/core/math/special';
import {
  bgnbdExpectedPurchases,
  bgnbdProbabilityNoPurchase,
  bgnbdProbabilityPurchases,
  bgnbdUnconditionalExpected,
  bgnbdUnconditionalProbability,
  fitBgNbdWithSummary,
  type BgNbdParams,
} from '../../src/core/models/bgnbd';
import { fitMaximumLikelihood, likelihoodRatioTest } from '../../src/core/models/maximumLikelihood';
import { compareTransactionModels } from '../../src/core/models/modelComparison';
import { fitParetoNbd } from '../../src/core/models/paretoNbd';
import { Rng } from '../../src/core/random';

const SUMMARY = path.resolve(import.meta.dirname, '../../../shared/datasets/cdnow/cdnow_customers_summary.csv');
const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

function readSummary() {
  const lines = readFileSync(SUMMARY, 'utf8').trim().split('\n');
  expect(lines[0].trim()).toBe('ID,frequency,recency,T');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  return { frequency: rows.map((r) => r[1]), recency: rows.map((r) => r[2]), T: rows.map((r) => r[3]) };
}

describe('BG/NBD published figures (CDNOW sample, weeks)', () => {
  const data = readSummary();
  const fit = fitBgNbdWithSummary(data);

  it('estimates, log-likelihood −9582.4, convergence and standard errors', () => {
    for (const key of ['r', 'alpha', 'a', 'b'] as const) expect(Math.abs(fit.params[key] / PUBLISHED[key] - 1)).toBeLessThan(0.002);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(fit.converged).toBe(true);
    expect(fit.gradientNorm).toBeLessThan(1e-5);
    expect(fit.bic).toBeCloseTo(4 * Math.log(2357) - 2 * fit.logLikelihood, 9);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) expect(fit.summary[key].standardError).toBeGreaterThan(0);
  });

  it('E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226', () => {
    expect(bgnbdExpectedPurchases(PUBLISHED, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });

  it('P(X(39)=0) = 0.5737864 and P(X(2)=10) = 1.07869e-07 for a new customer', () => {
    expect(bgnbdUnconditionalProbability(PUBLISHED, 39, 0)).toBeCloseTo(0.5737864, 7);
    expect(bgnbdUnconditionalProbability(PUBLISHED, 2, 10) / 1.07869e-7).toBeCloseTo(1, 4);
  });

  it('E[X(t)] at t = 1, 3, 32, 78 for a new customer: 0.0532, 0.1506, 1.0437, 1.8576 (fitted parameters)', () => {
    const expected = [0.0532, 0.1506, 1.0437, 1.8576];
    [1, 3, 32, 78].forEach((t, i) => expect(Math.abs(bgnbdUnconditionalExpected(fit.params, t) - expected[i])).toBeLessThan(6e-4));
  });

  it('conditional purchase-count probabilities sum to 1 with mean E[Y(t)]; P(none) is their n = 0', () => {
    let total = 0;
    let mean = 0;
    for (let n = 0; n < 300; n++) {
      const q = bgnbdProbabilityPurchases(PUBLISHED, 39, n, 2, 30.43, 38.86);
      total += q;
      mean += n * q;
    }
    expect(total).toBeCloseTo(1, 12);
    expect(mean).toBeCloseTo(1.226, 3);
    expect(bgnbdProbabilityNoPurchase(PUBLISHED, 39, 2, 30.43, 38.86)).toBe(bgnbdProbabilityPurchases(PUBLISHED, 39, 0, 2, 30.43, 38.86));
    // A new customer: conditional on no history equals unconditional.
    expect(bgnbdProbabilityPurchases(PUBLISHED, 39, 3, 0, 0, 0)).toBeCloseTo(bgnbdUnconditionalProbability(PUBLISHED, 39, 3), 14);
  });

  it('compares with Pareto/NBD by AIC, and tests the NBD (no dropout) nested in both by likelihood ratio', () => {
    const pnbd = fitParetoNbd(data);
    // The NBD: Γ(r+x)α^r / (Γ(r)(α+T)^{r+x}), fitted by the same machinery.
    const nbd = fitMaximumLikelihood(
      'NBD',
      ['r', 'alpha'] as const,
      ({ r, alpha }) => {
        let total = 0;
        for (let i = 0; i < data.frequency.length; i++) {
          const x = data.frequency[i];
          let lg = 0;
          for (let k = 0; k < x; k++) lg += Math.log(r + k);
          total += lg + r * Math.log(alpha) - (r + x) * Math.log(alpha + data.T[i]);
        }
        return total;
      },
      2357,
      [1, 30],
    );
    expect(nbd.converged).toBe(true);
    for (const full of [fit, pnbd]) {
      const test = likelihoodRatioTest(nbd, full);
      expect(test.df).toBe(2);
      expect(test.statistic).toBeCloseTo(2 * (full.logLikelihood - nbd.logLikelihood), 9);
      expect(test.pValue).toBeLessThan(1e-6);
    }
    // BG/NBD fits CDNOW slightly better than Pareto/NBD (−9582.4 vs −9595.0), same parameter count.
    expect(fit.aic).toBeLessThan(pnbd.aic);
    expect(() => likelihoodRatioTest(fit, pnbd)).toThrow(/more parameters/);
    // The comparison table: the module's NBD equals the one written out above, rows sorted by AIC.
    const table = compareTransactionModels(data, [
      { model: 'BG/NBD', ...fit },
      { model: 'Pareto/NBD', ...pnbd },
    ]);
    expect(table.map((r) => r.model)).toEqual(['BG/NBD', 'Pareto/NBD', 'NBD']);
    expect(table[0].deltaAic).toBe(0);
    const nbdRow = table.find((r) => r.model === 'NBD')!;
    expect(nbdRow.logLikelihood).toBeCloseTo(nbd.logLikelihood, 6);
    expect(nbdRow.versusNbd).toBeNull();
    expect(table[1].deltaAic).toBeCloseTo(pnbd.aic - fit.aic, 9);
    expect(table[0].versusNbd!.statistic).toBeCloseTo(2 * (fit.logLikelihood - nbd.logLikelihood), 4);
  });

  it('says clearly when a fit did not converge', () => {
    const stopped = fitParetoNbd(data, { maxIterations: 3 });
    expect(stopped.converged).toBe(false);
    expect(stopped.message).toMatch(/Pareto\/NBD did not converge: the gradient norm is still .* after \d+ iterations/);
  });
});

describe('numerical helpers', () => {
  const rosenbrock = (x: Float64Array) => (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2;

  it('gradient and Hessian match the analytic ones; the inverse is an inverse', () => {
    const x = Float64Array.from([0.3, -0.4]);
    const g = numericGradient(rosenbrock, x);
    expect(g[0]).toBeCloseTo(-2 * (1 - 0.3) - 400 * 0.3 * (-0.4 - 0.09), 6);
    expect(g[1]).toBeCloseTo(200 * (-0.4 - 0.09), 6);
    const H = numericHessian(rosenbrock, x);
    expect(H[0][0]).toBeCloseTo(2 - 400 * (-0.4 - 0.09) + 800 * 0.09, 3);
    expect(H[0][1]).toBeCloseTo(-400 * 0.3, 3);
    expect(H[1][1]).toBeCloseTo(200, 3);
    const A = [Float64Array.from([4, 1, 0.5]), Float64Array.from([1, 3, 0.2]), Float64Array.from([0.5, 0.2, 2])];
    const inv = invertPositiveDefinite(A)!;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(A[i].reduce((s, v, k) => s + v * inv[k][j], 0)).toBeCloseTo(i === j ? 1 : 0, 12);
    expect(invertPositiveDefinite([Float64Array.from([1, 2]), Float64Array.from([2, 1])])).toBeNull();
  });

  it('BFGS finds the Rosenbrock minimum and reports its gradient norm', () => {
    const result = bfgs(rosenbrock, [-1.2, 1], { maxIterations: 500, gradientTolerance: 1e-6 });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 4);
    expect(result.x[1]).toBeCloseTo(1, 4);
    expect(result.gradientNorm).toBeLessThanOrEqual(1e-6);
  });

  it('Gauss-Legendre integrates smooth functions to full precision', () => {
    expect(integrate(Math.sin, 0, Math.PI)).toBeCloseTo(2, 13);
    expect(integrate((x) => Math.exp(-x * x), -6, 6)).toBeCloseTo(Math.sqrt(Math.PI), 12);
  });

  it('chi-square tail: known quantiles', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 10);
    expect(chiSquareSurvival(5.991464547107979, 2)).toBeCloseTo(0.05, 10);
    // df = 2: exactly e^{−x/2}.
    expect(chiSquareSurvival(40, 2)).toBeCloseTo(Math.exp(-20), 20);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });

  it('samplers have the right means and variances (fixed seed)', () => {
    const rng = new Rng(3);
    const n = 100_000;
    const moments = (draw: () => number) => {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const v = draw();
        s += v;
        s2 += v * v;
      }
      return { mean: s / n, variance: s2 / n - (s / n) ** 2 };
    };
    for (const [shape, rate] of [
      [0.3, 2],
      [2.5, 0.5],
    ]) {
      const m = moments(() => sampleGamma(rng, shape, rate));
      expect(m.mean / (shape / rate)).toBeCloseTo(1, 1);
      expect(m.variance / (shape / rate ** 2)).toBeCloseTo(1, 1);
    }
    const b = moments(() => sampleBeta(rng, 0.8, 2.4));
    expect(b.mean).toBeCloseTo(0.25, 2);
    for (const mean of [3, 40, 900]) {
      const m = moments(() => samplePoisson(rng, mean));
      expect(m.mean / mean).toBeCloseTo(1, 2);
      expect(m.variance / mean).toBeCloseTo(1, 1);
    }
    expect(moments(() => sampleGeometric(rng, 0.2)).mean).toBeCloseTo(5, 1);
  });
});
