import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/random';
import {
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesMany,
  bgnbdLogLikelihood,
  bgnbdProbabilityAlive,
  bgnbdProbabilityAliveMany,
  bgnbdUnconditionalExpected,
  fitBgNbd,
  type BgNbdParams,
} from '../../src/core/models/bgnbd';
import {
  bgnbdConditionalExpectedReference,
  bgnbdLogLikelihoodReference,
  bgnbdProbabilityAliveReference,
  bgnbdTotalExpectedReference,
} from '../support/btydReference';
import { cdnowFile, summariseCdnowLog } from '../support/cdnowData';
import { sampleBeta, sampleGamma } from '../support/sampling';

/** Fader, Hardie & Lee (2005) and the lifetimes docs: the CDNOW sample estimates. */
const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

/** RfmColumns with concrete arrays, so tests can sum and search them. */
interface RfmArrays {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
}

function readSummary(): RfmArrays {
  const lines = readFileSync(cdnowFile('cdnow_customers_summary.csv'), 'utf8').trim().split('\n');
  expect(lines[0].trim()).toBe('ID,frequency,recency,T');
  const rows = lines.slice(1).map((line) => line.split(',').map(Number));
  return {
    frequency: Float64Array.from(rows, (r) => r[1]),
    recency: Float64Array.from(rows, (r) => r[2]),
    T: Float64Array.from(rows, (r) => r[3]),
  };
}

/**
 * One customer from the BG/NBD generative process, followed from the first purchase (time 0) to
 * `until`: Poisson purchases at rate λ ~ Gamma(r, α), dropping out after each repeat purchase with
 * probability p ~ Beta(a, b). Returns the repeat purchase times.
 */
function simulateCustomer(rng: Rng, params: BgNbdParams, until: number): number[] {
  const lambda = sampleGamma(rng, params.r, params.alpha);
  const p = sampleBeta(rng, params.a, params.b);
  const times: number[] = [];
  let t = 0;
  for (;;) {
    t += -Math.log(1 - rng.uniform()) / lambda;
    if (t > until) return times;
    times.push(t);
    if (rng.uniform() < p) return times;
  }
}

describe('fitBgNbd on the CDNOW sample', () => {
  const data = readSummary();
  const fit = fitBgNbd(data);

  it('reproduces the published estimates within 1%', () => {
    expect(data.frequency.length).toBe(2357);
    expect(fit.converged).toBe(true);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(fit[key] / PUBLISHED[key] - 1), key).toBeLessThan(0.01);
    }
    // The paper reports a log-likelihood of −9582.4 at the optimum.
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
  });

  it('computes the likelihood of eq. 6, written independently as finite products', () => {
    // The reference at the published (rounded) estimates gives the published optimum too.
    expect(bgnbdLogLikelihoodReference(PUBLISHED, data)).toBeCloseTo(-9582.4, 1);
    for (const params of [PUBLISHED, fit, { r: 1.5, alpha: 0.7, a: 3, b: 0.4 }, { r: 0.05, alpha: 60, a: 0.1, b: 12 }]) {
      const reference = bgnbdLogLikelihoodReference(params, data);
      expect(Math.abs(bgnbdLogLikelihood(params, data) / reference - 1)).toBeLessThan(1e-11);
    }
    expect(Math.abs(fit.logLikelihood / bgnbdLogLikelihoodReference(fit, data) - 1)).toBeLessThan(1e-11);
  });

  it('is a maximum of the reference likelihood: nudging any parameter lowers it', () => {
    const best = bgnbdLogLikelihoodReference(fit, data);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      for (const factor of [0.99, 1.01]) {
        expect(bgnbdLogLikelihoodReference({ ...fit, [key]: fit[key] * factor }, data)).toBeLessThan(best);
      }
    }
  });

  it('is deterministic', () => {
    expect(fitBgNbd(data)).toEqual(fit);
  });

  it('shrinks parameters when penalised', () => {
    const penalised = fitBgNbd(data, { l2Penalty: 0.01 });
    const size = (p: BgNbdParams) => p.r ** 2 + p.alpha ** 2 + p.a ** 2 + p.b ** 2;
    expect(size(penalised)).toBeLessThan(size(fit));
    expect(penalised.logLikelihood).toBeLessThan(fit.logLikelihood);
  });

  it('forecasts the 39-week holdout of the raw log as the posterior expectation does', () => {
    const raw = summariseCdnowLog('CDNOW_sample.txt', 2);
    // The summary file is this same calibration summary (to its 2-decimal rounding).
    expect(raw.frequency.reduce((s, v) => s + v, 0)).toBe(data.frequency.reduce((s, v) => s + v, 0));
    // Repeat purchase days after 1997-09-30, counted from the raw transactions.
    expect(raw.holdout.reduce((s, v) => s + v, 0)).toBe(1882);
    // Independent route: P(alive) × the posterior mean of a live customer's purchases, integrated
    // numerically, summed over customers.
    const forecast = bgnbdExpectedPurchasesMany(fit, 39, raw).reduce((s, v) => s + v, 0);
    expect(Math.abs(forecast / bgnbdTotalExpectedReference(fit, 39, raw) - 1)).toBeLessThan(1e-6);
  });
});

