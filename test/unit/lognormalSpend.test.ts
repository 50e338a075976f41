/**
 * The lognormal spend model (models/lognormalSpend.ts) against references computed here, not by
 * the model's own formulas: customers drawn from known μ₀, τ², σ²; each customer's full marginal
 * likelihood written from the raw log spends (a multivariate normal with covariance σ²I + τ²11ᵀ,
 * through the matrix determinant lemma and Sherman–Morrison); and each posterior mean by numerical
 * integration over the customer's log mean.
 */
import { describe, expect, it } from 'vitest';
import { fitLognormalSpend, lognormalExpectedSpend, MIN_REPEAT_CUSTOMERS } from '../../src/core/models/lognormalSpend';
import { Rng } from '../../src/core/random';

interface Drawn {
  logs: number[][];
  stats: { days: Float64Array; mean: Float64Array; squares: Float64Array };
}

function draw(customers: number, mu0: number, tau: number, sigma: number, seed: number, maxDays = 6): Drawn {
  const rng = new Rng(seed);
  const logs = Array.from({ length: customers }, () => {
    const mu = rng.normal(mu0, tau);
    return Array.from({ length: 1 + rng.int(maxDays) }, () => rng.normal(mu, sigma));
  });
  return { logs, stats: statsOf(logs) };
}

function statsOf(logs: number[][]): Drawn['stats'] {
  const days = Float64Array.from(logs, (l) => l.length);
  const mean = Float64Array.from(logs, (l) => (l.length ? l.reduce((a, b) => a + b, 0) / l.length : 0));
  const squares = Float64Array.from(logs, (l, i) => l.reduce((a, x) => a + (x - mean[i]) ** 2, 0));
  return { days, mean, squares };
}

/** log N(l; μ₀1, σ²I + τ²11ᵀ) summed over customers, from the raw values (constants dropped). */
function fullLogLikelihood(logs: number[][], mu0: number, tau2: number, sigma2: number): number {
  let total = 0;
  for (const l of logs) {
    const n = l.length;
    // det(σ²I + τ²11ᵀ) = σ^(2n) (1 + nτ²/σ²); inverse = I/σ² − τ² 11ᵀ / (σ²(σ² + nτ²)).
    const logDet = n * Math.log(sigma2) + Math.log(1 + (n * tau2) / sigma2);
    const d = l.map((x) => x - mu0);
    const sumSq = d.reduce((a, x) => a + x * x, 0);
    const sum = d.reduce((a, x) => a + x, 0);
    const quad = sumSq / sigma2 - (tau2 * sum * sum) / (sigma2 * (sigma2 + n * tau2));
    total += -0.5 * (logDet + quad);
  }
  return total;
}

/** E[exp(μ + ε)] given a customer's log spends, by integrating over μ on a fine grid (ε ~ N(0, σ²) independent). */
function posteriorMeanByQuadrature(l: number[], mu0: number, tau2: number, sigma2: number): number {
  let num = 0;
  let den = 0;
  const sd = Math.sqrt(tau2);
  for (let k = -40_000; k <= 40_000; k++) {
    const mu = mu0 + (k / 4000) * sd;
    let logw = -((mu - mu0) ** 2) / (2 * tau2);
    for (const x of l) logw -= (x - mu) ** 2 / (2 * sigma2);
    const w = Math.exp(logw);
    num += w * Math.exp(mu + sigma2 / 2);
    den += w;
  }
  return num / den;
}

describe('fitLognormalSpend', () => {
  it('recovers the parameters customers were drawn from', () => {
    const { stats } = draw(8000, 3.1, 1.3, 0.7, 11);
    const fit = fitLognormalSpend(stats)!;
    expect(fit.customers).toBe(8000);
    expect(fit.mu0).toBeCloseTo(3.1, 1);
    expect(Math.sqrt(fit.tau2)).toBeGreaterThan(1.2);
    expect(Math.sqrt(fit.tau2)).toBeLessThan(1.4);
    expect(Math.sqrt(fit.sigma2)).toBeGreaterThan(0.66);
    expect(Math.sqrt(fit.sigma2)).toBeLessThan(0.74);
  });

  it('maximises the full likelihood of the raw log spends', () => {
    const { logs, stats } = draw(600, 2.0, 0.9, 1.1, 5);
    const fit = fitLognormalSpend(stats)!;
    const best = fullLogLikelihood(logs, fit.mu0, fit.tau2, fit.sigma2);
    for (const [dm, ft, fs] of [
      [0.05, 1, 1],
      [-0.05, 1, 1],
      [0, 1.05, 1],
      [0, 0.95, 1],
      [0, 1, 1.05],
      [0, 1, 0.95],
    ]) {
      expect(fullLogLikelihood(logs, fit.mu0 + dm, fit.tau2 * ft, fit.sigma2 * fs)).toBeLessThan(best);
    }
  });

  it('needs customers with two or more positive days to tell σ² from τ²', () => {
    const { stats } = draw(500, 2, 1, 0.5, 3, 1);
    expect(fitLognormalSpend(stats)).toBeNull();
    const few = draw(MIN_REPEAT_CUSTOMERS - 1, 2, 1, 0.5, 4, 1);
    few.logs.forEach((l) => l.push(l[0] + 0.3));
    expect(fitLognormalSpend(statsOf(few.logs))).toBeNull();
    const enough = draw(MIN_REPEAT_CUSTOMERS, 2, 1, 0.5, 4, 1);
    enough.logs.forEach((l) => l.push(l[0] + 0.3));
    expect(fitLognormalSpend(statsOf(enough.logs))).not.toBeNull();
  });

  it('leaves out customers without a positive day and non-finite statistics', () => {
    const { stats } = draw(400, 2, 1, 0.5, 9);
    const fit = fitLognormalSpend(stats)!;
    const padded = {
      days: Float64Array.from([...stats.days, 0, 2]),
      mean: Float64Array.from([...stats.mean, 0, Number.NaN]),
      squares: Float64Array.from([...stats.squares, 0, 1]),
    };
    const again = fitLognormalSpend(padded)!;
    expect(again.customers).toBe(400);
    expect(again.mu0).toBeCloseTo(fit.mu0, 9);
  });
});

describe('lognormalExpectedSpend', () => {
  it('is the posterior mean of a purchase day\'s spend, as integrated numerically', () => {
    const fit = { mu0: 3, tau2: 1.5, sigma2: 0.6 };
    const customers = [[], [2.1], [4.5, 5.0, 4.2], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]];
    const got = lognormalExpectedSpend(fit, statsOf(customers));
    customers.forEach((l, i) => expect(got[i] / posteriorMeanByQuadrature(l, fit.mu0, fit.tau2, fit.sigma2)).toBeCloseTo(1, 6));
    // No positive day: the population's mean spend, exp(μ₀ + (τ² + σ²)/2).
    expect(got[0]).toBeCloseTo(Math.exp(3 + (1.5 + 0.6) / 2), 6);
  });
});
