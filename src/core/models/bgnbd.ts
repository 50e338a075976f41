/**
 * BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers the easy
 * way"). While alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each
 * repeat purchase they drop out with probability p ~ Beta(a, b).
 *
 * Per customer the data are x (repeat purchases), t_x (time of the last one, from the first
 * purchase) and T (time from the first purchase to the end of calibration), all in one time unit;
 * α is in that unit too, so forecasts come out in it.
 */
import { hyp2f1 } from '../math/hyp2f1';
import { nelderMead } from '../math/nelderMead';
import { lgamma, logAddExp, logBeta } from '../math/special';
import { fitMaximumLikelihood, type MaximumLikelihoodFit, type MaximumLikelihoodOptions } from './maximumLikelihood';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdFit extends BgNbdParams {
  /** Total log-likelihood at the estimate (without the penalty), comparable with published values. */
  logLikelihood: number;
  converged: boolean;
  /** Nelder-Mead iterations used. */
  iterations: number;
}

/** Columnar RFM summary: frequency x, recency t_x and age T per customer. */
export interface RfmColumns {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
}

export interface BgNbdFitOptions {
  /**
   * Adds l2Penalty · (r² + α² + a² + b²) to the mean negative log-likelihood, as lifetimes'
   * penalizer_coef does: it keeps parameters from running off to infinity on small or odd data.
   * Default 0 (plain maximum likelihood).
   */
  l2Penalty?: number;
  /** Nelder-Mead iteration budget. Default 5000. */
  maxIterations?: number;
}

/**
 * Maximum likelihood fit. Parameters are optimised on the log scale (all four must be positive).
 * Customers sharing (x, t_x, T) are merged with a weight, and the log terms are tabulated per
 * distinct value, so an evaluation costs a few table look-ups per distinct customer.
 */
export function fitBgNbd(data: RfmColumns, options: BgNbdFitOptions = {}): BgNbdFit {
  const penalty = options.l2Penalty ?? 0;
  if (!(penalty >= 0)) throw new RangeError(`l2Penalty must be ≥ 0, got ${penalty}`);
  const table = compress(data);
  if (table.totalWeight === 0) throw new RangeError('fitBgNbd needs at least one customer');

  const objective = (theta: Float64Array): number => {
    const params = fromLog(theta);
    const meanLogLikelihood = table.logLikelihood(params) / table.totalWeight;
    const size = params.r ** 2 + params.alpha ** 2 + params.a ** 2 + params.b ** 2;
    return -meanLogLikelihood + penalty * size;
  };
  // α is a time scale: start it at the mean customer age so the start suits days as well as weeks.
  const alphaStart = table.meanT > 0 ? table.meanT : 1;
  const result = nelderMead(objective, [0, Math.log(alphaStart), 0, 0], {
    maxIterations: options.maxIterations,
  });
  const params = fromLog(result.x);
  return {
    ...params,
    logLikelihood: table.logLikelihood(params),
    converged: result.converged && Number.isFinite(result.value),
    iterations: result.iterations,
  };
}

export const BG_NBD_PARAMETERS = ['r', 'alpha', 'a', 'b'] as const;

/**
 * The same estimate as fitBgNbd through the shared maximum-likelihood path (Nelder-Mead, then BFGS
 * to a small gradient), with what it adds: standard errors, 95% intervals, AIC, BIC and the
 * gradient norm, so BG/NBD compares with Pareto/NBD and MBG/NBD on equal terms.
 */
export function fitBgNbdWithSummary(
  data: RfmColumns,
  options: MaximumLikelihoodOptions = {},
): MaximumLikelihoodFit<(typeof BG_NBD_PARAMETERS)[number]> {
  const table = compress(data);
  const start = [1, table.meanT > 0 ? table.meanT : 1, 1, 1];
  return fitMaximumLikelihood('BG/NBD', BG_NBD_PARAMETERS, (p) => table.logLikelihood(p), table.totalWeight, start, options);
}

