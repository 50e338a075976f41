/**
 * Pareto/NBD model of repeat purchasing (Schmittlein, Morrison & Colombo 1987). While alive a
 * customer buys as a Poisson process with rate λ ~ Gamma(r, α); the lifetime is exponential with
 * rate μ ~ Gamma(s, β), so a customer can drop out at any moment, not only after a purchase.
 *
 * The likelihood is the one in Fader & Hardie, "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions" (2005), evaluated in log space. x, t_x, T, α and β share one time unit.
 */
import { hyp2f1 } from '../math/hyp2f1';
import { integrate } from '../math/quadrature';
import { lgamma, logAddExp } from '../math/special';
import type { RfmColumns } from './bgnbd';
import { fitMaximumLikelihood, type MaximumLikelihoodFit, type MaximumLikelihoodOptions } from './maximumLikelihood';
import { rfmRows } from './rfmRows';

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

export const PARETO_NBD_PARAMETERS = ['r', 'alpha', 's', 'beta'] as const;

export type ParetoNbdFit = MaximumLikelihoodFit<(typeof PARETO_NBD_PARAMETERS)[number]>;

/** Maximum likelihood fit on log-parameters; α and β start at the mean customer age (suits days and weeks). */
export function fitParetoNbd(data: RfmColumns, options: MaximumLikelihoodOptions = {}): ParetoNbdFit {
  const rows = rfmRows(data);
  const scale = rows.meanT > 0 ? rows.meanT : 1;
  return fitMaximumLikelihood('Pareto/NBD', PARETO_NBD_PARAMETERS, paretoNbdLikelihood(data), rows.customers, [1, scale, 1, scale], options);
}

/**
 * The total log-likelihood as a function of the parameters, with the data indexed once. The
 * hypergeometric terms F(u) of A₀ (see logA0) depend on a row only through (x, u) for u = t_x and
 * u = T, and rows share them: on CDNOW_master in weeks 8,685 distinct rows need 2,149 distinct
 * points instead of 17,370, so each evaluation computes every point once and the rows look them up.
 */
export function paretoNbdLikelihood(data: RfmColumns): (params: ParetoNbdParams) => number {
  const rows = rfmRows(data);
  const n = rows.weight.length;
  const pointX: number[] = [];
  const pointU: number[] = [];
  const points = new Map<string, number>();
  const pointOf = (x: number, u: number) => {
    const key = `${x},${u}`;
    let index = points.get(key);
    if (index === undefined) {
      index = pointX.length;
      points.set(key, index);
      pointX.push(x);
      pointU.push(u);
    }
    return index;
  };
  const atTx = Int32Array.from({ length: n }, (_, i) => pointOf(rows.x[i], rows.tx[i]));
  const atT = Int32Array.from({ length: n }, (_, i) => pointOf(rows.x[i], rows.T[i]));
  const logF = new Float64Array(pointX.length);
  return (params) => {
    const { r, alpha, s, beta } = params;
    for (let j = 0; j < logF.length; j++) logF[j] = logHypergeometricTerm(params, pointX[j], pointU[j]);
    const base = -lgamma(r) + r * Math.log(alpha) + s * Math.log(beta);
    const logS = Math.log(s);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const x = rows.x[i];
      const T = rows.T[i];
      const head = lgamma(r + x) + base;
      const aliveAtT = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
      const diedSinceTx = logS - Math.log(r + s + x) + logDifference(logF[atTx[i]], logF[atT[i]]);
      total += rows.weight[i] * (head + logAddExp(aliveAtT, diedSinceTx));
    }
    return total;
  };
}

/** Total log-likelihood of the data under `params`. */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: RfmColumns): number {
  return paretoNbdLikelihood(data)(params);
}

/*
 * Per row: log L(r, α, s, β | x, t_x, T) = log Γ(r+x) − log Γ(r) + r log α + s log β
 *   + log[ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) · A₀ ].
 */

/**
 * log A₀, with A₀ = F(t_x) − F(T) and, for α ≥ β,
 *   F(u) = 2F1(r+s+x, s+1; r+s+x+1; (α−β)/(α+u)) / (α+u)^(r+s+x),
 * and for α < β (the roles of the two gamma mixtures swap)
 *   F(u) = 2F1(r+s+x, r+x; r+s+x+1; (β−α)/(β+u)) / (β+u)^(r+s+x).
 * Either way z ∈ [0, 1), where the series is safe. The difference is taken in log space.
 */
function logA0(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  return logDifference(logHypergeometricTerm(params, x, tx), logHypergeometricTerm(params, x, T));
}

