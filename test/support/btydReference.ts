/**
 * Independent references for the BTYD models, written from the papers' formulas by a different
 * route than src/core/models (no shared special functions, no hypergeometric series):
 *
 * - the BG/NBD likelihood (Fader, Hardie & Lee 2005, eq. 6) with its gamma and beta ratios written
 *   as finite products, which they are for an integer number of repeat purchases;
 * - P(alive) from its closed form (eq. 13);
 * - the conditional expectation E[Y(t) | x, tₓ, T] as P(alive) times the posterior mean of
 *   (1 − e^(−λpt))/p, integrated numerically over p (the λ integral is a Laplace transform);
 * - the Gamma-Gamma likelihood (Fader & Hardie 2013) with a Stirling-series log-gamma.
 */

export interface BgNbdParameters {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface Rfm {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
}

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log Γ(x) for x > 0 by the Stirling series after shifting x above 15 with Γ(x+1) = xΓ(x);
 * the truncation error there is below 1e-15.
 */
export function lnGammaStirling(x: number): number {
  if (!(x > 0)) throw new RangeError(`lnGammaStirling needs x > 0, got ${x}`);
  let shift = 0;
  while (x < 15) {
    shift -= Math.log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
  return shift + (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
}

function logAdd(u: number, v: number): number {
  const m = Math.max(u, v);
  return m === -Infinity ? -Infinity : m + Math.log(Math.exp(u - m) + Math.exp(v - m));
}

/** One customer's BG/NBD log-likelihood, eq. 6 of Fader, Hardie & Lee (2005), by products. */
export function bgnbdCustomerLogLikelihood(params: BgNbdParameters, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`x must be a non-negative integer, got ${x}`);
  // Γ(r+x)/Γ(r) = ∏ (r+k); B(a, b+x)/B(a, b) = ∏ (b+k)/(a+b+k), k = 0 … x−1.
  let logRising = 0;
  let logBetaRatio = 0;
  for (let k = 0; k < x; k++) {
    logRising += Math.log(r + k);
    logBetaRatio += Math.log(b + k) - Math.log(a + b + k);
  }
  const alive = logBetaRatio + logRising + r * Math.log(alpha) - (r + x) * Math.log(alpha + T);
  if (x === 0) return alive;
  // B(a+1, b+x−1)/B(a, b) = a ∏_{k<x−1} (b+k) / ∏_{k<x} (a+b+k) = B(a, b+x)/B(a, b) · a/(b+x−1).
  const droppedOut = logBetaRatio + Math.log(a) - Math.log(b + x - 1) + logRising + r * Math.log(alpha) - (r + x) * Math.log(alpha + tx);
  return logAdd(alive, droppedOut);
}

/** Sum of bgnbdCustomerLogLikelihood over customers. */
export function bgnbdLogLikelihoodReference(params: BgNbdParameters, data: Rfm): number {
  let total = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    total += bgnbdCustomerLogLikelihood(params, data.frequency[i], data.recency[i], data.T[i]);
  }
  return total;
}

/** P(alive at T | x, tₓ) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)), eq. 13. */
export function bgnbdProbabilityAliveReference(params: BgNbdParameters, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  if (x === 0) return 1;
  return 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x));
}

/**
 * E[(1 − e^(−λpt))/p] under the posterior of a live customer, λ ~ Gamma(r+x, α+T) and
 * p ~ Beta(a, b+x): the λ expectation is 1 − ((α+T)/(α+T+pt))^(r+x); the p integral is taken by
 * Simpson's rule after p = u^(1/a), which removes the p^(a−1) singularity at 0. The Beta density is
 * normalised by the same quadrature, so no beta function is needed.
 */
function aliveExpectation(params: BgNbdParameters, t: number, x: number, T: number, intervals: number): number {
  const { r, alpha, a, b } = params;
  const shape = r + x;
  const beta = b + x;
  const scale = alpha + T;
  let weighted = 0;
  let mass = 0;
  const h = 1 / intervals;
  for (let k = 0; k <= intervals; k++) {
    const u = k * h;
    const simpson = k === 0 || k === intervals ? 1 : k % 2 === 1 ? 4 : 2;
    const p = u ** (1 / a);
    const density = (1 - p) ** (beta - 1);
    // (1 − (s/(s+pt))^shape)/p → shape·t/s as p → 0.
    const g = p === 0 ? (shape * t) / scale : -Math.expm1(-shape * Math.log1p((p * t) / scale)) / p;
    weighted += simpson * g * density;
    mass += simpson * density;
  }
  return weighted / mass;
}

/** E[Y(t) | x, tₓ, T] by P(alive) × the posterior expectation of a live customer's purchases. */
export function bgnbdConditionalExpectedReference(params: BgNbdParameters, t: number, x: number, tx: number, T: number, intervals = 4000): number {
  return bgnbdProbabilityAliveReference(params, x, tx, T) * aliveExpectation(params, t, x, T, intervals);
}

/** Σ over customers of bgnbdConditionalExpectedReference (the integral is shared by equal x and T). */
export function bgnbdTotalExpectedReference(params: BgNbdParameters, t: number, data: Rfm, intervals = 2000): number {
  const cache = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    const x = data.frequency[i];
    const T = data.T[i];
    const key = `${x}|${T}`;
    let alive = cache.get(key);
    if (alive === undefined) {
      alive = aliveExpectation(params, t, x, T, intervals);
      cache.set(key, alive);
    }
    total += bgnbdProbabilityAliveReference(params, x, data.recency[i], T) * alive;
  }
  return total;
}

export interface GammaGammaParameters {
  p: number;
  q: number;
  v: number;
}

/**
 * The Gamma-Gamma log-likelihood of the mean spend m̄ of x > 0 repeat purchases (Fader & Hardie
 * 2013): log Γ(px+q) − log Γ(px) − log Γ(q) + q log v + (px−1) log m̄ + px log x − (px+q) log(v + x m̄),
 * summed over customers with x > 0 and m̄ > 0.
 */
export function gammaGammaLogLikelihoodReference(params: GammaGammaParameters, frequency: ArrayLike<number>, monetary: ArrayLike<number>): number {
  const { p, q, v } = params;
  let total = 0;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    const m = monetary[i];
    if (!(x > 0 && m > 0)) continue;
    total +=
      lnGammaStirling(p * x + q) - lnGammaStirling(p * x) - lnGammaStirling(q) + q * Math.log(v) + (p * x - 1) * Math.log(m) + p * x * Math.log(x) - (p * x + q) * Math.log(v + x * m);
  }
  return total;
}
