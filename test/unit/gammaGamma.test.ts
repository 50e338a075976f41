import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/random';
import {
  fitGammaGamma,
  gammaGammaExpectedSpend,
  gammaGammaExpectedSpendMany,
  gammaGammaLogLikelihood,
  type GammaGammaParams,
  type SpendColumns,
} from '../../src/core/models/gammaGamma';
import { gammaGammaLogLikelihoodReference, lnGammaStirling } from '../support/btydReference';
import { cdnowFile } from '../support/cdnowData';
import { sampleGamma } from '../support/sampling';

/** Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value": CDNOW sample estimates. */
const PUBLISHED: GammaGammaParams = { p: 6.25, q: 3.74, v: 15.44 };

function readCdnow(): SpendColumns & { ids: number[] } {
  const file = cdnowFile('cdnow_customers_summary_with_transactions.csv');
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  expect(lines[0].trim()).toBe('ID,x,t_x,T,zbar');
  const rows = lines.slice(1).map((line) => line.split(',').map(Number));
  return {
    ids: rows.map((r) => r[0]),
    frequency: Float64Array.from(rows, (r) => r[1]),
    monetary: Float64Array.from(rows, (r) => r[4]),
  };
}

/** Customers from the Gamma-Gamma generative process: ν ~ Gamma(q, v), spends ~ Gamma(p, ν). */
function simulateSpends(rng: Rng, params: GammaGammaParams, n: number): SpendColumns {
  const frequency = new Float64Array(n);
  const monetary = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = 1 + rng.int(6);
    const nu = sampleGamma(rng, params.q, params.v);
    let total = 0;
    for (let k = 0; k < x; k++) total += sampleGamma(rng, params.p, nu);
    frequency[i] = x;
    monetary[i] = total / x;
  }
  return { frequency, monetary };
}

