/**
 * Random draws the model tests simulate with, from the project's seeded Rng (so every simulation is
 * reproducible). Written here from the textbook algorithms, independent of the code under test.
 */
import { Rng } from '../../src/core/random';

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), boosted for shape < 1. */
export function sampleGamma(rng: Rng, shape: number, rate: number): number {
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

/** Beta(a, b) as G₁ / (G₁ + G₂) with G₁ ~ Gamma(a), G₂ ~ Gamma(b). */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const g = sampleGamma(rng, a, 1);
  return g / (g + sampleGamma(rng, b, 1));
}
