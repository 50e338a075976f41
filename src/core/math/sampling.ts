/**
 * Draws from the distributions the probabilistic models simulate with, on a seeded Rng so that a
 * fixed seed reproduces every interval exactly.
 */
import type { Rng } from '../random';
import { lgamma } from './special';

/** Gamma(shape, rate) (mean shape/rate), by Marsaglia & Tsang (2000); shape < 1 by boosting. */
export function sampleGamma(rng: Rng, shape: number, rate: number): number {
  if (!(shape > 0 && rate > 0)) throw new RangeError(`gamma needs shape > 0 and rate > 0, got ${shape}, ${rate}`);
  if (shape < 1) {
    // X·U^(1/shape) with X ~ Gamma(shape + 1) is Gamma(shape).
    const u = 1 - rng.uniform();
    return sampleGamma(rng, shape + 1, rate) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let z: number;
    let v: number;
    do {
      z = rng.normal();
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.uniform();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/** Beta(a, b) as X/(X+Y) of two gammas. */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a, 1);
  const y = sampleGamma(rng, b, 1);
  return x + y > 0 ? x / (x + y) : a / (a + b);
}

/**
 * Poisson(mean): multiplying uniforms for small means; Hörmann's (1993) transformed rejection
 * (PTRS) above 10, whose cost does not grow with the mean.
 */
export function samplePoisson(rng: Rng, mean: number): number {
  if (!(mean >= 0 && Number.isFinite(mean))) throw new RangeError(`Poisson needs a finite mean ≥ 0, got ${mean}`);
  if (mean === 0) return 0;
  if (mean < 10) {
    const limit = Math.exp(-mean);
    let k = 0;
    let product = rng.uniform();
    while (product > limit) {
      k++;
      product *= rng.uniform();
    }
    return k;
  }
  const logMean = Math.log(mean);
  const b = 0.931 + 2.53 * Math.sqrt(mean);
  const a = -0.059 + 0.02483 * b;
  const inverseAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.uniform() - 0.5;
    const v = rng.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(inverseAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logMean - lgamma(k + 1)) return k;
  }
}

/** Geometric on {1, 2, …}: trials up to and including the first success of probability p. */
export function sampleGeometric(rng: Rng, p: number): number {
  if (!(p > 0 && p <= 1)) throw new RangeError(`geometric needs 0 < p ≤ 1, got ${p}`);
  if (p === 1) return 1;
  const u = 1 - rng.uniform();
  return Math.max(1, Math.ceil(Math.log(u) / Math.log1p(-p)));
}
