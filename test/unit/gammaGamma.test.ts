import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

const CDNOW = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/datasets/cdnow');
/** Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value": CDNOW sample estimates. */
const PUBLISHED: GammaGammaParams = { p: 6.25, q: 3.74, v: 15.44 };

function readCdnow(): SpendColumns & { ids: number[] } {
  const file = path.join(CDNOW, 'cdnow_customers_summary_with_transactions.csv');
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  expect(lines[0].trim()).toBe('ID,x,t_x,T,zbar');
  const rows = lines.slice(1).map((line) => line.split(',').map(Number));
  return {
    ids: rows.map((r) => r[0]),
    frequency: Float64Array.from(rows, (r) => r[1]),
    monetary: Float64Array.from(rows, (r) => r[4]),
  };
}

/** Gamma(shape, rate) by Marsaglia & Tsang, boosted for shape < 1. */
function sampleGamma(rng: Rng, shape: number, rate: number): number {
  if (shape < 1) return sampleGamma(rng, shape + 1, rate) * (1 - rng.uniform()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.normal();
    const v = (1 + c * z) ** 3;
    if (v <= 0) continue;
    const u = 1 - rng.uniform();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
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

  it('is a maximum of the likelihood and deterministic', () => {
    expect(gammaGammaLogLikelihood(fit, data)).toBe(fit.logLikelihood);
    for (const key of ['p', 'q', 'v'] as const) {
      for (const factor of [0.99, 1.01]) {
        const nudged = { ...fit, [key]: fit[key] * factor };
        expect(gammaGammaLogLikelihood(nudged, data)).toBeLessThan(fit.logLikelihood);
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

  it('has a vectorised form that agrees', () => {
    const data = { frequency: [0, 1, 4], monetary: [0, 12.5, 40] };
    const many = gammaGammaExpectedSpendMany(PUBLISHED, data);
    expect(many).toBeInstanceOf(Float64Array);
    data.frequency.forEach((x, i) => {
      expect(many[i]).toBe(gammaGammaExpectedSpend(PUBLISHED, x, data.monetary[i]));
    });
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