/** The total log-likelihood as a function of the parameters, with the data indexed once. */
export function bgnbdLikelihood(data: RfmColumns): (params: BgNbdParams) => number {
  const table = compress(data);
  return (params) => table.logLikelihood(params);
}

/** Total log-likelihood of the data under `params`. */
export function bgnbdLogLikelihood(params: BgNbdParams, data: RfmColumns): number {
  return compress(data).logLikelihood(params);
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
 * It is exactly 1 for x = 0: the model lets customers drop out only right after a purchase, so
 * someone who never repeated is still alive (a known quirk, not a bug).
 */
export function bgnbdProbabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[purchases in (T, T+t] | x, t_x, T] (Fader, Hardie & Lee 2005):
 *   P(alive) · (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; z)],
 *   z = t/(α+T+t).
 */
export function bgnbdExpectedPurchases(
  params: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  return bgnbdProbabilityAlive(params, x, tx, T) * expectedWhileAlive(params, t, x, params.alpha + T);
}

/** E[X(t)]: expected repeat purchases in (0, t] for a customer just acquired. */
export function bgnbdUnconditionalExpected(params: BgNbdParams, t: number): number {
  return expectedWhileAlive(params, t, 0, params.alpha);
}

/** P(X(t) = n): probability of n repeat purchases in (0, t] for a customer just acquired. */
export function bgnbdUnconditionalProbability(params: BgNbdParams, t: number, n: number): number {
  const { r, alpha, a, b } = params;
  return probabilityWhileAlive(r, alpha, a, b, t, n);
}

/**
 * P(Y(t) = n | x, t_x, T): n purchases in (T, T+t]. Given alive at T, λ ~ Gamma(r+x, α+T) and
 * p ~ Beta(a, b+x), and the future is a fresh BG/NBD with these parameters; a customer already
 * gone buys nothing.
 */
export function bgnbdProbabilityPurchases(params: BgNbdParams, t: number, n: number, x: number, tx: number, T: number): number {
  const alive = bgnbdProbabilityAlive(params, x, tx, T);
  const ifAlive = probabilityWhileAlive(params.r + x, params.alpha + T, params.a, params.b + x, t, n);
  return (n === 0 ? 1 - alive : 0) + alive * ifAlive;
}

/** P(no purchase in (T, T+t] | x, t_x, T). */
export function bgnbdProbabilityNoPurchase(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  return bgnbdProbabilityPurchases(params, t, 0, x, tx, T);
}

/**
 * P(n purchases in the next t) for a customer alive now who buys at rate λ ~ Gamma(R, A) and drops
 * out after each purchase with p ~ Beta(a, B) (Fader, Hardie & Lee 2005, eq. 8, with R, A, B for
 * r, α, b):
 *   B(a, B+n)/B(a, B) · NBD(n) + [n > 0] · B(a+1, B+n−1)/B(a, B) · P(NBD ≥ n),
 * NBD(j) = Γ(R+j)/(Γ(R) j!) (A/(A+t))^R (t/(A+t))^j. Shared with MBG/NBD, whose survivors follow it.
 */
export function probabilityWhileAlive(R: number, A: number, a: number, B: number, t: number, n: number): number {
  if (!(t >= 0)) throw new RangeError(`forecast horizon t must be ≥ 0, got ${t}`);
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (t === 0) return n === 0 ? 1 : 0;
  const logP = Math.log(A) - Math.log(A + t);
  const logQ = Math.log(t) - Math.log(A + t);
  const nbd = (j: number) => Math.exp(lgamma(R + j) - lgamma(R) - lgamma(j + 1) + R * logP + j * logQ);
  const stays = Math.exp(logBeta(a, B + n) - logBeta(a, B)) * nbd(n);
  if (n === 0) return stays;
  return stays + Math.exp(logBeta(a + 1, B + n - 1) - logBeta(a, B)) * negativeBinomialTail(R, Math.exp(logQ), n, nbd);
}

