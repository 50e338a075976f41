/**
 * ZILN predictive intervals: the normal quantile against tabulated values and a numerically
 * integrated normal CDF, the zero-inflated lognormal quantiles against draws simulated here, and
 * the head's raw outputs read as the loss reads them.
 */
import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../src/core/math/normalQuantile';
import { zilnParameters, zilnPredictions } from '../../src/core/nets/ziln';
import { zilnIntervals, zilnQuantile } from '../../src/core/nets/zilnIntervals';

/** Φ(x) by Simpson's rule on the density from 0 (independent of the code under test). */
function normalCdf(x: number): number {
  const n = 4000;
  const h = x / n;
  let sum = 0;
  for (let k = 0; k <= n; k++) {
    const t = k * h;
    const f = Math.exp(-0.5 * t * t);
    sum += (k === 0 || k === n ? 1 : k % 2 ? 4 : 2) * f;
  }
  return 0.5 + (h / 3) * sum / Math.sqrt(2 * Math.PI);
}

/** A small seeded generator (mulberry32) and Box-Muller normals, independent of src/core/random. */
function generator(seed: number) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

describe('normalQuantile', () => {
  it('matches tabulated quantiles', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 8);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263478740408408, 8);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232306167813, 8);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 6);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });

  it('inverts the normal CDF across (0, 1)', () => {
    for (const p of [0.001, 0.02, 0.0243, 0.1, 0.3, 0.62, 0.9, 0.976, 0.995]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 9);
  });
});

describe('zero-inflated lognormal quantiles', () => {
  it('the 90% interval holds 90% of simulated spend, 5% on each side', () => {
    const rng = generator(7);
    for (const [p, mu, sigma] of [
      [0.3, 3, 1.2],
      [0.8, 4.5, 0.6],
      [0.97, 2, 2.5],
    ]) {
      const low = zilnQuantile(p, mu, sigma, 0.05);
      const high = zilnQuantile(p, mu, sigma, 0.95);
      let below = 0;
      let above = 0;
      const draws = 200_000;
      for (let k = 0; k < draws; k++) {
        const spend = rng.uniform() < p ? Math.exp(mu + sigma * rng.normal()) : 0;
        if (spend < low) below++;
        if (spend > high) above++;
      }
      // With P(zero) ≥ 5% the lower bound is 0 and nothing falls below it.
      if (1 - p >= 0.05) expect(low).toBe(0);
      else expect(below / draws).toBeCloseTo(0.05, 2);
      expect(above / draws).toBeCloseTo(0.05, 2);
    }
  });

  it('a customer unlikely to buy at all gets [0, 0]; the bounds follow from the definition', () => {
    expect(zilnQuantile(0.04, 5, 1, 0.95)).toBe(0);
    // q above the zero share: the lognormal's quantile at (q − (1 − p)) / p.
    expect(zilnQuantile(0.5, 3, 2, 0.95) / Math.exp(3 + 2 * 1.2815515655446004)).toBeCloseTo(1, 8);
    const low = zilnQuantile(0.98, 3, 2, 0.05);
    expect(normalCdf((Math.log(low) - 3) / 2)).toBeCloseTo((0.05 - 0.02) / 0.98, 9);
  });

  it('reads the head as the loss does: sigmoid, μ, softplus clipped to [√1e-7, 3]', () => {
    const raw = Float32Array.from([0, 2, 0.5, -3, 1, -40, 4, 3, 10]);
    const { pReturn, mu, sigma } = zilnParameters(raw);
    expect(pReturn[0]).toBeCloseTo(0.5, 12);
    expect(pReturn[1]).toBeCloseTo(1 / (1 + Math.exp(3)), 7);
    expect(mu[2]).toBe(3);
    expect(sigma[0]).toBeCloseTo(Math.log(1 + Math.exp(0.5)), 6);
    expect(sigma[1]).toBeCloseTo(Math.sqrt(1e-7), 12);
    expect(sigma[2]).toBe(3);
    const mean = zilnPredictions(raw).mean;
    for (let i = 0; i < 3; i++) expect(mean[i]).toBeCloseTo(pReturn[i] * Math.exp(mu[i] + 0.5 * sigma[i] ** 2), 1);
    const bounds = zilnIntervals({ pReturn, mu, sigma });
    for (let i = 0; i < 3; i++) {
      expect(bounds.lower[i]).toBeLessThanOrEqual(bounds.upper[i]);
      expect(bounds.upper[i]).toBe(zilnQuantile(pReturn[i], mu[i], sigma[i], 0.95));
    }
  });
});
