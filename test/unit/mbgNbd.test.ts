import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bgnbdUnconditionalExpected, fitBgNbdWithSummary } from '../../src/core/models/bgnbd';
import {
  fitMbgNbd,
  mbgNbdExpectedPurchases,
  mbgNbdLogLikelihood,
  mbgNbdProbabilityAlive,
  mbgNbdProbabilityNoPurchase,
  mbgNbdProbabilityPurchases,
  mbgNbdUnconditionalExpected,
  mbgNbdUnconditionalProbability,
  type MbgNbdParams,
} from '../../src/core/models/mbgNbd';
import { Rng } from '../../src/core/random';

const SUMMARY = path.resolve(import.meta.dirname, '../../../shared/datasets/cdnow/cdnow_customers_summary.csv');
/** Batislam et al.'s model on CDNOW as BTYDplus reports it (weeks). */
const PUBLISHED: MbgNbdParams = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };

function readSummary() {
  const lines = readFileSync(SUMMARY, 'utf8').trim().split('\n');
  expect(lines[0].trim()).toBe('ID,frequency,recency,T');
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  return { frequency: rows.map((r) => r[1]), recency: rows.map((r) => r[2]), T: rows.map((r) => r[3]) };
}

/**
 * Independent reference by 2-D numerical integration over λ ~ Gamma(r, α) (log grid) and
 * p ~ Beta(a, b) (logit grid). Individual likelihood: (1−p)^{x+1} λ^x e^{−λT} + p (1−p)^x λ^x e^{−λ t_x};
 * a live customer's expected purchases in t: (1 − e^{−λpt})/p.
 */
function integrated(q: MbgNbdParams, x: number, tx: number, T: number, t: number) {
  const step = 0.04;
  const lambdas: number[] = [];
  const lw: number[] = [];
  for (let u = -45; u <= 8; u += step) {
    const l = Math.exp(u);
    lambdas.push(l);
    lw.push(step * Math.exp(q.r * Math.log(q.alpha) + q.r * u - q.alpha * l - lgammaRef(q.r)));
  }
  const ps: number[] = [];
  const pw: number[] = [];
  for (let u = -45; u <= 45; u += step) {
    const logP = -Math.log1p(Math.exp(-u));
    const log1mP = -Math.log1p(Math.exp(u));
    ps.push(Math.exp(logP));
    // Beta density × dp/du = p^a (1−p)^b / B(a, b).
    pw.push(step * Math.exp(q.a * logP + q.b * log1mP + lgammaRef(q.a + q.b) - lgammaRef(q.a) - lgammaRef(q.b)));
  }
  let likelihood = 0;
  let expected = 0;
  for (let i = 0; i < lambdas.length; i++) {
    const l = lambdas[i];
    const aliveL = Math.pow(l, x) * Math.exp(-l * T);
    const goneL = Math.pow(l, x) * Math.exp(-l * tx);
    for (let j = 0; j < ps.length; j++) {
      const p = ps[j];
      const w = lw[i] * pw[j];
      const alive = Math.pow(1 - p, x + 1) * aliveL;
      likelihood += w * (alive + p * Math.pow(1 - p, x) * goneL);
      expected += w * alive * (-Math.expm1(-l * p * t) / p);
    }
  }
  return { likelihood, expected: expected / likelihood };
}

function lgammaRef(x: number): number {
  let shift = 0;
  while (x < 10) {
    shift += Math.log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680))) - shift;
}

describe('MBG/NBD on the CDNOW sample (weeks)', () => {
  const data = readSummary();
  const fit = fitMbgNbd(data);

  it('reproduces the published estimates and reports convergence, AIC and BIC', () => {
    for (const key of ['r', 'alpha', 'a', 'b'] as const) expect(Math.abs(fit.params[key] / PUBLISHED[key] - 1)).toBeLessThan(0.002);
    expect(fit.converged).toBe(true);
    expect(fit.message).toBeNull();
    expect(fit.gradientNorm).toBeLessThan(1e-5);
    expect(fit.aic).toBeCloseTo(8 - 2 * fit.logLikelihood, 9);
    const ll = (p: MbgNbdParams) => mbgNbdLogLikelihood(p, data);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      for (const factor of [0.99, 1.01]) expect(ll({ ...fit.params, [key]: fit.params[key] * factor })).toBeLessThan(fit.logLikelihood);
    }
    // Same data, same number of parameters: MBG/NBD and BG/NBD are compared by AIC directly.
    const bg = fitBgNbdWithSummary(data);
    expect(Math.abs(fit.logLikelihood - bg.logLikelihood)).toBeLessThan(5);
  });

  it('gives one-time buyers a P(alive) below 1 that falls with their age', () => {
    const young = mbgNbdProbabilityAlive(fit.params, 0, 0, 5);
    const old = mbgNbdProbabilityAlive(fit.params, 0, 0, 38);
    expect(young).toBeLessThan(1);
    expect(old).toBeLessThan(young);
  });
});