/**
 * P(N ≥ n) for N ~ NBD: 1 − Σ_{j<n} when that sum is small, else the upper terms summed directly
 * (no cancellation when the tail is tiny). The term ratio (R+j)q/(j+1) moves monotonically towards
 * q < 1, so once below 1 the rest is bounded by a geometric series.
 */
function negativeBinomialTail(R: number, q: number, n: number, nbd: (j: number) => number): number {
  let below = 0;
  for (let j = 0; j < n; j++) below += nbd(j);
  if (below <= 0.5) return 1 - below;
  let term = nbd(n);
  let sum = term;
  for (let j = n; j < n + 10_000_000; j++) {
    const ratio = ((R + j) * q) / (j + 1);
    term *= ratio;
    sum += term;
    const bound = Math.max(ratio, q);
    if (term === 0 || (bound < 1 && (term * bound) / (1 - bound) <= 1e-16 * sum)) break;
  }
  return sum;
}

/** bgnbdProbabilityAlive for every customer, in one pass. */
export function bgnbdProbabilityAliveMany(params: BgNbdParams, data: RfmColumns): Float64Array {
  const n = checkedLength(data);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = bgnbdProbabilityAlive(params, data.frequency[i], data.recency[i], data.T[i]);
  }
  return out;
}

/** bgnbdExpectedPurchases over the next t for every customer, in one pass. */
export function bgnbdExpectedPurchasesMany(params: BgNbdParams, t: number, data: RfmColumns): Float64Array {
  const n = checkedLength(data);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = bgnbdExpectedPurchases(params, t, data.frequency[i], data.recency[i], data.T[i]);
  }
  return out;
}

/** Below this |a − 1| the (a−1) division loses digits; see expectedWhileAlive. */
const A_NEAR_ONE = 1e-6;

/**
 * Expected purchases in the next t for a customer known to be alive, with base = α + T:
 *   (a+b+x−1)/(a−1) · [1 − (1−z)^(r+x) 2F1(r+x, b+x; a+b+x−1; z)],  z = t/(base+t).
 * Euler's transformation rewrites (1−z)^(r+x) 2F1(r+x, b+x; c; z) as
 * (1−z)^(a−1) 2F1(a+b−1−r, a−1; c; z): no huge power times a huge series when x is large, and
 * the series parameters no longer grow with x. At a = 1 the expression is 0/0 with a finite limit,
 * so near it the value is the midpoint of a = 1 ± 1e-6 (smooth in a, error ~1e-12).
 */
export function expectedWhileAlive(params: BgNbdParams, t: number, x: number, base: number): number {
  if (!(t >= 0)) throw new RangeError(`forecast horizon t must be ≥ 0, got ${t}`);
  if (t === 0) return 0;
  const { a } = params;
  if (Math.abs(a - 1) < A_NEAR_ONE) {
    const below = expectedWhileAliveAt({ ...params, a: 1 - A_NEAR_ONE }, t, x, base);
    const above = expectedWhileAliveAt({ ...params, a: 1 + A_NEAR_ONE }, t, x, base);
    return (below + above) / 2;
  }
  return expectedWhileAliveAt(params, t, x, base);
}

function expectedWhileAliveAt(params: BgNbdParams, t: number, x: number, base: number): number {
  const { r, a, b } = params;
  const z = t / (base + t);
  const c = a + b + x - 1;
  const transformed = Math.exp((a - 1) * Math.log1p(-z)) * hyp2f1(a + b - 1 - r, a - 1, c, z);
  return (c / (a - 1)) * (1 - transformed);
}

function fromLog(theta: ArrayLike<number>): BgNbdParams {
  return { r: Math.exp(theta[0]), alpha: Math.exp(theta[1]), a: Math.exp(theta[2]), b: Math.exp(theta[3]) };
}