describe('fitBgNbd on the full CDNOW log (23,570 customers)', () => {
  const master = summariseCdnowLog('CDNOW_master.txt', 1);

  // The fit's speed is measured by the benchmark (test/bench/bgnbdFit.ts), not asserted here.
  it('finds the maximum of the reference likelihood and forecasts the holdout as the posterior does', () => {
    expect(master.frequency.length).toBe(23_570);
    expect(master.holdout.reduce((s, v) => s + v, 0)).toBe(19_684);
    const fit = fitBgNbd(master);
    expect(fit.converged).toBe(true);
    const best = bgnbdLogLikelihoodReference(fit, master);
    expect(Math.abs(fit.logLikelihood / best - 1)).toBeLessThan(1e-11);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      for (const factor of [0.995, 1.005]) {
        expect(bgnbdLogLikelihoodReference({ ...fit, [key]: fit[key] * factor }, master)).toBeLessThan(best);
      }
    }
    const forecast = bgnbdExpectedPurchasesMany(fit, 39, master).reduce((s, v) => s + v, 0);
    expect(Math.abs(forecast / bgnbdTotalExpectedReference(fit, 39, master) - 1)).toBeLessThan(1e-6);
  });
});

describe('fitBgNbd on simulated data', () => {
  it('recovers the generating parameters and forecasts the simulated holdout', () => {
    const truth: BgNbdParams = { r: 0.5, alpha: 6, a: 0.8, b: 2.5 };
    const rng = new Rng(20240501);
    const n = 20_000;
    const cal: RfmArrays = {
      frequency: new Float64Array(n),
      recency: new Float64Array(n),
      T: new Float64Array(n),
    };
    let holdout = 0;
    for (let i = 0; i < n; i++) {
      // Acquired over 12 weeks, observed to week 52, with whole-day resolution like real logs.
      const T = (52 * 7 - rng.int(84)) / 7;
      const times = simulateCustomer(rng, truth, T + 26);
      const inCalibration = times.filter((t) => t <= T);
      cal.T[i] = T;
      cal.frequency[i] = inCalibration.length;
      cal.recency[i] = inCalibration.length > 0 ? Math.min(T, Math.round(inCalibration.at(-1)! * 7) / 7) : 0;
      holdout += times.length - inCalibration.length;
    }
    const fit = fitBgNbd(cal);
    expect(fit.converged).toBe(true);
    // Sampling error for 20,000 customers is a few percent on r and α, more on a and b.
    expect(Math.abs(fit.r / truth.r - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.alpha / truth.alpha - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.a / truth.a - 1)).toBeLessThan(0.25);
    expect(Math.abs(fit.b / truth.b - 1)).toBeLessThan(0.25);
    const forecast = bgnbdExpectedPurchasesMany(fit, 26, cal).reduce((s, v) => s + v, 0);
    expect(Math.abs(forecast / holdout - 1)).toBeLessThan(0.05);
  });
});

