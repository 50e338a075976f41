import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

const CDNOW = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/datasets/cdnow');
/** Fader, Hardie & Lee (2005) and the lifetimes docs: the CDNOW sample estimates. */
const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

/** RfmColumns with concrete arrays, so tests can sum and search them. */
interface RfmArrays {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
}

function readSummary(): RfmArrays {
  const lines = readFileSync(path.join(CDNOW, 'cdnow_customers_summary.csv'), 'utf8').trim().split('\n');
  expect(lines[0].trim()).toBe('ID,frequency,recency,T');
  const rows = lines.slice(1).map((line) => line.split(',').map(Number));
  return {
    frequency: Float64Array.from(rows, (r) => r[1]),
    recency: Float64Array.from(rows, (r) => r[2]),
    T: Float64Array.from(rows, (r) => r[3]),
  };
}

/** Days since 1997-01-01 for a yyyymmdd string. */
function dayIndex(yyyymmdd: string): number {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  return (Date.UTC(y, m - 1, d) - Date.UTC(1997, 0, 1)) / 86_400_000;
}

/** 1997-09-30, the end of the 39-week calibration period. */
const CALIBRATION_END = dayIndex('19970930');

/**
 * RFM in weeks (lifetimes conventions: same-day purchases merged, calibration end inclusive) plus
 * the number of purchase days in the 39-week holdout, from a raw CDNOW transaction log.
 */
function summariseLog(file: string, dateColumn: number): RfmArrays & { holdout: Float64Array } {
  const days = new Map<string, Set<number>>();
  for (const line of readFileSync(path.join(CDNOW, file), 'utf8').split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (!/^\d{8}$/.test(fields[dateColumn] ?? '')) continue; // header or blank line
    const set = days.get(fields[0]) ?? new Set<number>();
    set.add(dayIndex(fields[dateColumn]));
    days.set(fields[0], set);
  }
  const n = days.size;
  const out = {
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    holdout: new Float64Array(n),
  };
  let i = 0;
  for (const set of days.values()) {
    const calibration = [...set].filter((d) => d <= CALIBRATION_END);
    const first = Math.min(...calibration);
    out.frequency[i] = calibration.length - 1;
    out.recency[i] = (Math.max(...calibration) - first) / 7;
    out.T[i] = (CALIBRATION_END - first) / 7;
    out.holdout[i] = set.size - calibration.length;
    i++;
  }
  return out;
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

/**
 * One customer from the BG/NBD generative process, followed from the first purchase (time 0) to
 * `until`: Poisson purchases at rate λ ~ Gamma(r, α), dropping out after each repeat purchase with
 * probability p ~ Beta(a, b). Returns the repeat purchase times.
 */
function simulateCustomer(rng: Rng, params: BgNbdParams, until: number): number[] {
  const lambda = sampleGamma(rng, params.r, params.alpha);
  const g1 = sampleGamma(rng, params.a, 1);
  const p = g1 / (g1 + sampleGamma(rng, params.b, 1));
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
    expect(bgnbdLogLikelihood(fit, data)).toBe(fit.logLikelihood);
  });

  it('is a maximum: nudging any parameter lowers the likelihood', () => {
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      for (const factor of [0.99, 1.01]) {
        expect(bgnbdLogLikelihood({ ...fit, [key]: fit[key] * factor }, data)).toBeLessThan(fit.logLikelihood);
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

  it('forecasts the 39-week holdout of the raw log within 15%', () => {
    // Actual repeat purchase days after 1997-09-30, counted from the raw transactions (1,882).
    const raw = summariseLog('CDNOW_sample.txt', 2);
    // The summary file is this same calibration summary (to its 2-decimal rounding).
    expect(raw.frequency.reduce((s, v) => s + v, 0)).toBe(data.frequency.reduce((s, v) => s + v, 0));
    const actual = raw.holdout.reduce((s, v) => s + v, 0);
    const forecast = bgnbdExpectedPurchasesMany(fit, 39, raw).reduce((s, v) => s + v, 0);
    // The model forecasts ~1,653, short of the actual count (the paper's tracking plot also runs
    // below the actuals by week 78); an over-forecast would point to a regression.
    expect(forecast / actual).toBeGreaterThan(0.85);
    expect(forecast / actual).toBeLessThan(1.05);
  });
});

describe('fitBgNbd on the full CDNOW log (23,570 customers)', () => {
  const master = summariseLog('CDNOW_master.txt', 1);

  it('fits in under a second and forecasts the holdout plausibly', () => {
    expect(master.frequency.length).toBe(23_570);
    // Best of two after a warm-up, so a busy machine (parallel test files) cannot make it flaky.
    let elapsed = Infinity;
    let fit = fitBgNbd(master);
    for (let run = 0; run < 2; run++) {
      const started = performance.now();
      fit = fitBgNbd(master);
      elapsed = Math.min(elapsed, performance.now() - started);
    }
    expect(fit.converged).toBe(true);
    expect(elapsed).toBeLessThan(1000);
    const actual = master.holdout.reduce((s, v) => s + v, 0);
    const forecast = bgnbdExpectedPurchasesMany(fit, 39, master).reduce((s, v) => s + v, 0);
    // ~16,870 forecast against 19,684 actual: the same shortfall as on the 1/10 sample.
    expect(forecast / actual).toBeGreaterThan(0.8);
    expect(forecast / actual).toBeLessThan(1.05);
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
    const { r, alpha, a, b } = PUBLISHED;
    const [x, tx, T] = [2, 30.43, 38.86];
    const expected = 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
    expect(bgnbdProbabilityAlive(PUBLISHED, x, tx, T)).toBeCloseTo(expected, 14);
    const later = [10, 20, 30, 38].map((t) => bgnbdProbabilityAlive(PUBLISHED, 3, t, 38.86));
    for (let i = 1; i < later.length; i++) expect(later[i]).toBeGreaterThan(later[i - 1]);
    const boughtJustNow = 1 / (1 + PUBLISHED.a / (PUBLISHED.b + 2));
    expect(bgnbdProbabilityAlive(PUBLISHED, 3, 38.86, 38.86)).toBeCloseTo(boughtJustNow, 14);
  });

  it('has a vectorised form that agrees', () => {
    const data = { frequency: [0, 1, 5], recency: [0, 3, 20], T: [10, 30, 30] };
    const many = bgnbdProbabilityAliveMany(PUBLISHED, data);
    expect(many).toBeInstanceOf(Float64Array);
    data.frequency.forEach((x, i) => {
      expect(many[i]).toBe(bgnbdProbabilityAlive(PUBLISHED, x, data.recency[i], data.T[i]));
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

  it('equals the unconditional expectation for a customer with no history (x = t_x = T = 0)', () => {
    for (const t of [1, 39, 78]) {
      const unconditional = bgnbdUnconditionalExpected(PUBLISHED, t);
      expect(bgnbdExpectedPurchases(PUBLISHED, t, 0, 0, 0)).toBeCloseTo(unconditional, 12);
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
      const g = sampleGamma(rng, a, 1);
      const p = g / (g + sampleGamma(rng, b + x, 1));
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