function checkedLength(data: RfmColumns): number {
  const n = data.frequency.length;
  if (data.recency.length !== n || data.T.length !== n) {
    throw new RangeError(
      `frequency, recency and T must have equal lengths, got ${n}, ${data.recency.length}, ${data.T.length}`,
    );
  }
  return n;
}

interface CompressedRfm {
  totalWeight: number;
  meanT: number;
  logLikelihood(params: BgNbdParams): number;
}

/**
 * Validates the columns and indexes them by distinct x, t_x and T so the likelihood tabulates its
 * expensive terms (lgamma per x, log(α+·) per time value) once per evaluation.
 */
function compress(data: RfmColumns): CompressedRfm {
  const n = checkedLength(data);
  const xValues = new DistinctValues();
  const txValues = new DistinctValues();
  const tValues = new DistinctValues();
  const rows = new Map<string, number>();
  const xIndex: number[] = [];
  const txIndex: number[] = [];
  const tIndex: number[] = [];
  const weight: number[] = [];
  let sumT = 0;
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i];
    const T = data.T[i];
    // t_x does not enter the likelihood when x = 0, so all such customers share one row per T.
    const tx = x === 0 ? 0 : data.recency[i];
    if (!(Number.isInteger(x) && x >= 0)) {
      throw new RangeError(`frequency must be a non-negative integer, got ${x} at row ${i}`);
    }
    if (!(tx >= 0 && T >= tx && Number.isFinite(T))) {
      throw new RangeError(
        `need 0 ≤ recency ≤ T (finite), got recency ${data.recency[i]}, T ${T} at row ${i}`,
      );
    }
    sumT += T;
    const key = `${x},${tx},${T}`;
    const row = rows.get(key);
    if (row !== undefined) {
      weight[row]++;
      continue;
    }
    rows.set(key, weight.length);
    xIndex.push(xValues.indexOf(x));
    txIndex.push(txValues.indexOf(tx));
    tIndex.push(tValues.indexOf(T));
    weight.push(1);
  }

  const xs = Float64Array.from(xValues.values);
  const txs = Float64Array.from(txValues.values);
  const ts = Float64Array.from(tValues.values);
  const xRow = Int32Array.from(xIndex);
  const txRow = Int32Array.from(txIndex);
  const tRow = Int32Array.from(tIndex);
  const rowWeight = Float64Array.from(weight);
  const perX = new Float64Array(xs.length);
  const dropOutTerm = new Float64Array(xs.length);
  const logAlphaTx = new Float64Array(txs.length);
  const logAlphaT = new Float64Array(ts.length);

  return {
    totalWeight: n,
    meanT: n > 0 ? sumT / n : 0,
    logLikelihood({ r, alpha, a, b }: BgNbdParams): number {
      // The paper's log-likelihood as A1 + A2 + log(e^A3 + [x>0] e^A4), in lifetimes' notation.
      const shared = -lgamma(r) + r * Math.log(alpha) + lgamma(a + b) - lgamma(b);
      for (let k = 0; k < xs.length; k++) {
        const x = xs[k];
        perX[k] = shared + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
        dropOutTerm[k] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : -Infinity;
      }
      for (let k = 0; k < txs.length; k++) logAlphaTx[k] = Math.log(alpha + txs[k]);
      for (let k = 0; k < ts.length; k++) logAlphaT[k] = Math.log(alpha + ts[k]);
      let total = 0;
      for (let i = 0; i < rowWeight.length; i++) {
        const k = xRow[i];
        const rx = r + xs[k];
        const alive = -rx * logAlphaT[tRow[i]];
        const dead = dropOutTerm[k] - rx * logAlphaTx[txRow[i]];
        total += rowWeight[i] * (perX[k] + logAddExp(alive, dead));
      }
      return total;
    },
  };
}

/** Assigns each distinct number a dense index, in order of first appearance. */
class DistinctValues {
  readonly values: number[] = [];
  private readonly index = new Map<number, number>();

  indexOf(value: number): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.index.set(value, i);
      this.values.push(value);
    }
    return i;
  }
}