describe('bgnbdProbabilityAlive', () => {
  it('is exactly 1 without repeat purchases: dropout happens only after a purchase', () => {
    expect(bgnbdProbabilityAlive(PUBLISHED, 0, 0, 38.86)).toBe(1);
    expect(bgnbdProbabilityAlive(PUBLISHED, 0, 0, 1000)).toBe(1);
  });

  it('matches the closed form and falls with time since the last purchase', () => {
    const [x, tx, T] = [2, 30.43, 38.86];
    expect(bgnbdProbabilityAlive(PUBLISHED, x, tx, T)).toBeCloseTo(bgnbdProbabilityAliveReference(PUBLISHED, x, tx, T), 14);
    const later = [10, 20, 30, 38].map((t) => bgnbdProbabilityAlive(PUBLISHED, 3, t, 38.86));
    for (let i = 1; i < later.length; i++) expect(later[i]).toBeGreaterThan(later[i - 1]);
    const boughtJustNow = 1 / (1 + PUBLISHED.a / (PUBLISHED.b + 2));
    expect(bgnbdProbabilityAlive(PUBLISHED, 3, 38.86, 38.86)).toBeCloseTo(boughtJustNow, 14);
  });

  it('has a vectorised form that matches the closed form', () => {
    const data = { frequency: [0, 1, 5, 40], recency: [0, 3, 20, 29.5], T: [10, 30, 30, 30] };
    const many = bgnbdProbabilityAliveMany(PUBLISHED, data);
    expect(many).toBeInstanceOf(Float64Array);
    expect(many).toHaveLength(4);
    data.frequency.forEach((x, i) => {
      expect(many[i]).toBeCloseTo(bgnbdProbabilityAliveReference(PUBLISHED, x, data.recency[i], data.T[i]), 14);
    });
  });
});