/** log F(u) of logA0 for a customer with x repeat purchases. */
function logHypergeometricTerm(params: ParetoNbdParams, x: number, u: number): number {
  const { r, alpha, s, beta } = params;
  const c = r + s + x;
  const larger = Math.max(alpha, beta);
  const b = alpha >= beta ? s + 1 : r + x;
  return Math.log(hyp2f1(c, b, c + 1, Math.abs(alpha - beta) / (larger + u))) - c * Math.log(larger + u);
}

/** log(e^atTx − e^atT), −∞ when F(T) is not below F(t_x). */
function logDifference(atTx: number, atT: number): number {
  if (!(atT < atTx)) return -Infinity;
  return atTx + Math.log(-Math.expm1(atT - atTx));
}

/**
 * P(alive at T | x, t_x, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀). Unlike BG/NBD it is
 * below 1 for one-time buyers too: a Pareto/NBD customer can leave without buying again.
 */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = params;
  const logOdds = Math.log(s) - Math.log(r + s + x) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) + logA0(params, x, tx, T);
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * Given alive at T, λ | data ~ Gamma(r+x, α+T) and μ | data ~ Gamma(s, β+T) (the exponential
 * lifetime forgets the past), so the future is a fresh Pareto/NBD with these parameters.
 */
export function paretoNbdPosteriorIfAlive(params: ParetoNbdParams, x: number, T: number): ParetoNbdParams {
  return { r: params.r + x, alpha: params.alpha + T, s: params.s, beta: params.beta + T };
}

/** E[X(t)] for a customer just acquired: rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)] (β·log(1+t/β)·r/α at s = 1). */
export function paretoNbdUnconditionalExpected(params: ParetoNbdParams, t: number): number {
  if (!(t >= 0)) throw new RangeError(`forecast horizon t must be ≥ 0, got ${t}`);
  const { r, alpha, s, beta } = params;
  const logRatio = Math.log(beta) - Math.log(beta + t);
  const sm1 = s - 1;
  const factor = Math.abs(sm1) < 1e-10 ? -logRatio : -Math.expm1(sm1 * logRatio) / sm1;
  return ((r * beta) / alpha) * factor;
}

/** E[Y(t) | x, t_x, T]: expected purchases in (T, T+t] = P(alive) · E[X(t)] under the posterior. */
export function paretoNbdExpectedPurchases(params: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
  return paretoNbdProbabilityAlive(params, x, tx, T) * paretoNbdUnconditionalExpected(paretoNbdPosteriorIfAlive(params, x, T), t);
}

/**
 * P(X(t) = n) for a customer just acquired. The lifetime τ is Lomax: P(τ > u) = (β/(β+u))^s, and
 * given τ the count is negative binomial with exposure min(τ, t), so
 *   P(X(t)=n) = (β/(β+t))^s NBD(n; t) + ∫₀^t NBD(n; u) f_τ(u) du.
 * With v = log(1 + u/β) the integral is ∫₀^log(1+t/β) s e^(−sv) NBD(n; β(e^v − 1)) dv, smooth and
 * bounded, done by composite Gauss-Legendre (exact to about 1e-12 on real parameters).
 */
export function paretoNbdUnconditionalProbability(params: ParetoNbdParams, t: number, n: number): number {
  if (!(t >= 0)) throw new RangeError(`forecast horizon t must be ≥ 0, got ${t}`);
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  const { r, alpha, s, beta } = params;
  const logCoefficient = lgamma(r + n) - lgamma(r) - lgamma(n + 1);
  const nbd = (u: number): number => {
    if (u === 0) return n === 0 ? 1 : 0;
    return Math.exp(logCoefficient + r * (Math.log(alpha) - Math.log(alpha + u)) + n * (Math.log(u) - Math.log(alpha + u)));
  };
  const survives = Math.exp(s * (Math.log(beta) - Math.log(beta + t)));
  const upper = Math.log1p(t / beta);
  const diesBefore = integrate((v) => s * Math.exp(-s * v) * nbd(beta * Math.expm1(v)), 0, upper, 24, 16);
  return survives * nbd(t) + diesBefore;
}

/** P(Y(t) = n | x, t_x, T): purchases in (T, T+t]; a customer already gone makes none. */
export function paretoNbdProbabilityPurchases(params: ParetoNbdParams, t: number, n: number, x: number, tx: number, T: number): number {
  const alive = paretoNbdProbabilityAlive(params, x, tx, T);
  const ifAlive = paretoNbdUnconditionalProbability(paretoNbdPosteriorIfAlive(params, x, T), t, n);
  return (n === 0 ? 1 - alive : 0) + alive * ifAlive;
}

/** P(no purchase in (T, T+t] | x, t_x, T). */
export function paretoNbdProbabilityNoPurchase(params: ParetoNbdParams, t: number, x: number, tx: number, T: number): number {
  return paretoNbdProbabilityPurchases(params, t, 0, x, tx, T);
}
