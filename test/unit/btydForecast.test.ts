import { describe, expect, it } from 'vitest';
import { fitBtyd, forecastBtyd, forecastFromFit, type BtydColumns } from '../../src/core/models/btydForecast';
import { fitGammaGamma } from '../../src/core/models/gammaGamma';
import { Rng } from '../../src/core/random';

/** BTYD-style calibration summaries (weeks); `spend(i, rng)` gives repeat customers' mean spend. */
function customers(n: number, seed: number, spend: (rng: Rng) => number): BtydColumns {
  const rng = new Rng(seed);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  const monetary = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    T[i] = 10 + Math.floor(rng.uniform(0, 30));
    const rate = Math.exp(rng.normal(-2, 1));
    frequency[i] = Math.min(20, Math.floor(rate * T[i] * rng.uniform(0, 1.5)));
    recency[i] = frequency[i] > 0 ? rng.uniform(0.3, 1) * T[i] : 0;
    monetary[i] = frequency[i] > 0 ? spend(rng) : 0;
  }
  return { frequency, recency, T, monetary };
}

const horizon = 26;
const discount = { periods: 6, unitsPerPeriod: 4.345, discountRate: 0.01 };

describe('forecastBtyd', () => {
  it('uses a usable Gamma-Gamma fit for spend per purchase', () => {
    const data = customers(1500, 1, (rng) => 20 * Math.exp(rng.normal(0, 0.5)));
    const forecast = forecastBtyd(data, { horizon, discount });
    expect(forecast.gammaGamma!.degenerate).toBe(false);
    // The Gamma-Gamma posterior mean p(v + x·m̄)/(px + q − 1), by hand (population mean for x = 0).
    const { p, q, v } = forecast.gammaGamma!;
    for (let i = 0; i < data.frequency.length; i++) {
      const x = data.frequency[i];
      const expected = x === 0 ? (p * v) / (q - 1) : (p * (v + x * data.monetary[i])) / (p * x + q - 1);
      expect(forecast.expectedSpendPerPurchase[i]).toBeCloseTo(expected, 9);
    }
    expect(forecast.discountedClv).not.toBeNull();
    forecast.horizonSpend.forEach((s, i) => expect(s).toBeCloseTo(forecast.expectedPurchases[i] * forecast.expectedSpendPerPurchase[i], 9));
  });

  it('detects a degenerate Gamma-Gamma fit (constant spend), reports it and does not use it', () => {
    const data = customers(800, 2, () => 20);
    const forecast = forecastBtyd(data, { horizon, discount });
    // The raw fit is kept so callers can show it, flagged as unusable.
    expect(forecast.gammaGamma!.degenerate).toBe(true);
    expect(forecast.gammaGamma!.degenerateReason).toMatch(/ran past/);
    expect(forecast.warnings.join(' ')).toMatch(/Gamma-Gamma fit is degenerate/);
    // Spend per purchase: each repeat customer's own mean, the repeaters' mean for one-timers.
    for (let i = 0; i < data.frequency.length; i++) expect(forecast.expectedSpendPerPurchase[i]).toBe(20);
    expect(forecast.populationSpend).toBe(20);
    // Discounted CLV needs Gamma-Gamma; it is left out rather than computed from a degenerate fit.
    expect(forecast.discountedClv).toBeNull();
  });

  it('reports huge Gamma-Gamma parameters as degenerate rather than forecasting with them', () => {
    // Spends that barely vary within and between customers: p and v run off together.
    const data = customers(800, 3, (rng) => 50 + rng.uniform(-1e-3, 1e-3));
    const raw = fitGammaGamma(data);
    expect(raw.degenerate).toBe(true);
    const forecast = forecastBtyd(data, { horizon });
    expect(forecast.gammaGamma!.degenerate).toBe(true);
    expect(forecast.warnings.some((w) => w.includes('degenerate'))).toBe(true);
    for (let i = 0; i < data.frequency.length; i++) if (data.frequency[i] > 0) expect(forecast.expectedSpendPerPurchase[i]).toBe(data.monetary[i]);
  });

  it('is a fit followed by a forecast; forecasting other customers reuses the fit without refitting', () => {
    const data = customers(1200, 4, (rng) => 30 * Math.exp(rng.normal(0, 0.6)));
    const fit = fitBtyd(data);
    expect(forecastFromFit(fit, data, { horizon, discount })).toEqual(forecastBtyd(data, { horizon, discount }));
    // A subset scored with the same fit gets the same per-customer numbers as in the full forecast.
    const rows = [0, 5, 17, 300, 999];
    const subset: BtydColumns = {
      frequency: rows.map((i) => data.frequency[i]),
      recency: rows.map((i) => data.recency[i]),
      T: rows.map((i) => data.T[i]),
      monetary: rows.map((i) => data.monetary[i]),
    };
    const full = forecastFromFit(fit, data, { horizon });
    const part = forecastFromFit(fit, subset, { horizon });
    expect(part.bgnbd).toBe(fit.bgnbd);
    expect(Array.from(part.horizonSpend)).toEqual(rows.map((i) => full.horizonSpend[i]));
    expect(Array.from(part.pAlive)).toEqual(rows.map((i) => full.pAlive[i]));
  });
});