describe('MBG/NBD against numerical integration over λ and p', () => {
  it('likelihood and conditional expected purchases', () => {
    for (const [x, tx, T] of [
      [0, 0, 38],
      [2, 30.43, 38.86],
      [7, 29, 35],
    ]) {
      const ref = integrated(PUBLISHED, x, tx, T, 39);
      expect(Math.abs(mbgNbdLogLikelihood(PUBLISHED, { frequency: [x], recency: [tx], T: [T] }) - Math.log(ref.likelihood))).toBeLessThan(1e-7);
      expect(mbgNbdExpectedPurchases(PUBLISHED, 39, x, tx, T) / ref.expected).toBeCloseTo(1, 7);
    }
  });

  it('new-customer expectation equals the conditional one with no history, and the pmf sums to it', () => {
    for (const t of [1, 39, 100]) {
      const mean = mbgNbdUnconditionalExpected(PUBLISHED, t);
      expect(mbgNbdExpectedPurchases(PUBLISHED, t, 0, 0, 0)).toBeCloseTo(mean, 12);
      let total = 0;
      let m = 0;
      for (let n = 0; n < 500; n++) {
        const q = mbgNbdUnconditionalProbability(PUBLISHED, t, n);
        total += q;
        m += n * q;
      }
      expect(total).toBeCloseTo(1, 10);
      expect(m / mean).toBeCloseTo(1, 8);
      let ct = 0;
      let cm = 0;
      for (let n = 0; n < 500; n++) {
        const q = mbgNbdProbabilityPurchases(PUBLISHED, t, n, 3, 20, 30);
        ct += q;
        cm += n * q;
      }
      expect(ct).toBeCloseTo(1, 10);
      expect(cm / mbgNbdExpectedPurchases(PUBLISHED, t, 3, 20, 30)).toBeCloseTo(1, 8);
    }
    expect(mbgNbdProbabilityNoPurchase(PUBLISHED, 39, 3, 20, 30)).toBe(mbgNbdProbabilityPurchases(PUBLISHED, 39, 0, 3, 20, 30));
    // Dropping out at the first purchase too: fewer expected purchases than BG/NBD with the same parameters.
    expect(mbgNbdUnconditionalExpected(PUBLISHED, 39)).toBeLessThan(bgnbdUnconditionalExpected(PUBLISHED, 39));
  });

  it('agrees with simulating new customers (fixed seed)', () => {
    const rng = new Rng(5);
    const draws = 60_000;
    const t = 39;
    // Simulation: p from the Beta via its CDF on a grid, λ by the same; drop at time 0 with p,
    // then Poisson purchases each followed by a coin flip with p.
    const grid = (density: (v: number) => number, lo: number, hi: number, n: number) => {
      const v = Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * (i + 0.5)) / n);
      const c = new Float64Array(n);
      let acc = 0;
      for (let i = 0; i < n; i++) c[i] = acc += density(v[i]);
      return { v, c: c.map((x) => x / acc) };
    };
    const draw = (g: { v: Float64Array; c: Float64Array }, u: number) => {
      let lo = 0;
      let hi = g.c.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (g.c[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      return g.v[lo];
    };
    // In log λ and logit p, where the densities are smooth.
    const logLambda = grid((u) => Math.exp(PUBLISHED.r * u - PUBLISHED.alpha * Math.exp(u)), -40, 5, 200_000);
    const logitP = grid((u) => Math.exp(-PUBLISHED.a * Math.log1p(Math.exp(-u)) - PUBLISHED.b * Math.log1p(Math.exp(u))), -40, 40, 200_000);
    let zero = 0;
    let sum = 0;
    for (let k = 0; k < draws; k++) {
      const lambda = Math.exp(draw(logLambda, rng.uniform()));
      const p = 1 / (1 + Math.exp(-draw(logitP, rng.uniform())));
      let n = 0;
      if (rng.uniform() >= p) {
        let clock = -Math.log(1 - rng.uniform()) / lambda;
        while (clock < t) {
          n++;
          if (rng.uniform() < p) break;
          clock += -Math.log(1 - rng.uniform()) / lambda;
        }
      }
      if (n === 0) zero++;
      sum += n;
    }
    const p0 = mbgNbdUnconditionalProbability(PUBLISHED, t, 0);
    expect(Math.abs(zero / draws - p0)).toBeLessThan(4 * Math.sqrt((p0 * (1 - p0)) / draws));
    expect(Math.abs(sum / draws / mbgNbdUnconditionalExpected(PUBLISHED, t) - 1)).toBeLessThan(0.04);
  });
});