describe('fitGammaGamma on the CDNOW sample', () => {
  const data = readCdnow();
  const fit = fitGammaGamma(data);

  it('reproduces the published estimates within 1% on the 946 repeat buyers', () => {
    expect(fit.customersUsed).toBe(946);
    expect(fit.converged).toBe(true);
    expect(fit.degenerate).toBe(false);
    expect(fit.degenerateReason).toBeUndefined();
    for (const key of ['p', 'q', 'v'] as const) {
      expect(Math.abs(fit[key] / PUBLISHED[key] - 1), key).toBeLessThan(0.01);
    }
  });

  it('computes the likelihood of Fader & Hardie (2013), written independently with a Stirling log-gamma', () => {
    // The reference's log-gamma against exact values: Γ(1/2) = √π, Γ(10) = 9!, Γ(7/2) = 15√π/8.
    expect(lnGammaStirling(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(lnGammaStirling(10)).toBeCloseTo(Math.log(362_880), 13);
    expect(lnGammaStirling(3.5)).toBeCloseTo(Math.log((15 * Math.sqrt(Math.PI)) / 8), 13);
    for (const params of [PUBLISHED, fit, { p: 1.2, q: 0.7, v: 300 }, { p: 40, q: 12, v: 2 }]) {
      const reference = gammaGammaLogLikelihoodReference(params, data.frequency, data.monetary);
      expect(Math.abs(gammaGammaLogLikelihood(params, data) / reference - 1)).toBeLessThan(1e-11);
    }
    expect(Math.abs(fit.logLikelihood / gammaGammaLogLikelihoodReference(fit, data.frequency, data.monetary) - 1)).toBeLessThan(1e-11);
  });

  it('is a maximum of the reference likelihood and deterministic', () => {
    const best = gammaGammaLogLikelihoodReference(fit, data.frequency, data.monetary);
    for (const key of ['p', 'q', 'v'] as const) {
      for (const factor of [0.99, 1.01]) {
        const nudged = { ...fit, [key]: fit[key] * factor };
        expect(gammaGammaLogLikelihoodReference(nudged, data.frequency, data.monetary)).toBeLessThan(best);
      }
    }
    expect(fitGammaGamma(data)).toEqual(fit);
  });

  it('reports the weak frequency-spend correlation without a warning', () => {
    expect(Math.abs(fit.frequencyMonetaryCorrelation)).toBeLessThan(0.3);
    expect(fit.warnings).toEqual([]);
  });

  it('gives the conditional expected spend lifetimes documents for the first customers', () => {
    // lifetimes quickstart, ggf.conditional_expected_average_profit on this file:
    // ids 1, 2, 3 (x = 0), 6 → 24.658619, 18.911489, 35.170981, 71.462843.
    const byId = (id: number) => {
      const i = data.ids.indexOf(id);
      return gammaGammaExpectedSpend(fit, data.frequency[i], data.monetary[i]);
    };
    expect(byId(1)).toBeCloseTo(24.658619, 3);
    expect(byId(2)).toBeCloseTo(18.911489, 3);
    expect(byId(3)).toBeCloseTo(35.170981, 3);
    expect(byId(6)).toBeCloseTo(71.462843, 3);
  });
});

describe('gammaGammaExpectedSpend', () => {
  it('is the population mean p·v/(q−1) for x = 0, whatever m̄ holds', () => {
    const mean = (PUBLISHED.p * PUBLISHED.v) / (PUBLISHED.q - 1);
    expect(gammaGammaExpectedSpend(PUBLISHED, 0, Number.NaN)).toBeCloseTo(mean, 12);
    expect(gammaGammaExpectedSpend(PUBLISHED, 0, 0)).toBeCloseTo(mean, 12);
  });

  it('moves from the population mean towards the customer mean as x grows', () => {
    const mean = (PUBLISHED.p * PUBLISHED.v) / (PUBLISHED.q - 1);
    const mbar = 100;
    let previous = mean;
    for (const x of [1, 2, 5, 20, 100, 10_000]) {
      const e = gammaGammaExpectedSpend(PUBLISHED, x, mbar);
      expect(e).toBeGreaterThan(previous);
      expect(e).toBeLessThan(mbar);
      previous = e;
    }
    expect(previous).toBeCloseTo(mbar, 0);
  });

  it('has a vectorised form that gives the posterior mean p·E[1/ν | x, m̄]', () => {
    // ν | x, m̄ ~ Gamma(px + q, v + x·m̄), so E[Z] = p·(v + x·m̄)/(px + q − 1), by hand here:
    const { p, q, v } = PUBLISHED;
    const data = { frequency: [0, 1, 4, 50], monetary: [0, 12.5, 40, 7] };
    const expected = [(p * v) / (q - 1), (p * (v + 12.5)) / (p + q - 1), (p * (v + 160)) / (4 * p + q - 1), (p * (v + 350)) / (50 * p + q - 1)];
    const many = gammaGammaExpectedSpendMany(PUBLISHED, data);
    expect(many).toBeInstanceOf(Float64Array);
    expect(many).toHaveLength(4);
    expected.forEach((e, i) => expect(many[i]).toBeCloseTo(e, 12));
  });

  it('agrees with simulating the posterior: customers with the same x and m̄, their next spend averaged', () => {
    // Simulate ν ~ Gamma(q, v) and x spends ~ Gamma(p, ν); keep customers whose m̄ falls in a narrow
    // window, and average the mean p/ν of their spend distribution (the expected next spend).
    const rng = new Rng(21);
    const x = 3;
    const [low, high] = [30, 32];
    let kept = 0;
    let sum = 0;
    let mbarSum = 0;
    for (let i = 0; i < 3_000_000 && kept < 20_000; i++) {
      const nu = sampleGamma(rng, PUBLISHED.q, PUBLISHED.v);
      let total = 0;
      for (let k = 0; k < x; k++) total += sampleGamma(rng, PUBLISHED.p, nu);
      const mbar = total / x;
      if (mbar < low || mbar >= high) continue;
      kept++;
      sum += PUBLISHED.p / nu;
      mbarSum += mbar;
    }
    expect(kept).toBeGreaterThan(5_000);
    const expected = gammaGammaExpectedSpend(PUBLISHED, x, mbarSum / kept);
    expect(Math.abs(sum / kept / expected - 1)).toBeLessThan(0.02);
  });
});

describe('fitGammaGamma on simulated data', () => {
  it('recovers the generating parameters and the population mean spend', () => {
    const truth: GammaGammaParams = { p: 6, q: 4, v: 15 };
    const data = simulateSpends(new Rng(11), truth, 20_000);
    const fit = fitGammaGamma(data);
    expect(fit.degenerate).toBe(false);
    // p, q and v are strongly correlated estimates; the mean spend p·v/(q−1) is pinned down better.
    for (const key of ['p', 'q', 'v'] as const) {
      expect(Math.abs(fit[key] / truth[key] - 1), key).toBeLessThan(0.15);
    }
    const mean = (p: GammaGammaParams) => (p.p * p.v) / (p.q - 1);
    expect(Math.abs(mean(fit) / mean(truth) - 1)).toBeLessThan(0.03);
  });

  it('flags q ≤ 1, where the mean spend does not exist', () => {
    const data = simulateSpends(new Rng(12), { p: 4, q: 0.8, v: 30 }, 20_000);
    const fit = fitGammaGamma(data);
    expect(fit.q).toBeLessThan(1);
    expect(fit.degenerate).toBe(true);
    expect(fit.degenerateReason).toMatch(/q = .* ≤ 1/);
  });

  it('warns when spend rises with frequency', () => {
    const rng = new Rng(13);
    const base = simulateSpends(rng, { p: 6, q: 4, v: 15 }, 5_000);
    const monetary = Float64Array.from(base.monetary, (m, i) => m * base.frequency[i]);
    const fit = fitGammaGamma({ frequency: base.frequency, monetary });
    expect(fit.frequencyMonetaryCorrelation).toBeGreaterThan(0.3);
    expect(fit.warnings.join(' ')).toMatch(/correlated/);
  });
});

describe('degenerate and invalid input', () => {
  it('flags constant spends, where the variance parameters run off to infinity', () => {
    const frequency = [1, 2, 3, 4, 5, 1, 2, 3, 7, 2];
    const fit = fitGammaGamma({ frequency, monetary: frequency.map(() => 20) });
    expect(fit.degenerate).toBe(true);
    expect(fit.degenerateReason).toMatch(/ran past/);
  });

  it('ignores one-time buyers and non-positive spends, and needs someone left', () => {
    const fit = fitGammaGamma({ frequency: [0, 0, 2, 3, 1, 2], monetary: [Number.NaN, 50, 10, 30, -5, 25] });
    expect(fit.customersUsed).toBe(3);
    expect(() => fitGammaGamma({ frequency: [2], monetary: [Number.NaN] })).toThrow(/numeric monetary/);
    expect(() => fitGammaGamma({ frequency: [0, 0], monetary: [10, 20] })).toThrow(/at least one customer/);
    expect(() => fitGammaGamma({ frequency: [1, 2], monetary: [10] })).toThrow(/equal lengths/);
    expect(() => fitGammaGamma({ frequency: [-1], monetary: [10] })).toThrow(/≥ 0/);
  });
});
