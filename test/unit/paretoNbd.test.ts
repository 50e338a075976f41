import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/random';
import {
  fitParetoNbd,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  paretoNbdProbabilityNoPurchase,
  paretoNbdProbabilityPurchases,
  paretoNbdUnconditionalExpected,
  paretoNbdUnconditionalProbability,
  type ParetoNbdParams,
} from '../../src/core/models/paretoNbd';

const SUMMARY = path.resolve(import.meta.dirname, '../../../shared/datasets/cdnow/cdnow_customers_summary.csv');
/** Fader & Hardie's CDNOW estimates (weeks). */
const PUBLISHED: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

/** Reads the summary; a missing file fails the test (readFileSync throws). */
function readSummary() {
  const lines = readFileSync(SUMMARY, 'utf8').trim().split('\n');
  expect(lines[0].trim()).toBe('ID,frequency,recency,T');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  return { frequency: rows.map((r) => r[1]), recency: rows.map((r) => r[2]), T: rows.map((r) => r[3]) };
}

/** Log-spaced trapezoid nodes: ∫ f(v) dv over (0, ∞) as Σ w f(e^u) e^u, spectrally accurate for smooth decaying f. */
function logGrid(lo = -45, hi = 8, step = 0.025): { v: Float64Array; w: Float64Array } {
  const n = Math.round((hi - lo) / step) + 1;
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    v[i] = Math.exp(lo + i * step);
    w[i] = v[i] * step;
  }
  return { v, w };
}

const logGammaFn = (x: number): number => {
  // Independent of the engine's lgamma: Stirling with enough correction terms after shifting x ≥ 10.
  let shift = 0;
  while (x < 10) {
    shift += Math.log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680))) - shift;
};
const gammaDensity = (v: number, shape: number, rate: number) => Math.exp(shape * Math.log(rate) + (shape - 1) * Math.log(v) - rate * v - logGammaFn(shape));

/**
 * The individual-level Pareto/NBD likelihood mixed over λ ~ Gamma(r, α), μ ~ Gamma(s, β) by 2-D
 * numerical integration: L(λ, μ) = λ^x e^{−(λ+μ)T} + μ/(λ+μ) λ^x (e^{−(λ+μ)t_x} − e^{−(λ+μ)T}).
 * Also returns E[Y(t)] = ∫∫ λ^x e^{−(λ+μ)T} (λ/μ)(1 − e^{−μt}) / ∫∫ L, from the same grid.
 */
function integrated(p: ParetoNbdParams, x: number, tx: number, T: number, t: number) {
  const { v, w } = logGrid();
  const gl = Float64Array.from(v, (l) => gammaDensity(l, p.r, p.alpha));
  const gm = Float64Array.from(v, (m) => gammaDensity(m, p.s, p.beta));
  let likelihood = 0;
  let expected = 0;
  for (let i = 0; i < v.length; i++) {
    const l = v[i];
    if (gl[i] === 0) continue;
    const lx = Math.pow(l, x);
    for (let j = 0; j < v.length; j++) {
      const m = v[j];
      const weight = w[i] * w[j] * gl[i] * gm[j];
      if (weight === 0) continue;
      const alive = lx * Math.exp(-(l + m) * T);
      const dead = (m / (l + m)) * lx * (Math.exp(-(l + m) * tx) - Math.exp(-(l + m) * T));
      likelihood += weight * (alive + dead);
      expected += weight * alive * (l / m) * -Math.expm1(-m * t);
    }
  }
  return { likelihood, expected: expected / likelihood };
}

describe('Pareto/NBD on the CDNOW sample (weeks)', () => {
  const data = readSummary();
  const fit = fitParetoNbd(data);

  it('reproduces the published estimates and log-likelihood, and reports convergence', () => {
    expect(data.frequency).toHaveLength(2357);
    for (const key of ['r', 'alpha', 's', 'beta'] as const) expect(Math.abs(fit.params[key] / PUBLISHED[key] - 1)).toBeLessThan(0.002);
    expect(fit.logLikelihood).toBeCloseTo(-9595.0, 1);
    expect(fit.converged).toBe(true);
    expect(fit.message).toBeNull();
    expect(fit.gradientNorm).toBeLessThan(1e-5);
    expect(fit.iterations).toBeGreaterThan(0);
    expect(fit.aic).toBeCloseTo(2 * 4 - 2 * fit.logLikelihood, 9);
    expect(fit.bic).toBeCloseTo(4 * Math.log(2357) - 2 * fit.logLikelihood, 9);
  });

  it('is a maximum, and its standard errors match the curvature of the likelihood', () => {
    const ll = (p: ParetoNbdParams) => paretoNbdLogLikelihood(p, data);
    const best = ll(fit.params);
    for (const key of ['r', 'alpha', 's', 'beta'] as const) {
      for (const factor of [0.99, 1.01]) expect(ll({ ...fit.params, [key]: fit.params[key] * factor })).toBeLessThan(best);
    }
    // Independent: a profile-free check on one parameter. With the others at the optimum, the
    // second difference of LL in log r is bounded by the full information: 1/SE²(log r) ≤ −∂²LL.
    const h = 0.01;
    const at = (d: number) => ll({ ...fit.params, r: fit.params.r * Math.exp(d) });
    const curvature = -(at(h) - 2 * best + at(-h)) / (h * h);
    const seLog = fit.summary.r.standardError / fit.params.r;
    expect(1 / seLog ** 2).toBeLessThanOrEqual(curvature * 1.001);
    for (const key of ['r', 'alpha', 's', 'beta'] as const) {
      const s = fit.summary[key];
      expect(s.lower95).toBeLessThan(s.value);
      expect(s.upper95).toBeGreaterThan(s.value);
      expect(s.standardError).toBeGreaterThan(0);
    }
  });

  it('gives the published E[Y(52) | x=26, t_x=30.86, T=31] = 25.46', () => {
    expect(paretoNbdExpectedPurchases(PUBLISHED, 52, 26, 30.86, 31)).toBeCloseTo(25.46, 2);
  });
});