describe('bgnbdExpectedPurchases', () => {
  it('is 0 at t = 0 and increases with t, also far beyond the calibration period', () => {
    expect(bgnbdExpectedPurchases(PUBLISHED, 0, 2, 30.43, 38.86)).toBe(0);
    let previous = 0;
    for (const t of [1, 5, 10, 39, 100, 500, 5000]) {
      const e = bgnbdExpectedPurchases(PUBLISHED, t, 2, 30.43, 38.86);
      expect(e).toBeGreaterThan(previous);
      previous = e;
    }
  });

  it('reproduces the published E[Y(39) | x = 2, tₓ = 30.43, T = 38.86] = 1.226 and the numerical posterior mean', () => {
    expect(bgnbdExpectedPurchases(PUBLISHED, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
    for (const [t, x, tx, T] of [
      [39, 2, 30.43, 38.86],
      [39, 0, 0, 38.86],
      [10, 7, 35, 38],
      [100, 1, 2, 38.86],
    ]) {
      const reference = bgnbdConditionalExpectedReference(PUBLISHED, t, x, tx, T);
      expect(Math.abs(bgnbdExpectedPurchases(PUBLISHED, t, x, tx, T) / reference - 1)).toBeLessThan(1e-7);
    }
  });

  it('gives a new customer the published E[X(t)] for t = 1, 3, 32, 78 weeks', () => {
    // lifetimes' and CLVTools' checks at the unrounded CDNOW sample estimates.
    const fitted = fitBgNbd(readSummary());
    const published = [0.0532, 0.1506, 1.0437, 1.8576];
    [1, 3, 32, 78].forEach((t, k) => {
      expect(Math.abs(bgnbdUnconditionalExpected(fitted, t) / published[k] - 1), `t = ${t}`).toBeLessThan(1e-3);
      expect(Math.abs(bgnbdConditionalExpectedReference(fitted, t, 0, 0, 0) / published[k] - 1), `reference, t = ${t}`).toBeLessThan(1e-3);
    });
  });

  it('equals the unconditional expectation for a customer with no history (x = t_x = T = 0)', () => {
    for (const t of [1, 39, 78]) {
      const reference = bgnbdConditionalExpectedReference(PUBLISHED, t, 0, 0, 0);
      expect(Math.abs(bgnbdUnconditionalExpected(PUBLISHED, t) / reference - 1)).toBeLessThan(1e-7);
      expect(Math.abs(bgnbdExpectedPurchases(PUBLISHED, t, 0, 0, 0) / reference - 1)).toBeLessThan(1e-7);
    }
  });

  it.each([
    [5, 30, 39],
    [400, 39, 39],
    [2000, 38.9, 39],
  ])('matches the posterior mean of (1 − e^(−λpt))/p for x=%s, t_x=%s, T=%s', (x, tx, T) => {
    // Given alive, λ | data ~ Gamma(r+x, α+T) and p | data ~ Beta(a, b+x); a live customer then
    // makes (1 − e^(−λpt))/p purchases in expectation over the next t (each one ends it w.p. p).
    // An independent route to the conditional expectation, exercising the large-x end of 2F1.
    const { r, alpha, a, b } = PUBLISHED;
    const t = 52;
    const rng = new Rng(x);
    const n = 200_000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const lambda = sampleGamma(rng, r + x, alpha + T);
      const p = sampleBeta(rng, a, b + x);
      sum += -Math.expm1(-lambda * p * t) / p;
    }
    const expected = bgnbdProbabilityAlive(PUBLISHED, x, tx, T) * (sum / n);
    expect(Math.abs(bgnbdExpectedPurchases(PUBLISHED, t, x, tx, T) / expected - 1)).toBeLessThan(0.01);
  });

  it('is continuous through a = 1, where the formula is 0/0', () => {
    const at = (a: number) => bgnbdExpectedPurchases({ ...PUBLISHED, a }, 39, 3, 20, 38.86);
    expect(Number.isFinite(at(1))).toBe(true);
    expect(Math.abs(at(1) - (at(1 - 1e-4) + at(1 + 1e-4)) / 2)).toBeLessThan(1e-7);
    expect(Math.abs(at(1 + 2e-6) - at(1 - 2e-6))).toBeLessThan(1e-5);
  });

  it('agrees with simulating the generative process (unconditional)', () => {
    const rng = new Rng(7);
    const n = 200_000;
    let total = 0;
    for (let i = 0; i < n; i++) total += simulateCustomer(rng, PUBLISHED, 39).length;
    const expected = bgnbdUnconditionalExpected(PUBLISHED, 39);
    expect(Math.abs(total / n / expected - 1)).toBeLessThan(0.03);
  });

  it.each([
    // [x, t_x, T, horizon, window around t_x accepted by rejection sampling]
    [0, 0, 30, 39, 0],
    [1, 12, 30, 39, 0.5],
    [3, 25, 30, 52, 0.5],
  ])('agrees with rejection-sampled simulation for x=%s, t_x=%s, T=%s', (x, tx, T, horizon, window) => {
    // Simulate customers, keep those whose calibration history matches (x exactly, t_x within the
    // window), and count their purchases in (T, T + horizon].
    const params: BgNbdParams = { r: 0.6, alpha: 8, a: 0.8, b: 2.4 };
    const rng = new Rng(1000 + x);
    let kept = 0;
    let future = 0;
    for (let i = 0; i < 2_000_000 && kept < 10_000; i++) {
      const times = simulateCustomer(rng, params, T + horizon);
      let inCalibration = 0;
      while (inCalibration < times.length && times[inCalibration] <= T) inCalibration++;
      if (inCalibration !== x) continue;
      if (x > 0 && Math.abs(times[x - 1] - tx) > window) continue;
      kept++;
      future += times.length - inCalibration;
    }
    expect(kept).toBeGreaterThan(4_000);
    const expected = bgnbdExpectedPurchases(params, horizon, x, tx, T);
    expect(Math.abs(future / kept / expected - 1)).toBeLessThan(0.06);
  });
});

describe('input validation', () => {
  it('rejects malformed columns', () => {
    expect(() => fitBgNbd({ frequency: [1, 2], recency: [1], T: [3, 4] })).toThrow(/equal lengths/);
    expect(() => fitBgNbd({ frequency: [1.5], recency: [1], T: [3] })).toThrow(/non-negative integer/);
    expect(() => fitBgNbd({ frequency: [1], recency: [5], T: [3] })).toThrow(/recency ≤ T/);
    expect(() => fitBgNbd({ frequency: [], recency: [], T: [] })).toThrow(/at least one/);
    expect(() => bgnbdExpectedPurchases(PUBLISHED, -1, 0, 0, 1)).toThrow(/t must be ≥ 0/);
  });
});