describe('Pareto/NBD against numerical integration over λ and μ', () => {
  // Both orderings of α and β, so both hypergeometric branches of A₀ are checked.
  const cases: ParetoNbdParams[] = [PUBLISHED, { r: 0.8, alpha: 12, s: 1.3, beta: 3 }];
  const customers = [
    [0, 0, 38],
    [2, 30.43, 38.86],
    [5, 10, 35],
    [1, 20, 20],
  ];
  for (const p of cases) {
    it(`likelihood, P(alive) and E[Y(t)] (α ${p.alpha > p.beta ? '>' : '<'} β)`, () => {
      for (const [x, tx, T] of customers) {
        const ref = integrated(p, x, tx, T, 39);
        const ll = paretoNbdLogLikelihood(p, { frequency: [x], recency: [tx], T: [T] });
        expect(Math.abs(ll - Math.log(ref.likelihood))).toBeLessThan(1e-7);
        expect(paretoNbdExpectedPurchases(p, 39, x, tx, T) / ref.expected).toBeCloseTo(1, 7);
        const alive = paretoNbdProbabilityAlive(p, x, tx, T);
        expect(alive).toBeGreaterThan(0);
        expect(alive).toBeLessThanOrEqual(1);
      }
      // One-time buyers are not assumed alive (BG/NBD would say exactly 1).
      expect(paretoNbdProbabilityAlive(p, 0, 0, 38)).toBeLessThan(0.99);
    });
  }
});

describe('Pareto/NBD purchase-count probabilities', () => {
  it('form a distribution whose mean is E[X(t)], for new and existing customers', () => {
    for (const t of [1, 39, 104]) {
      let total = 0;
      let mean = 0;
      for (let n = 0; n < 400; n++) {
        const q = paretoNbdUnconditionalProbability(PUBLISHED, t, n);
        expect(q).toBeGreaterThanOrEqual(0);
        total += q;
        mean += n * q;
      }
      expect(total).toBeCloseTo(1, 10);
      expect(mean / paretoNbdUnconditionalExpected(PUBLISHED, t)).toBeCloseTo(1, 8);
      let condTotal = 0;
      let condMean = 0;
      for (let n = 0; n < 400; n++) {
        const q = paretoNbdProbabilityPurchases(PUBLISHED, t, n, 4, 25, 36);
        condTotal += q;
        condMean += n * q;
      }
      expect(condTotal).toBeCloseTo(1, 10);
      expect(condMean / paretoNbdExpectedPurchases(PUBLISHED, t, 4, 25, 36)).toBeCloseTo(1, 8);
    }
    expect(paretoNbdProbabilityNoPurchase(PUBLISHED, 39, 4, 25, 36)).toBe(paretoNbdProbabilityPurchases(PUBLISHED, 39, 0, 4, 25, 36));
  });

  it('agree with simulating new customers (fixed seed)', () => {
    const rng = new Rng(11);
    const draws = 100_000;
    const t = 39;
    const counts = new Float64Array(4);
    let sum = 0;
    // Gamma by summing exponentials is too slow for fractional shapes; use the λ, μ grids instead:
    // inverse-CDF sampling from the tabulated Gamma densities on the log grid.
    const { v, w } = logGrid(-30, 6, 0.005);
    const cdf = (shape: number, rate: number) => {
      const c = new Float64Array(v.length);
      let acc = 0;
      for (let i = 0; i < v.length; i++) c[i] = acc += w[i] * gammaDensity(v[i], shape, rate);
      return c.map((x) => x / acc);
    };
    const lambdaCdf = cdf(PUBLISHED.r, PUBLISHED.alpha);
    const muCdf = cdf(PUBLISHED.s, PUBLISHED.beta);
    const inverse = (c: Float64Array, u: number) => {
      let lo = 0;
      let hi = c.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (c[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      return v[lo];
    };
    for (let k = 0; k < draws; k++) {
      const lambda = inverse(lambdaCdf, rng.uniform());
      const mu = inverse(muCdf, rng.uniform());
      const lifetime = -Math.log(1 - rng.uniform()) / mu;
      const exposure = Math.min(lifetime, t);
      // Poisson(λ·exposure) by counting exponential gaps.
      let n = 0;
      let clock = -Math.log(1 - rng.uniform()) / lambda;
      while (clock < exposure) {
        n++;
        clock += -Math.log(1 - rng.uniform()) / lambda;
      }
      if (n < counts.length) counts[n]++;
      sum += n;
    }
    for (let n = 0; n < counts.length; n++) {
      const p = paretoNbdUnconditionalProbability(PUBLISHED, t, n);
      const se = Math.sqrt((p * (1 - p)) / draws);
      expect(Math.abs(counts[n] / draws - p)).toBeLessThan(4 * se + 1e-3);
    }
    expect(Math.abs(sum / draws / paretoNbdUnconditionalExpected(PUBLISHED, t) - 1)).toBeLessThan(0.05);
  });
});
